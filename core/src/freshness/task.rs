//! What an orchestrator's task does with a freshness report unless told otherwise: the
//! presets the Airflow helpers (`fleetops.airflow`) start from, here so that no binding holds a
//! rule of its own.

use super::Level;

/// A task fails when a table is at one of these levels: `error`.
pub const TASK_FAIL_ON: &[Level] = &[Level::Error];
/// A task is skipped when a table is at one of these levels: none.
pub const TASK_SKIP_ON: &[Level] = &[];
/// A sensor is done when every table is at one of these levels: `pass`.
pub const SENSOR_DONE_ON: &[Level] = &[Level::Pass];
