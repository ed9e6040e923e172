//! Alert fingerprints: Alertmanager's, so fleetops and Prometheus agree on identity.
//!
//! FNV-1a 64 over the labels sorted by name, each as `name 0xFF value 0xFF` (Prometheus'
//! `LabelsToSignature`); the empty set is FNV's offset basis, 14695981039346656037. Order of
//! the input does not matter; empty values are hashed as they are.

const OFFSET: u64 = 14_695_981_039_346_656_037;
const PRIME: u64 = 1_099_511_628_211;
const SEPARATOR: u8 = 0xFF;

fn add(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(PRIME);
    }
    h
}

/// The fingerprint of a label set (any order; duplicate names keep the last value).
///
/// ```
/// use fleetops::storm::fingerprint;
/// let a = fingerprint(&[("alertname", "HighTemp"), ("vehicle_id", "TRK-042")]);
/// let b = fingerprint(&[("vehicle_id", "TRK-042"), ("alertname", "HighTemp")]);
/// assert_eq!(a, b);
/// assert_eq!(fingerprint(&[]), 14695981039346656037);
/// ```
pub fn fingerprint(labels: &[(&str, &str)]) -> u64 {
    fingerprint_in_place(&mut labels.to_vec())
}

/// [`fingerprint`] on labels the caller lets it sort in place (a binding's own copy), which
/// saves the copy.
pub fn fingerprint_in_place(labels: &mut [(&str, &str)]) -> u64 {
    // Stable, so that of repeated names the last given stays last and is the one hashed.
    labels.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let last_of_its_name = |i: usize| labels.get(i + 1).is_none_or(|next| next.0 != labels[i].0);
    (0..labels.len()).filter(|&i| last_of_its_name(i)).fold(OFFSET, |h, i| {
        let (k, v) = labels[i];
        add(add(add(add(h, k.as_bytes()), &[SEPARATOR]), v.as_bytes()), &[SEPARATOR])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_name_keeps_its_last_value() {
        let once = fingerprint(&[("b", "2"), ("a", "3")]);
        assert_eq!(fingerprint(&[("a", "1"), ("b", "2"), ("a", "3")]), once);
        assert_eq!(fingerprint(&[("a", "0"), ("a", "1"), ("b", "2"), ("a", "3")]), once);
        assert_ne!(fingerprint(&[("a", "3"), ("b", "2"), ("a", "1")]), once);
        let mut mine = vec![("a", "1"), ("b", "2"), ("a", "3")];
        assert_eq!(fingerprint_in_place(&mut mine), once);
    }
}
