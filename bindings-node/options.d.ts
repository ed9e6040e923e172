/**
 * The options of every fleetops call (camelCase fields). Generated from the core's spec types
 * by `cargo xtask codegen`; do not edit.
 */
import type { Level, CadenceCheckLearned, CadenceCheckInsufficientHistory, CadenceCheck, ScheduleCheck, TableFreshness, Summary, FreshnessReport, DbtMetadata, Period, DbtLimit, DbtCriteria, DbtJudged, RuntimeError, DbtFailed, DbtSourceResult, DbtSources, Objective, EventBudget, BudgetOk, BudgetNoData, Budget, Window, TimeSliceBudget, Forecast, BurnTier, BurnAlert, LatencySummary, Counts, ObjectiveStatus, LatencyStatus, Dropped, Occurrence, Correction, Excluded, TrackerStatus, RuleResult, PrometheusRules, RuleMetric, Comparison, DurationSpecObject, DurationSpec, ThresholdRule, ServiceStatus, CheckStatus, CheckResult, Health, DedupMode, DedupCounts, DedupStats, FlapSeries, DueAction, Due, Action, StormEventStormStarted, StormEventStormEnded, StormEventFleetStormStarted, StormEventFleetStormEnded, StormEventFlapStarted, StormEventFlapEnded, StormEvent, Verdict, MaintenanceSpec, StormConfig, StormCounts, StormingKey, FlappingKey, StormStats, LimitDecision, GroupNotification } from './results'
import type { LoadSchedule } from './index'

/** An instant: a `Date`, epoch milliseconds, or ISO-8601 text with an offset. */
export type TimeLike = Date | number | string

/** A duration: seconds, text such as `45m`, or dbt's `{count, period}`. */
export type DurationLike = number | string | DurationSpecObject

/** Just `now`. */
export interface NowOptions {
  /** Judge at this instant (default: the current time). */
  now?: TimeLike | null
}

/** A maintenance window as written in a spec: recurring (`cron`, `duration`, `timezone`) or once (`start`, `end`, ISO-8601 with an offset). */
export type MaintenanceWindowOptions = MaintenanceSpec

/**  */
export interface TierSpecObject {
  name: string
  maxAge?: DurationSpec | null
}

/** A tier: `[name, max_age]` or `{name, max_age}`; `max_age` null for the last tier. */
export type TierSpec = [string, DurationSpec | null] | TierSpecObject

/** A freshness policy as options; every field left out keeps its default. */
export interface PolicySpec {
  /** Start from a named preset (`runbook`) instead of the bare defaults. */
  preset?: string | null
  /** Tiers (default: the runbook's). */
  tiers?: TierSpec[] | null
  /** dbt's `warn_after`. */
  warnAfter?: DurationSpec | null
  /** dbt's `error_after`. */
  errorAfter?: DurationSpec | null
  /** Stale after this long without a load. */
  staleAfter?: DurationSpec | null
  /** Clock-skew tolerance (default 5 min). */
  clockSkewTolerance?: DurationSpec | null
  /** Level of a missing table (default error). */
  missingLevel?: string | null
  /** Level of a future-dated table (default warn). */
  futureLevel?: string | null
}

/** A freshness policy as options; every field left out keeps its default. */
export type PolicyOptions = PolicySpec

/** Options of `FreshnessPolicy.classify`. */
export interface ClassifyOptions {
  /** Judge at this instant (default: the current time). */
  now?: TimeLike | null
  /** The table's name, for the result. */
  table?: string | null
}

/** A schedule as options. */
export interface ScheduleOptions {
  /** IANA time zone (default UTC). */
  timezone?: string | null
  /** Allowed delay after each run (default 0). */
  allowedDelay?: DurationSpec | null
  /** Maintenance windows: a run scheduled inside one is due by the window's end plus the allowed delay (default none). */
  maintenance?: MaintenanceSpec[] | null
}

/** A schedule as options. */
export interface ScheduleSpec {
  /** Cron expression (5 or 6 fields). */
  cron: string
  /** IANA time zone (default UTC). */
  timezone?: string | null
  /** Allowed delay after each run (default 0). */
  allowedDelay?: DurationSpec | null
  /** Maintenance windows: a run scheduled inside one is due by the window's end plus the allowed delay (default none). */
  maintenance?: MaintenanceSpec[] | null
}

/** A schedule as options. */
export type ScheduleSpecOption = ScheduleSpec

/** A `LoadSchedule`, or the options of one. */
export type ScheduleLike = LoadSchedule | ScheduleSpecOption

/** One table of `classifyTables` / `dbtSources` given as a record. */
export interface TableOption {
  /** The table's name. */
  table: string
  /** `MAX(_loaded_at)`, or null when it has no rows. */
  lastLoadedAt?: TimeLike | null
  /** Past load times, for the learned cadence. */
  history?: TimeLike[] | null
  /** The expected schedule. */
  schedule?: ScheduleLike | null
}

