//! The runbooks' kill-switch table as mutes: each row (`key`, `until`, `reason`) mutes its key
//! until `until`, in force from the start of time. The same key in several rows (an operator
//! extending a mute in a new file) is one mute, until the latest `until`. A row without a key or
//! a readable `until`, and a file that cannot be read, is skipped and reported, never fatal: the
//! kill switch is the emergency tool, and one bad row must never stop alerting.

use std::collections::HashMap;

use super::mute::{Mute, MAX_MUTES};
use crate::error::Result;
use crate::time::Timestamp;

/// The mutes of a kill-switch table, read row by row in file order.
#[derive(Debug, Default)]
pub struct KillSwitch {
    /// Each key's latest `until` and its reason, in the order keys were first seen.
    keys: Vec<(String, Timestamp, Option<String>)>,
    at: HashMap<String, usize>,
    skipped: Vec<String>,
}

impl KillSwitch {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    /// Row `row` (1-based) of `source` (a file name): `until` as the binding read it.
    pub fn row(&mut self, source: &str, row: usize, key: Option<&str>, until: Result<Timestamp>, reason: Option<&str>) {
        let key = match key {
            Some(k) if !k.is_empty() => k,
            _ => return self.skipped.push(format!("{source} row {row}: skipped (no key)")),
        };
        let until = match until {
            Ok(t) => t,
            Err(e) => return self.skipped.push(format!("{source} row {row}: skipped ({})", e.detail())),
        };
        match self.at.get(key) {
            Some(&i) if until > self.keys[i].1 => self.keys[i] = (key.to_owned(), until, reason.map(str::to_owned)),
            Some(_) => {}
            None => {
                self.at.insert(key.to_owned(), self.keys.len());
                self.keys.push((key.to_owned(), until, reason.map(str::to_owned)));
            }
        }
    }

    /// A file that could not be read (not a regular file, too large, half written), and why.
    pub fn unreadable(&mut self, source: &str, why: &str) {
        self.skipped.push(format!("{source}: skipped, cannot be read ({why})"));
    }

    /// The mutes (at most [`MAX_MUTES`], the rest reported) and what was skipped.
    pub fn finish(mut self) -> (Vec<Mute>, Vec<String>) {
        if self.keys.len() > MAX_MUTES {
            let past = self.keys.len() - MAX_MUTES;
            self.skipped.push(format!("{past} keys past the {MAX_MUTES} mutes a list holds: skipped"));
            self.keys.truncate(MAX_MUTES);
        }
        let mutes = self
            .keys
            .into_iter()
            .map(|(key, until, reason)| Mute {
                id: key.clone(),
                key: Some(key),
                matchers: Vec::new(),
                starts_at: Timestamp::UNIX_EPOCH,
                ends_at: until,
                reason: reason.unwrap_or_default(),
            })
            .collect();
        (mutes, self.skipped)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::parse_timestamp;

    #[test]
    fn rows_become_one_mute_per_key_until_the_latest_and_bad_rows_are_reported() {
        let t = |s: &str| parse_timestamp(s);
        let mut k = KillSwitch::new();
        k.row("a.json", 1, Some("TRK-1"), t("2026-12-01T10:00:00Z"), Some("maintenance"));
        k.row("a.json", 2, Some(""), t("2026-12-01T10:00:00Z"), None);
        k.row("a.json", 3, Some("TRK-2"), t("tomorrow"), None);
        k.unreadable("b.parquet", "truncated");
        k.row("c.json", 1, Some("TRK-1"), t("2026-12-02T10:00:00Z"), Some("extended"));
        k.row("c.json", 2, Some("TRK-1"), t("2026-11-30T10:00:00Z"), Some("older"));
        let (mutes, skipped) = k.finish();
        assert_eq!(mutes.len(), 1);
        assert_eq!((mutes[0].key.as_deref(), mutes[0].reason.as_str()), (Some("TRK-1"), "extended"));
        assert_eq!(mutes[0].ends_at, t("2026-12-02T10:00:00Z").unwrap());
        assert_eq!(mutes[0].starts_at, Timestamp::UNIX_EPOCH);
        assert_eq!(skipped.len(), 3, "{skipped:?}");
        assert!(skipped[0].starts_with("a.json row 2: skipped (no key)"));
        assert!(skipped[1].starts_with("a.json row 3: skipped ("));
        assert_eq!(skipped[2], "b.parquet: skipped, cannot be read (truncated)");
    }

    #[test]
    fn keys_past_the_list_maximum_are_reported() {
        let mut k = KillSwitch::new();
        let until = parse_timestamp("2026-12-01T10:00:00Z");
        for i in 0..MAX_MUTES + 3 {
            k.row("a.json", i + 1, Some(&format!("K{i}")), until.clone(), None);
        }
        let (mutes, skipped) = k.finish();
        assert_eq!(mutes.len(), MAX_MUTES);
        assert_eq!(skipped, vec![format!("3 keys past the {MAX_MUTES} mutes a list holds: skipped")]);
    }
}
