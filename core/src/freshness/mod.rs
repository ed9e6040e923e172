//! Data freshness: age -> class with named tiers, dbt warn/error criteria, staleness, clock
//! skew, learned cadence and cron schedules.
//!
//! The runbook preset ([`FreshnessPolicy::runbook`]) encodes the analytics runbook's tiers (<= 60 min
//! EXCELLENT, <= 360 GOOD, <= 720 ACCEPTABLE, else POOR), warn after 360 min, error after
//! 720 min, and the compressor fleet runbook's staleness alert after 3 h.

mod cadence;
mod criteria;
mod dbt;
mod level;
mod policy;
mod report;
mod schedule;
mod spec;
mod task;
mod tiers;
mod verdict;
pub mod warehouse;

pub use cadence::{check_cadence, CadenceCheck, CadenceOptions};
pub use criteria::{Criteria, DbtCriteria, DbtLimit, Limit};
pub use dbt::{DbtFailed, DbtJudged, DbtMetadata, DbtSourceResult, DbtSources};
pub use level::Level;
pub use policy::{AgeVerdict, FreshnessPolicy, DEFAULT_CLOCK_SKEW};
pub use report::{
    classify_table, classify_tables, record_order, report_of, FreshnessReport, Summary, TableInput, DEFAULT_DBT_SOURCE,
};
pub use schedule::{LoadSchedule, ScheduleCheck};
pub use spec::{BatchSpec, CadenceSpec, CheckCadenceSpec, DurationSpec, PolicySpec, ScheduleSpec, TableSpec, TierSpec};
pub use task::{SENSOR_DONE_ON, TASK_FAIL_ON, TASK_SKIP_ON};
pub use tiers::{Tier, Tiers, FUTURE, MISSING};
pub use verdict::TableFreshness;
