//! De-duplication end to end: the restart-and-replay guarantee, merge, saved-state checks,
//! the Bloom mode's stated false-positive rate and the exact mode's memory per key.

use chrono::TimeDelta;
use fleetops::dedup::{DedupConfig, DedupMode, Deduper, Outcome};

const T0: i64 = 1_763_798_400_000; // 2026-11-22T08:00:00Z in ms

/// A telemetry stream: 40k events over ~3 hours, 20 % exact re-sends, some out of order.
fn stream() -> (Vec<u64>, Vec<i64>) {
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    let mut rnd = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let (mut keys, mut times) = (vec![], vec![]);
    for i in 0..40_000i64 {
        let r = rnd();
        if i > 100 && r % 5 == 0 {
            let j = (i - 1 - (rnd() % 100) as i64) as usize; // a re-send of a recent event
            keys.push(keys[j]);
            times.push(times[j]);
        } else {
            keys.push(r);
            times.push(T0 + i * 250 - (rnd() % 60_000) as i64);
        }
    }
    (keys, times)
}

fn config(mode: DedupMode) -> DedupConfig {
    let mut c = DedupConfig::new(TimeDelta::minutes(30));
    c.allowed_lateness = TimeDelta::minutes(2);
    c.mode = mode;
    c.expected_keys = 50_000;
    c
}

fn firsts(d: &mut Deduper, keys: &[u64], times: &[i64], offset: usize) -> Vec<usize> {
    let codes = d.observe_batch(keys, times, None).unwrap();
    codes.iter().enumerate().filter(|(_, &c)| c == Outcome::First.code()).map(|(i, _)| i + offset).collect()
}

#[test]
fn restart_from_saved_state_and_replay_emits_nothing_twice_and_loses_nothing() {
    for mode in [DedupMode::Exact, DedupMode::Bloom] {
        let (keys, times) = stream();
        let mut once = Deduper::new(config(mode)).unwrap();
        let expected = firsts(&mut once, &keys, &times, 0);

        let cut = 23_456;
        let mut before = Deduper::new(config(mode)).unwrap();
        let mut emitted = firsts(&mut before, &keys[..cut], &times[..cut], 0);
        let saved = before.to_bytes();
        drop(before); // the process dies

        let mut after = Deduper::from_bytes(&saved).unwrap();
        let replayed = firsts(&mut after, &keys, &times, 0); // the new checkpoint replays from offset 0
        assert!(replayed.iter().all(|&i| i >= cut), "{mode:?}: an already-emitted event came out again");
        emitted.extend(replayed);
        assert_eq!(emitted, expected, "{mode:?}");
        assert!(expected.len() > 25_000 && expected.len() < 40_000);
    }
}

#[test]
fn a_key_in_both_partitions_merges_into_the_window_one_engine_has() {
    // Key 5 at 0 s into b; key 5 at 3,000 s and key 1 at 3,601 s into a (horizon 1 h). One
    // engine: the 3,000 s event is a duplicate of the 0 s one, whose window ends at 3,600 s, so
    // key 5 at 3,601 s is first. The merge kept a's 3,000 s start and called it a duplicate.
    let ms = |s: i64| chrono::DateTime::from_timestamp(1_795_852_800 + s, 0).unwrap();
    let config = || DedupConfig::new(TimeDelta::hours(1));
    let (mut a, mut b, mut one) =
        (Deduper::new(config()).unwrap(), Deduper::new(config()).unwrap(), Deduper::new(config()).unwrap());
    b.observe(5, ms(0), None).unwrap();
    a.observe(5, ms(3_000), None).unwrap();
    a.observe(1, ms(3_601), None).unwrap();
    for (k, t) in [(5, 0), (5, 3_000), (1, 3_601)] {
        one.observe(k, ms(t), None).unwrap();
    }
    a.merge(&b).unwrap();
    assert_eq!(one.observe(5, ms(3_601), None).unwrap(), Outcome::First);
    assert_eq!(a.observe(5, ms(3_601), None).unwrap(), Outcome::First);
    // Windows more than a horizon apart stay separate: the later one is kept.
    let (mut c, mut d) = (Deduper::new(config()).unwrap(), Deduper::new(config()).unwrap());
    c.observe(9, ms(0), None).unwrap();
    d.observe(9, ms(4_000), None).unwrap();
    c.merge(&d).unwrap();
    assert_eq!(c.observe(9, ms(7_000), None).unwrap(), Outcome::Duplicate);
    assert_eq!(c.observe(9, ms(7_601), None).unwrap(), Outcome::First);
}

#[test]
fn live_keys_count_only_keys_not_expired_at_the_watermark() {
    let ms = |s: i64| chrono::DateTime::from_timestamp(1_795_852_800 + s, 0).unwrap();
    let mut d = Deduper::new(DedupConfig::new(TimeDelta::hours(1))).unwrap();
    for k in 0..100 {
        d.observe(k, ms(k as i64), None).unwrap();
    }
    assert_eq!(d.stats().live_keys, 100);
    // At 3,650 s keys first seen before 50 s have expired (still in the table until replaced).
    d.observe(1_000, ms(3_650), None).unwrap();
    assert_eq!(d.stats().live_keys, 51);
}