/** Cadence options as given; missing fields keep [`CadenceOptions::default`]. */
export interface CadenceSpec {
  /** Intervals needed (default 5). */
  minIntervals?: number | null
  /** Spreads allowed (default 3). */
  spreadFactor?: number | null
  /** Least slack ratio (default 0.1). */
  minSlackRatio?: number | null
}

/** The options of a batch of tables (`classify_tables`, `dbt_sources`). */
export interface BatchOptions {
  /** Cadence options for tables with a history. */
  cadence?: CadenceSpec | null
  /** dbt source name for `dbt_sources` (default `fleetops`). */
  source?: string | null
  /** Judge at this instant (default: the current time). */
  now?: TimeLike | null
}

/** `check_cadence`'s options: the cadence's, and the clock skew its history may have. */
export interface CheckCadenceOptions {
  /** Intervals needed (default 5). */
  minIntervals?: number | null
  /** Spreads allowed (default 3). */
  spreadFactor?: number | null
  /** Least slack ratio (default 0.1). */
  minSlackRatio?: number | null
  /** Clock-skew tolerance for history entries (default 5 min). */
  clockSkewTolerance?: DurationSpec | null
  /** Judge at this instant (default: the current time). */
  now?: TimeLike | null
}

/** Counts as any two of good, bad and total (all three must agree). */
export interface CountsSpec {
  /** Good events. */
  good?: number | null
  /** Bad events. */
  bad?: number | null
  /** All events. */
  total?: number | null
}

/** Counts as any two of good, bad and total (all three must agree). */
export type CountsOption = CountsSpec

/** The counts of an events budget and, optionally, the period it adds the budget in minutes of. */
export interface EventBudgetSpec {
  /** Good events. */
  good?: number | null
  /** Bad events. */
  bad?: number | null
  /** All events. */
  total?: number | null
  /** Adds the budget in minutes of a period this long. */
  periodMinutes?: number | null
}

/** The counts of an events budget and, optionally, the period it adds the budget in minutes of. */
export type BudgetCountsOption = EventBudgetSpec

/** A period window's options: the period, its zone, and the objective that adds the budget. */
export interface PeriodOptions {
  /** IANA zone for calendar periods (default UTC). */
  timezone?: string | null
  /** Adds the budget in minutes at this objective. */
  objective?: number | null
  /** Judge at this instant (default: the current time). */
  now?: TimeLike | null
}

/** Time-slice budgeting's options. */
export interface TimesliceSpec {
  /** A slice is good when its SLI reaches this. */
  sliceTarget: number
  /** Slice length. */
  slice: DurationSpec
  /** Period length. */
  period: DurationSpec
  /** Slices without events: `good` (default), `bad` or `skip`. */
  empty?: string | null
}

/** Time-slice budgeting's options. */
export type TimesliceOptions = TimesliceSpec

/** A forecast's windows. */
export interface ForecastSpec {
  /** The SLO period. */
  period: DurationSpec
  /** Time left in it. */
  timeLeft: DurationSpec
}

/** A forecast's windows. */
export type ForecastOptions = ForecastSpec

/** A burn-rate tier as options. */
export interface BurnTierSpec {
  /** Name. */
  name: string
  /** Severity (default `page`). */
  severity?: string | null
  /** Long window. */
  long: DurationSpec
  /** Short window. */
  short: DurationSpec
  /** Burn-rate factor. */
  factor: number
}

/** A burn policy: a preset or explicit tiers, and the low-traffic guard. */
export interface BurnPolicySpec {
  /** `sre_workbook` (default), `sloth` or `pyrra`. */
  preset?: string | null
  /** The SLO period the Sloth and Pyrra presets scale with (default `30d`). */
  period?: DurationSpec | null
  /** Explicit tiers instead of a preset. */
  tiers?: BurnTierSpec[] | null
  /** Events the long window needs before a tier may fire (default 1). */
  minEvents?: number | null
}

/** A burn policy: a preset or explicit tiers, and the low-traffic guard. */
export type BurnPolicyOptions = BurnPolicySpec

/** A latency histogram's range and precision. */
export interface HistogramSpec {
  /** Highest trackable latency in ms (default one hour). */
  maxMs?: number | null
  /** 1 to 5 (default 3). */
  significantFigures?: number | null
}

/** A latency histogram's range and precision. */
export type LatencyHistogramOptions = HistogramSpec

/** Time-slice budgeting of an objective: each bucket of the tracker's resolution is a slice. */
export interface SliceTarget {
  /** OpenSLO's `Timeslices`: a slice is good when its SLI is at or above this, strictly between 0 and 1. */
  sliceTarget?: number | null
  /** OpenSLO's `RatioTimeslices` instead: every slice counts with its own SLI (the period's SLI is their mean; a slice's downtime is its bad share of its minutes). */
  ratio?: boolean
}

