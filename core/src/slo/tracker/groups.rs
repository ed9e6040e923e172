//! Sums over ranges of a ring's slots with the sums of whole groups of slots kept once asked
//! for: a month's status adds 30-odd day histograms and 720-odd hour buckets in place of 720
//! hour histograms and 43,200 minute buckets. A group's sum is dropped when a slot in it is
//! written or overwritten, so a cached sum is always the sum of the slots as they are.

use std::sync::OnceLock;

/// A part of a range: a whole group's sum, or one slot.
pub(super) enum Part<'a, T> {
    /// The sum of a group of slots wholly inside the range.
    Whole(&'a T),
    /// A slot of the range outside any whole group.
    Slot(i64),
}

/// The kept sums of groups of `per` consecutive slots, in a ring of their own.
#[derive(Debug, Clone)]
pub(super) struct GroupSums<T> {
    per: i64,
    cells: Vec<OnceLock<(i64, T)>>,
}

impl<T> GroupSums<T> {
    /// Groups of `per` slots over a ring of `slots` (two cells spare: a range need not start
    /// on a group's first slot).
    pub(super) fn new(per: i64, slots: usize) -> Self {
        Self { per, cells: (0..slots / per as usize + 2).map(|_| OnceLock::new()).collect() }
    }

    fn cell(&self, group: i64) -> usize {
        group.rem_euclid(self.cells.len() as i64) as usize
    }

    /// Slot `slot` changed (written, or overwritten by a newer slot): its group's sum is stale.
    #[inline]
    pub(super) fn changed(&mut self, slot: i64) {
        let i = self.cell(slot.div_euclid(self.per));
        if self.cells[i].get().is_some() {
            self.cells[i] = OnceLock::new();
        }
    }

    /// Drops every kept sum (after a merge rewrote slots wholesale).
    pub(super) fn forget(&mut self) {
        self.cells.iter_mut().for_each(|c| drop(c.take()));
    }

    /// Group sums kept.
    pub(super) fn kept(&self) -> usize {
        self.cells.iter().filter(|c| c.get().is_some()).count()
    }

    /// Bytes of the cells themselves (a kept `T`'s own heap memory is its owner's to count).
    pub(super) fn cell_bytes(&self) -> usize {
        self.cells.len() * std::mem::size_of::<OnceLock<(i64, T)>>()
    }

    /// Walks the slots `lo ..= hi`: `visit` gets the sum of each group wholly inside (kept,
    /// or made by `sum(first, last)` and kept) and each other slot.
    pub(super) fn walk(&self, lo: i64, hi: i64, sum: impl Fn(i64, i64) -> T, mut visit: impl FnMut(Part<'_, T>)) {
        let mut s = lo;
        while s <= hi {
            let g = s.div_euclid(self.per);
            let (first, last) = (g * self.per, g * self.per + self.per - 1);
            if s != first || last > hi {
                visit(Part::Slot(s));
                s += 1;
                continue;
            }
            let cell = &self.cells[self.cell(g)];
            match cell.get() {
                Some((kept, total)) if *kept == g => visit(Part::Whole(total)),
                // The cell holds an older group nothing has written over since: not ours.
                Some(_) => visit(Part::Whole(&sum(first, last))),
                None => visit(Part::Whole(&cell.get_or_init(|| (g, sum(first, last))).1)),
            }
            s = last + 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_is_whole_groups_and_single_slots_and_a_write_drops_its_group() {
        let mut values: Vec<i64> = (0..100).collect();
        let mut groups = GroupSums::<i64>::new(10, values.len());
        let total = |g: &GroupSums<i64>, v: &[i64], lo: i64, hi: i64| {
            let (mut t, mut wholes) = (0, 0);
            g.walk(
                lo,
                hi,
                |a, b| v[a as usize..=b as usize].iter().sum(),
                |part| match part {
                    Part::Whole(s) => (t, wholes) = (t + s, wholes + 1),
                    Part::Slot(s) => t += v[s as usize],
                },
            );
            (t, wholes)
        };
        assert_eq!(total(&groups, &values, 5, 94), ((5..=94).sum(), 8));
        assert_eq!(groups.kept(), 8);
        values[42] += 1000;
        groups.changed(42);
        assert_eq!(groups.kept(), 7);
        assert_eq!(total(&groups, &values, 0, 99), ((0..=99).sum::<i64>() + 1000, 10));
        groups.forget();
        assert_eq!(groups.kept(), 0);
    }
}
