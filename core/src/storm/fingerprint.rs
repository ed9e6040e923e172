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
    let mut sorted: Vec<(&str, &str)> = Vec::with_capacity(labels.len());
    for &(k, v) in labels {
        match sorted.iter_mut().find(|(n, _)| *n == k) {
            Some(slot) => slot.1 = v,
            None => sorted.push((k, v)),
        }
    }
    sorted.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    sorted
        .iter()
        .fold(OFFSET, |h, (k, v)| add(add(add(add(h, k.as_bytes()), &[SEPARATOR]), v.as_bytes()), &[SEPARATOR]))
}