#[test]
fn merged_partitions_answer_like_one_engine() {
    let (keys, times) = stream();
    let (a_part, b_part): (Vec<usize>, Vec<usize>) = (0..20_000).partition(|i| keys[*i] % 2 == 0);
    let pick = |idx: &[usize]| {
        (idx.iter().map(|&i| keys[i]).collect::<Vec<_>>(), idx.iter().map(|&i| times[i]).collect::<Vec<_>>())
    };
    for mode in [DedupMode::Exact, DedupMode::Bloom] {
        let mut a = Deduper::new(config(mode)).unwrap();
        let mut b = Deduper::new(config(mode)).unwrap();
        let (ka, ta) = pick(&a_part);
        let (kb, tb) = pick(&b_part);
        a.observe_batch(&ka, &ta, None).unwrap();
        b.observe_batch(&kb, &tb, None).unwrap();
        let mut one = Deduper::new(config(mode)).unwrap();
        one.observe_batch(&keys[..20_000], &times[..20_000], None).unwrap();
        a.merge(&b).unwrap();
        assert_eq!(a.watermark(), one.watermark());
        // The rest of the stream gets the same answers from the merged state.
        let rest_merged = a.observe_batch(&keys[20_000..], &times[20_000..], None).unwrap();
        let rest_one = one.observe_batch(&keys[20_000..], &times[20_000..], None).unwrap();
        let differ = rest_merged.iter().zip(&rest_one).filter(|(x, y)| x != y).count();
        assert_eq!(differ, 0, "{mode:?}");
    }
    let mut exact = Deduper::new(config(DedupMode::Exact)).unwrap();
    let bloom = Deduper::new(config(DedupMode::Bloom)).unwrap();
    assert_eq!(exact.merge(&bloom).unwrap_err().code(), "INVALID_ARGUMENT");
}

#[test]
fn saved_state_is_checked() {
    let mut d = Deduper::new(config(DedupMode::Exact)).unwrap();
    d.observe_batch(&[1, 2, 3], &[T0, T0 + 1, T0 + 2], None).unwrap();
    let good = d.to_bytes();
    assert!(Deduper::from_bytes(&good).is_ok());
    let code = |b: &[u8]| Deduper::from_bytes(b).unwrap_err().code();
    assert_eq!(code(b""), "INVALID_STATE");
    assert_eq!(code(b"{\"format\": \"fleetops.deduper\"}"), "INVALID_STATE");
    assert_eq!(code(&good[..good.len() - 3]), "INVALID_STATE");
    let mut flipped = good.clone();
    flipped[20] ^= 0x40;
    assert_eq!(code(&flipped), "INVALID_STATE");
    let mut newer = good.clone();
    newer[4] = 3;
    let err = Deduper::from_bytes(&newer).unwrap_err();
    assert!(err.to_string().contains("version 3"), "{err}");
}

#[test]
fn bad_batches_leave_the_state_untouched() {
    let mut d = Deduper::new(config(DedupMode::Exact)).unwrap();
    d.observe_batch(&[1], &[T0], None).unwrap();
    let before = d.to_bytes();
    assert_eq!(d.observe_batch(&[1, 2], &[T0], None).unwrap_err().code(), "INVALID_ARGUMENT");
    assert_eq!(d.observe_batch(&[5, 6], &[T0, -1], None).unwrap_err().code(), "INVALID_TIMESTAMP");
    let nan = d.observe_batch_epoch(&[5, 6], &[1.7e9, f64::NAN], fleetops::time::EpochUnit::Seconds, None);
    assert_eq!(nan.unwrap_err().code(), "INVALID_TIMESTAMP");
    assert_eq!(d.to_bytes(), before);
}

