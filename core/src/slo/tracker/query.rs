//! Answers for any `now`: window counts, SLIs, budgets, burn rates, latency percentiles and
//! threshold rules, summed from the buckets held.

use super::*;

impl SloTracker {
    /// The bucket slots of the `window` that ends with the bucket holding `now`: the last
    /// `ceil(window / resolution)` buckets.
    pub(super) fn window_slots(&self, window: TimeDelta, now_us: i64) -> (i64, i64) {
        let hi = now_us.div_euclid(self.res_us);
        let w = window.num_microseconds().unwrap_or(i64::MAX / 2);
        let n = ((w + self.res_us - 1) / self.res_us).max(1);
        (hi - n + 1, hi)
    }

    /// Sums the buckets with slots in [lo, hi].
    pub(super) fn sum(&self, lo: i64, hi: i64) -> Bucket {
        let len = self.buckets.len() as i64;
        let at = |slot: i64| Some(self.buckets.get(slot.rem_euclid(len) as usize)).filter(|b| b.slot == slot);
        let mut out = Bucket::default();
        // Walk only the slots in range the ring can hold (each at most once), whole groups
        // of steps by their kept sums.
        self.step_groups.walk(
            lo.max(hi - len + 1),
            hi,
            |first, last| {
                let mut g = Bucket::default();
                (first..=last).filter_map(at).for_each(|b| g.add(b));
                g
            },
            |part| match part {
                groups::Part::Whole(g) => out.add(g),
                groups::Part::Slot(s) => at(s).into_iter().for_each(|b| out.add(b)),
            },
        );
        out
    }

    /// Objective `i`'s time-slice budget over the slots `[lo, hi]`: each bucket outside the
    /// excluded spans is a slice, good when its SLI reaches the slice target (or counted with
    /// its own SLI, for ratio time slices); empty ones are left out. The budget is over the
    /// period's counted minutes.
    pub(super) fn slice_budget(
        &self,
        i: usize,
        t: config::SliceTarget,
        lo: i64,
        hi: i64,
        spans: &exclusions::Spans,
        counted_minutes: f64,
    ) -> crate::slo::TimeSliceBudget {
        let len = self.buckets.len() as i64;
        let excluded = |slot: i64| spans.covers_slot(slot);
        let slices: Vec<Counts> = (lo.max(hi - len + 1)..=hi)
            .filter(|&s| !excluded(s))
            .filter_map(|s| Some(self.buckets.get(s.rem_euclid(len) as usize)).filter(|b| b.slot == s))
            .map(|b| self.counts(i, b))
            .collect();
        let period = TimeDelta::microseconds(((counted_minutes * 60e6) as i64).max(self.res_us));
        let (objective, slice) = (self.objectives[i], self.config.resolution);
        match t.slice_target {
            None => crate::slo::ratio_timeslice_budget(objective, slice, period, &slices),
            Some(target) => crate::slo::timeslice_budget(
                objective,
                super::Objective::new(target).expect("checked with the configuration"),
                slice,
                period,
                &slices,
                crate::slo::EmptySlice::Skip,
            ),
        }
        .expect("a slice of the resolution fits a period of at least one")
    }

    /// Objective `name`'s events since the tracker started, outside maintenance windows: the
    /// exposition's `slo_events_total` and `slo_good_events_total` counters.
    pub fn counted(&self, name: &str) -> Result<Counts> {
        Ok(self.totals_of(self.objective_index(name)?))
    }

    /// Objective `i`'s events since the start, outside maintenance.
    pub(super) fn totals_of(&self, i: usize) -> Counts {
        let t = &self.totals;
        match self.latency_index[i] {
            None => Counts { good: t.total - t.bad, total: t.total },
            Some(k) => Counts { good: t.under[k], total: t.timed },
        }
    }

    pub(super) fn counts(&self, objective: usize, b: &Bucket) -> Counts {
        match self.latency_index[objective] {
            None => Counts { good: u64::from(b.total - b.bad), total: u64::from(b.total) },
            Some(k) => Counts { good: u64::from(b.under[k]), total: u64::from(b.timed) },
        }
    }

    /// Good and total counts of objective `name` over the `window` ending at `now`.
    pub fn window_counts(&self, name: &str, window: TimeDelta, now: Timestamp) -> Result<Counts> {
        let i = self.objective_index(name)?;
        let (lo, hi) = self.window_slots(window, now.timestamp_micros());
        let spans = self.spans(lo * self.res_us, (hi + 1) * self.res_us);
        Ok(self.counts(i, &self.sum_outside(lo, hi, &spans)))
    }

    pub(super) fn objective_index(&self, name: &str) -> Result<usize> {
        self.config
            .objectives
            .iter()
            .position(|o| o.name == name)
            .ok_or_else(|| FleetopsError::InvalidArgument(format!("unknown objective '{name}'")))
    }