/** One tracked objective. */
export interface TrackedObjective {
  /** Its name in results, e.g. `availability`. */
  name: string
  /** Its target, strictly between 0 and 1. */
  target: number
  /** Time-slice budgeting besides the events budget: each bucket of the tracker's resolution is a slice, good when its SLI reaches `slice_target` (OpenSLO's `Timeslices`). */
  timeslices?: SliceTarget | null
}

/** A tracker's configuration as options; left-out fields keep the runbook's. */
export interface TrackerSpec {
  /** `30d`, `month`, ... (default `month`). */
  period?: string | null
  /** Zone of calendar periods (default UTC). */
  timezone?: string | null
  /** Bucket width (default 1 min). */
  resolution?: DurationSpec | null
  /** Objectives (default the runbook's four). */
  objectives?: TrackedObjective[] | null
  /** Burn tiers (default the SRE Workbook's). */
  burn?: BurnPolicySpec | null
  /** How far ahead of the newest event an event may be (default 5 min). */
  maxFuture?: DurationSpec | null
  /** Maintenance windows left out of budgets and burn windows (default none). */
  maintenance?: MaintenanceSpec[] | null
}

/** A tracker's configuration as options; left-out fields keep the runbook's. */
export type SloTrackerOptions = TrackerSpec

/** The options of `SloTracker.announce_maintenance`: a name and the least notice. */
export interface AnnounceSpec {
  /** A name for status and reports (default [`super::ANNOUNCED_NAME`]). */
  name?: string | null
  /** The least time between `now` and the start (default [`super::MAINTENANCE_NOTICE_MINUTES`]). */
  notice?: DurationSpec | null
}

/** The options of `SloTracker.announce_maintenance`: a name and the least notice. */
export type AnnounceOptions = AnnounceSpec

/** The options of `judge_rule`: the tracker resolution the stats were taken at. */
export interface JudgeSpec {
  /** The resolution (default [`super::DEFAULT_RESOLUTION`]). */
  resolution?: DurationSpec | null
}

/** The options of `judge_rule`: the tracker resolution the stats were taken at. */
export type JudgeOptions = JudgeSpec

/** One rule, as options. */
export type RuleOption = ThresholdRule

/** One window's numbers. */
export interface WindowStats {
  /** Requests. */
  requests: number
  /** Failed requests. */
  failures: number
  /** 95th percentile latency, ms. */
  p95Ms?: number | null
  /** 99th percentile latency, ms. */
  p99Ms?: number | null
}

/** One window's numbers. */
export type WindowStatsOption = WindowStats

/** One check's outcome as measured by the caller. */
export interface CheckInput {
  /** The dependency, e.g. `database`. */
  name: string
  /** Whether it answered at all. */
  ok: boolean
  /** How long it took (ms), if timed. */
  latencyMs?: number | null
  /** Latency above which it is degraded (default 1,000 ms). */
  degradedAboveMs?: number | null
  /** The caller's words for a check that answered (a detail). A failed check's message is always the fixed `<name> is down`: raw errors go to the server's log, not to clients. */
  message?: string | null
  /** Anything else to pass through (connections, memory figures). */
  details?: unknown
}

/** One check's outcome as measured by the caller. */
export type HealthCheckOption = CheckInput

/** A key: a number or bigint as is, a string or an array of parts hashed. */
export type KeyLike = number | bigint | string | Array<number | string | bigint>

/** A column of keys: a typed array read in place, or an array of keys. */
export type KeysLike = BigUint64Array | BigInt64Array | Float64Array | Array<KeyLike>

/** Options of a de-duplicator; only `horizon` is required. */
export interface DeduperSpec {
  /** How long a key is remembered (event time). */
  horizon?: DurationSpec | null
  /** Default 0. */
  allowedLateness?: DurationSpec | null
  /** Default 5 minutes. */
  maxFuture?: DurationSpec | null
  /** Exact mode's key cap; default none. */
  maxKeys?: number | null
  /** `exact` (default) or `bloom`. */
  mode?: string | null
  /** Bloom mode: keys per horizon the first filter is sized for; default 1,000,000. Exact mode: the live keys the table is sized for up front (24.6 bytes each); default none. */
  expectedKeys?: number | null
  /** Bloom mode: false-positive rate; default 0.01. */
  fpr?: number | null
}

/** Options of a de-duplicator; only `horizon` is required. */
export type DeduperOptions = DeduperSpec

/** Which row of a key survives. */
export type Keep = 'first' | 'last'

/** Numbers: a `Float64Array` read in place, or an array of numbers. */
export type Floats = Float64Array | number[]

