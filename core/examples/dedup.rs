//! De-duplication: a streaming job restarts and replays its last hour; the de-duplicator,
//! restored from the state saved before the restart, drops every replayed event. Batch
//! keep-last de-duplicates a raw table's repeated loads.
//!
//! Run with `cargo run --example dedup`.

use chrono::TimeDelta;
use fleetops::dedup::{keep_mask, key_hash, DedupConfig, Deduper, Keep, KeyPart, Outcome};
use fleetops::time::parse_timestamp;

fn main() -> fleetops::Result<()> {
    let start = parse_timestamp("2026-11-22T09:00:00Z")?;
    let mut config = DedupConfig::new(TimeDelta::hours(24));
    config.allowed_lateness = TimeDelta::hours(2);
    let mut deduper = Deduper::new(config)?;
    let event = |minute: i64| -> fleetops::Result<(u64, chrono::DateTime<chrono::Utc>)> {
        let at = start + TimeDelta::minutes(minute);
        Ok((key_hash(&[KeyPart::Text("TRK-017"), KeyPart::Int(at.timestamp_millis())])?, at))
    };
    for m in 0..60 {
        let (key, at) = event(m)?;
        deduper.observe(key, at, None)?;
    }
    // The job restarts: state restored from bytes, the hour is replayed, then new events.
    let mut restored = Deduper::from_bytes(&deduper.to_bytes())?;
    let mut duplicates = 0;
    for m in 0..70 {
        let (key, at) = event(m)?;
        duplicates += (restored.observe(key, at, None)? == Outcome::Duplicate) as u32;
    }
    println!("replayed 60 + 10 new: {duplicates} dropped as duplicates, stats {:?}", restored.counts());

    // Batch: package ids loaded twice; keep the last load of each.
    let ids = ["PKG-1", "PKG-2", "PKG-1", "PKG-3", "PKG-2"];
    let keys: Vec<u64> = ids.iter().map(|id| key_hash(&[KeyPart::Text(id)])).collect::<fleetops::Result<_>>()?;
    let kept = keep_mask(&keys, Keep::Last, None)?;
    println!("keep last: {kept:?}");
    Ok(())
}