    /// Latency percentiles over the `window` ending at `now`: windows of up to 60 resolution
    /// steps use per-step histograms, longer ones whole hours. Events inside maintenance were
    /// never recorded in them; the steps or hours a correction wholly covers are left out.
    pub fn latency(&self, window: TimeDelta, now: Timestamp) -> LatencyStatus {
        let to = now.timestamp_micros() + 1;
        let from = to - window.num_microseconds().unwrap_or(i64::MAX / 2);
        let ring = if window.num_microseconds().unwrap_or(i64::MAX) <= RECENT_STEPS as i64 * self.res_us {
            &self.recent
        } else {
            &self.hourly
        };
        let from = from.div_euclid(ring.width_us) * ring.width_us;
        let corrected = crate::maintenance::union(self.correction_spans(from, to));
        let h = ring.sum_outside(from, to, &corrected);
        let q = |p: f64| (!h.is_empty()).then(|| h.value_at_quantile(p) as f64 / 1_000.0);
        LatencyStatus { count: h.len(), p50_ms: q(0.5), p95_ms: q(0.95), p99_ms: q(0.99), p999_ms: q(0.999) }
    }

    /// Every objective's budget over the period and burn-rate verdicts, the period's latency
    /// percentiles, and what maintenance and corrections left out, at `now`.
    pub fn status(&self, now: Timestamp) -> TrackerStatus {
        let window = self.config.period.window_at(now);
        let (from, to) = (window.start.timestamp_micros(), now.timestamp_micros() + 1);
        let span = TimeDelta::microseconds(to - from);
        let (objectives, excluded) = self.judge(now);
        TrackerStatus {
            objectives,
            period: window,
            latency: self.latency(span, now),
            recorded: self.recorded,
            dropped: self.dropped,
            excluded,
        }
    }

    /// Every objective's budget over the period and burn-rate verdicts at `now`: the part of
    /// [`status`](Self::status) without the latency percentiles, cheap enough to ask at every
    /// step of a timeline.
    pub fn objectives_at(&self, now: Timestamp) -> Vec<ObjectiveStatus> {
        self.judge(now).0
    }

    /// Budgets and burn verdicts over the time outside maintenance and corrections.
    pub(super) fn judge(&self, now: Timestamp) -> (Vec<ObjectiveStatus>, Excluded) {
        let window = self.config.period.window_at(now);
        let now_us = now.timestamp_micros();
        let from = window.start.timestamp_micros();
        let (lo, hi) = (from.div_euclid(self.res_us), now_us.div_euclid(self.res_us));
        let burn_windows = self.config.burn.windows();
        // One expansion of the excluded spans covers the period (to its end, for the budget
        // minutes) and every burn window.
        let earliest = burn_windows.iter().map(|&w| self.window_slots(w, now_us).0).min().unwrap_or(lo).min(lo);
        let spans = self.spans(earliest * self.res_us, window.end.timestamp_micros().max((hi + 1) * self.res_us));
        let period_sum = self.sum_outside(lo, hi, &spans);
        // Each distinct burn window is summed once and shared by every objective.
        let sums: Vec<(TimeDelta, Bucket)> = burn_windows
            .into_iter()
            .map(|w| {
                let (lo, hi) = self.window_slots(w, now_us);
                (w, self.sum_outside(lo, hi, &spans))
            })
            .collect();
        let excluded = self.excluded(window.start, window.end, now, &spans);
        let counted_minutes = window.length_minutes - excluded.period_minutes;
        let objectives = self
            .config
            .objectives
            .iter()
            .enumerate()
            .map(|(i, o)| {
                let objective = self.objectives[i];
                let burn = self.config.burn.evaluate(objective, |w| {
                    let b = sums.iter().find(|(d, _)| *d == w).map(|(_, b)| *b).unwrap_or_default();
                    self.counts(i, &b)
                });
                let timeslices = o.timeslices.map(|t| self.slice_budget(i, t, lo, hi, &spans, counted_minutes));
                ObjectiveStatus {
                    name: o.name.clone(),
                    target: o.target,
                    timeslices,
                    counted: self.totals_of(i),
                    budget: event_budget(
                        objective,
                        self.counts(i, &period_sum),
                        Some(counted_minutes).filter(|m| *m > 0.0),
                    )
                    .expect("a period's counted length is finite and positive"),
                    burn,
                }
            })
            .collect();
        (objectives, excluded)
    }

    /// Evaluates threshold rules at `now`; a sustained rule is judged at every resolution step
    /// through its duration.
    pub fn evaluate_rules(
        &self,
        rules: &[crate::slo::rules::ThresholdRule],
        now: Timestamp,
    ) -> Result<Vec<crate::slo::rules::RuleResult>> {
        rules
            .iter()
            .map(|rule| {
                let (window, _) = rule.validate()?;
                let steps = rule.steps(Some(self.config.resolution))?;
                let stats: Vec<crate::slo::rules::WindowStats> = (0..steps)
                    .map(|k| {
                        let at = now - self.config.resolution * k as i32;
                        let (lo, hi) = self.window_slots(window, at.timestamp_micros());
                        let b = self.sum_outside(lo, hi, &self.spans(lo * self.res_us, (hi + 1) * self.res_us));
                        let lat = self.latency(window, at);
                        crate::slo::rules::WindowStats {
                            requests: u64::from(b.total),
                            failures: u64::from(b.bad),
                            p95_ms: lat.p95_ms,
                            p99_ms: lat.p99_ms,
                        }
                    })
                    .collect();
                rule.judge(&stats, steps)
            })
            .collect()
    }
}