/// 10M distinct keys in two generations sized for 1M each (5x past `expected_keys`, the
/// issue-16 case that used to answer "duplicate" for 99 % of new keys): a lookup of keys
/// never seen is a false positive at most 1 % of the time, as stated, and about as estimated.
#[test]
fn bloom_false_positive_rate_holds_past_expected_keys() {
    let mut c = DedupConfig::new(TimeDelta::hours(1));
    c.mode = DedupMode::Bloom;
    c.expected_keys = 1_000_000;
    c.fpr = 0.01;
    let mut d = Deduper::new(c).unwrap();
    let n = 10_000_000u64;
    // Half in the first hour's generation, half in the second's; none expires.
    let keys: Vec<u64> = (0..n).map(|i| i.wrapping_mul(0x9e37_79b9_7f4a_7c15)).collect();
    let times: Vec<i64> = (0..n as i64).map(|i| T0 + i * 700 / 1000).collect();
    let codes = d.observe_batch(&keys, &times, None).unwrap();
    let fp_while_filling = codes.iter().filter(|&&c| c == 1).count();
    assert!(fp_while_filling < (0.01 * n as f64) as usize, "{fp_while_filling}");
    let last = *times.last().unwrap();
    let est = d.stats().estimated_fpr.unwrap();
    assert!(est > 0.001 && est < 0.01, "estimated {est}");
    // Judge 100k keys never seen (inserting them moves the fill by 2 %, within the tolerance).
    let fresh: Vec<u64> = (n..n + 100_000).map(|i| i.wrapping_mul(0x9e37_79b9_7f4a_7c15)).collect();
    let codes = d.observe_batch(&fresh, &vec![last; fresh.len()], None).unwrap();
    let measured = codes.iter().filter(|&&c| c == Outcome::Duplicate.code()).count() as f64 / 1e5;
    assert!(measured <= 0.01, "measured {measured}");
    assert!((measured - est).abs() <= 0.25 * est, "measured {measured}, estimated {est}");
    // Memory grew with the keys: slices of 1M, 2M and 4M keys per generation (7M of room for
    // 5M keys, at 12.5 to 15.3 bits each).
    let per_key = d.memory_bytes() as f64 / n as f64;
    assert!(per_key < 2.6, "{per_key} bytes per key");
}

/// Exact mode at 10M live keys stays under 24 bytes per key.
#[test]
fn exact_mode_memory_per_live_key() {
    let mut d = Deduper::new(DedupConfig::new(TimeDelta::days(1))).unwrap();
    let n = 10_000_000u64;
    let keys: Vec<u64> = (0..n).collect();
    let times: Vec<i64> = (0..n as i64).map(|i| T0 + i / 1000).collect();
    let codes = d.observe_batch(&keys, &times, None).unwrap();
    assert!(codes.iter().all(|&c| c == 0));
    let s = d.stats();
    assert_eq!(s.live_keys, n);
    let per_key = s.memory_bytes as f64 / n as f64;
    assert!(per_key <= 24.0, "{per_key} bytes per key");
}

/// Bytes with a valid checksum but an entry newer than the newest event would not fit the
/// time ticks: refused as INVALID_STATE, not a panic.
#[test]
fn consistent_checksum_but_impossible_entries_are_refused() {
    let mut d = Deduper::new(config(DedupMode::Exact)).unwrap();
    d.observe_batch(&[1], &[T0], None).unwrap();
    let good = d.to_bytes();
    let mut body = good[..good.len() - 8].to_vec();
    let n = body.len();
    body[n - 8..].copy_from_slice(&(T0 + 10 * 86_400_000 * 365).to_le_bytes()); // the entry's time
    let sum = xxhash_rust::xxh3::xxh3_64(&body);
    body.extend_from_slice(&sum.to_le_bytes());
    let err = Deduper::from_bytes(&body).unwrap_err();
    assert_eq!(err.code(), "INVALID_STATE", "{err}");
}

#[test]
fn a_table_sized_up_front_judges_as_one_that_grows() {
    use fleetops::dedup::{DedupConfig, Deduper};
    let keys: Vec<u64> = (0..200_000u64).map(|i| (i * 2_654_435_761) % 150_000).collect();
    let times: Vec<i64> = (0..keys.len() as i64).map(|i| 1_763_798_400_000 + i / 4).collect();
    let grown = DedupConfig::new(chrono::TimeDelta::seconds(20));
    let sized = DedupConfig { exact_capacity: Some(150_000), ..grown.clone() };
    let (mut a, mut b) = (Deduper::new(grown).unwrap(), Deduper::new(sized).unwrap());
    let small = a.memory_bytes();
    assert!(b.memory_bytes() > 100 * small, "the table is there from the start");
    assert_eq!(a.observe_batch(&keys, &times, None).unwrap(), b.observe_batch(&keys, &times, None).unwrap());
    assert_eq!(a.stats().counts, b.stats().counts);
    // A starting size is not a rule: the two merge, and b's state restores without it.
    a.merge(&b).unwrap();
    assert_eq!(Deduper::from_bytes(&b.to_bytes()).unwrap().config().exact_capacity, None);
    // A table of 26 GB: a machine that will not map it gives a typed error, not an abort; one
    // that will (overcommit) holds it, untouched, as asked.
    let huge = DedupConfig { exact_capacity: Some(1 << 30), ..DedupConfig::new(chrono::TimeDelta::seconds(1)) };
    match Deduper::new(huge) {
        Err(e) => {
            assert_eq!(e.code(), "INVALID_ARGUMENT");
            assert!(e.to_string().contains("GiB table up front"), "{e}");
        }
        Ok(d) => assert!(d.memory_bytes() >= 24 << 30, "sized as asked: {} bytes", d.memory_bytes()),
    }
}
