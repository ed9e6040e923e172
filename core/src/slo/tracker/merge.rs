//! Two trackers of one configuration folded into one (two API instances, two Spark
//! partitions): the answers are those of one tracker fed both streams.

use super::*;

impl SloTracker {
    /// Adds another tracker's counts (two API instances, two Spark partitions). Both must have
    /// the same configuration; the result answers as one tracker fed both streams.
    pub fn merge(&mut self, other: &SloTracker) -> Result<()> {
        if self.config != other.config {
            return Err(FleetopsError::InvalidArgument(
                "trackers with different configurations cannot be merged".into(),
            ));
        }
        let mut merged = self.clone();
        for ob in other.buckets.allocated().filter(|b| b.slot != i64::MIN) {
            let i = ob.slot.rem_euclid(merged.buckets.len() as i64) as usize;
            let b = merged.buckets.get_mut(i);
            if b.slot == ob.slot {
                b.add(ob);
            } else if b.slot < ob.slot {
                *b = *ob;
            }
        }
        for (mine, theirs) in [(&mut merged.recent, &other.recent), (&mut merged.hourly, &other.hourly)] {
            for (slot, h) in theirs.slots.iter().flatten() {
                let i = slot.rem_euclid(mine.slots.len() as i64) as usize;
                match &mut mine.slots[i] {
                    Some((s, mh)) if s == slot => mh.add(h.as_ref()).expect("same bounds"),
                    Some((s, _)) if *s > *slot => {}
                    _ => mine.put(i, (*slot, h.clone())),
                }
            }
        }
        merged.watermark = match (self.watermark, other.watermark) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        // Slots were rewritten wholesale: no kept group sum holds.
        merged.step_groups.forget();
        merged.hourly.forget_groups();
        for c in &other.corrections {
            if !merged.corrections.contains(c) {
                merged.corrections.push(c.clone());
            }
        }
        if merged.corrections.len() > MAX_CORRECTIONS {
            return Err(FleetopsError::InvalidArgument(format!(
                "merged, the trackers would keep more than {MAX_CORRECTIONS} corrections"
            )));
        }
        merged.corrections.sort_by_key(|c| (c.start, c.end));
        let announced = merged.announced.specs().iter().chain(other.announced.specs()).cloned().collect();
        merged.announced = exclusions::announced_of(announced).map_err(|_| {
            FleetopsError::InvalidArgument(format!(
                "merged, the trackers would keep more than {MAX_ANNOUNCED} announced maintenance windows"
            ))
        })?;
        merged.totals.add(&other.totals);
        merged.recorded += other.recorded;
        merged.dropped.too_old += other.dropped.too_old;
        merged.dropped.future += other.dropped.future;
        *self = merged;
        Ok(())
    }
}