/** Options of `dedupMask` / `dedupIndices`. */
export interface DedupOptions {
  /** Which row of a key survives (default `first`). */
  keep?: Keep | null
  /** Keep the row with the smallest (`first`) or largest (`last`) value, ties by position. */
  orderBy?: Floats | null
}

/** [`StormConfig`] with every field optional. */
export interface StormSpec {
  /** The base the other fields change: `runbook` (default) or `task_failures`. */
  preset?: string | null
  window?: DurationSpec | null
  resolution?: DurationSpec | null
  enterAbove?: number | null
  exitBelow?: number | null
  cooldown?: DurationSpec | null
  fleetEnter?: number | null
  fleetExit?: number | null
  flapHigh?: number | null
  flapLow?: number | null
  maxFuture?: DurationSpec | null
  maxKeys?: number | null
  maintenance?: MaintenanceSpec[] | null
}

/** [`StormConfig`] with every field optional. */
export type StormOptions = StormSpec

/** Options of `StormDetector.observe`. */
export interface ObserveOptions {
  /** The alert's labels (names kept as written). */
  labels?: Record<string, string> | null
  /** Firing (default) or resolved. */
  firing?: boolean | null
  /** Enables the future check. */
  now?: TimeLike | null
}

/** A matcher's operator. */
export type MatchOp = '=' | '!=' | '=~' | '!~'

/** One matcher, e.g. `vehicle_id = "TRK-042"` or `alertname =~ "Sensor.*"`. */
export interface Matcher {
  /** Label name. */
  name: string
  /** `=`, `!=`, `=~`, `!~` (default `=`). */
  op?: MatchOp
  /** Value or pattern. */
  value: string
}

/** One mute: by key, by matchers, or both (all must match). */
export interface Mute {
  /** Stable id (e.g. the kill-switch row id). */
  id: string
  /** The alert key it mutes (a `vehicle_id`), if any. */
  key?: string | null
  /** Label matchers, all of which must match. */
  matchers?: Matcher[]
  /** First muted instant; left out, the mute applies from the start of time (a kill-switch row says only until when). */
  startsAt?: string
  /** First instant no longer muted. */
  endsAt: string
  /** Why (shown with every muted alert). */
  reason?: string
}

/** One mute: by key, by matchers, or both (all must match). */
export type MuteOption = Mute

/** The serialised form of a [`Matcher`]. */
export interface MatcherSpec {
  /** Label name. */
  name: string
  /** `=`, `!=`, `=~`, `!~` (default `=`). */
  op?: MatchOp
  /** Value or pattern. */
  value: string
}

/** The serialised form of a [`Matcher`]. */
export type MatcherOption = MatcherSpec

/** `flap_series`' thresholds as options. */
export interface FlapSpec {
  /** Flapping starts above this percent (default [`FLAP_HIGH_PERCENT`]). */
  high?: number | null
  /** ... and stops below this one (default [`FLAP_LOW_PERCENT`]). */
  low?: number | null
}

/** `flap_series`' thresholds as options. */
export type FlapOptions = FlapSpec

/** [`EscalationPolicy`] overrides. */
export interface EscalationSpec {
  warningToCritical?: DurationSpec | null
  autoAcknowledge?: DurationSpec | null
  timezone?: string | null
}

/** [`EscalationPolicy`] overrides. */
export type EscalationPolicyOptions = EscalationSpec

/** A priority and its response clock. */
export type Priority = 'P0' | 'P1' | 'P2' | 'P3'

/** One alert's lifecycle, as the caller's store has it. */
export interface AlertRecord {
  /** Its id. */
  id: string
  /** When it was raised. */
  raisedAt: string
  /** `warning`, `critical`, ... */
  severity?: string
  /** P0..P3, if triaged. */
  priority?: Priority | null
  /** When someone acknowledged it. */
  ackedAt?: string | null
  /** When someone acted on it (a comment, an assignment). */
  actionedAt?: string | null
  /** When it resolved. */
  resolvedAt?: string | null
}

/** One alert's lifecycle, as the caller's store has it. */
export type AlertRecordOption = AlertRecord

/** [`LimitConfig`] with every field optional (`burst` defaults to `limit`). */
export interface LimitSpec {
  limit?: number | null
  period?: DurationSpec | null
  burst?: number | null
  mode?: string | null
  maxKeys?: number | null
}

/** [`LimitConfig`] with every field optional (`burst` defaults to `limit`). */
export type RateLimiterOptions = LimitSpec

/** [`GroupConfig`] with every field optional. */
export interface GroupSpec {
  groupBy?: string[] | null
  groupWait?: DurationSpec | null
  groupInterval?: DurationSpec | null
  repeatInterval?: DurationSpec | null
  maintenance?: MaintenanceSpec[] | null
}

/** [`GroupConfig`] with every field optional. */
export type GrouperOptions = GroupSpec
