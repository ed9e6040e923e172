/**
 * The result of every fleetops call (camelCase fields; map keys such as table names stay as
 * they are). Generated from the core's result types by `cargo xtask codegen`; do not edit.
 */

/** How bad a freshness result is, ordered so that `max` gives the worst. */
export type Level = 'pass' | 'warn' | 'error'

/** Enough history: the cadence is known and the table is or is not late. */
export interface CadenceCheckLearned {
  status: 'learned'
  /** Median gap between loads. */
  expectedIntervalSeconds: number
  /** 1.4826 x median absolute deviation of the gaps. */
  spreadSeconds: number
  /** The largest gap that is not late. */
  allowedGapSeconds: number
  /** Time since the last load. */
  currentGapSeconds: number
  /** Intervals the cadence was learned from. */
  intervals: number
  /** The current gap exceeds the allowed gap. */
  late: boolean
}

/** Too few intervals to say; no guess is made. */
export interface CadenceCheckInsufficientHistory {
  status: 'insufficient_history'
  /** Intervals in the history. */
  intervals: number
  /** Intervals needed. */
  needed: number
}

/** The result of checking a table against its learned cadence. */
export type CadenceCheck = CadenceCheckLearned | CadenceCheckInsufficientHistory

/** Where a table stands against its schedule at `now`. */
export interface ScheduleCheck {
  /** The latest scheduled run whose deadline has passed. */
  expectedRunAt: string | null
  /** That run's deadline (run time + allowed delay). */
  deadline: string | null
  /** The next deadline after `now`. */
  nextDeadline: string | null
  /** No load at or after `expected_run_at`. */
  late: boolean
  /** The maintenance window that moved `next_deadline` to its end (the run it waits for is scheduled inside it), if one did. */
  heldByMaintenance: string | null
}

/** The verdict for one table. */
export interface TableFreshness {
  /** The table's name. */
  table: string
  /** Its tier name, or `MISSING` / `FUTURE`. */
  class: string
  /** dbt level: pass, warn or error. */
  level: Level
  /** Seconds since the last load (0 within the skew tolerance, negative when `FUTURE`, absent when `MISSING`). */
  ageSeconds: number | null
  /** The last load time used. */
  lastLoadedAt: string | null
  /** The `now` the table was judged at. */
  snapshottedAt: string
  /** Older than the policy's `stale_after` (a missing table is stale). */
  stale: boolean
  /** How far the last load is dated ahead of `now`, in seconds (0 when not ahead). */
  clockSkewSeconds: number
  /** Late against its learned cadence or its schedule; absent when neither is known. */
  late: boolean | null
  /** The learned-cadence check, when a history was given. */
  cadence: CadenceCheck | null
  /** The schedule check, when a schedule was given. */
  schedule: ScheduleCheck | null
  /** Why the table's load time could not be read from the warehouse (a missing table or column, no permission, a timeout), in the database's words; the table is then `error`. Absent when it was read (or handed over). */
  readError?: string | null
}

/** Counts and lists over a batch. */
export interface Summary {
  /** Tables judged. */
  total: number
  /** The worst level (pass for an empty batch). */
  worstLevel: Level
  /** Tables per level. */
  levels: Record<string, number>
  /** Tables per class, in tier order, then `MISSING` and `FUTURE`. */
  classes: Record<string, number>
  /** Names of stale tables. */
  stale: string[]
  /** Names of late tables (cadence or schedule). */
  late: string[]
  /** Names of tables at warn level. */
  warn: string[]
  /** Names of tables at error level. */
  error: string[]
}

/** A batch result. */
export interface FreshnessReport {
  /** One result per input table, in input order. */
  results: TableFreshness[]
  /** The batch summary. */
  summary: Summary
}

/** The artifact's metadata. */
export interface DbtMetadata {
  /** The schema dbt's readers check. */
  dbt_schema_version: string
  /** The `now` judged at (null for an empty batch). */
  generated_at: string | null
  /** dbt's run id (null: no dbt run). */
  invocation_id: string | null
}

/** dbt's freshness periods. */
export type Period = 'minute' | 'hour' | 'day'

/** dbt's `{count, period}`: both null for a limit not set. */
export interface DbtLimit {
  /** How many periods (whole, or fractional minutes for a duration of odd seconds). */
  count: number | null
  /** `minute`, `hour` or `day`. */
  period: Period | null
}

/** dbt's `criteria` of a source. */
export interface DbtCriteria {
  /** Warn past this age. */
  warn_after: DbtLimit
  /** Error past this age. */
  error_after: DbtLimit
  /** dbt's row filter (always null: fleetops judges the loads it is given). */
  filter: string | null
}

/** A judged source. */
export interface DbtJudged {
  /** `source.<source>.<table>`. */
  unique_id: string
  /** The last load (ISO-8601 UTC). */
  max_loaded_at: string
  /** The `now` judged at. */
  snapshotted_at: string
  /** Seconds since the last load. */
  max_loaded_at_time_ago_in_s: number | null
  /** `pass`, `warn` or `error`. */
  status: Level
  /** The criteria judged by. */
  criteria: DbtCriteria
  /** dbt's adapter response (empty: no warehouse was queried). */
  adapter_response: Record<string, unknown>
  /** dbt's timing entries (none). */
  timing: unknown[]
  /** The thread that judged it. */
  thread_id: string
  /** Seconds taken (0). */
  execution_time: number
}

/** The one status word of [`DbtFailed`], as the schema declares it. */
export type RuntimeError = 'runtime error'

/** A source dbt could not judge. */
export interface DbtFailed {
  /** `source.<source>.<table>`. */
  unique_id: string
  /** Always `runtime error`. */
  status: RuntimeError
  /** What went wrong. */
  error: string
  /** The criteria it would have been judged by. */
  criteria: DbtCriteria
}

/** One source's result: judged, or dbt's `runtime error` for a table never loaded. */
export type DbtSourceResult = DbtJudged | DbtFailed

/** dbt's `sources.json`. */
export interface DbtSources {
  /** The artifact's metadata. */
  metadata: DbtMetadata
  /** One result per table, in input order. */
  results: DbtSourceResult[]
  /** Seconds the run took (0: fleetops judges in-process). */
  elapsed_time: number
}

/** An SLO target such as 0.999, strictly between 0 and 1 (100 % leaves no error budget). */
export type Objective = number

/** The numbers of an events-based budget. Nothing is rounded or clamped: an overspent budget has negative `remaining_events` and `used_percent` above 100. */
export interface EventBudget {
  /** The objective. */
  objective: Objective
  /** `1 - objective`. */
  errorBudget: number
  /** Good events. */
  good: number
  /** Bad events (the budget consumed). */
  bad: number
  /** All events. */
  total: number
  /** `good / total`. */
  sli: number
  /** Bad events allowed: `(1 - objective) * total`. */
  budgetEvents: number
  /** `budget_events - bad`. */
  remainingEvents: number
  /** `bad / budget_events * 100`. */
  usedPercent: number
  /** `100 - used_percent`. */
  remainingPercent: number
  /** `(bad / total) / (1 - objective)`. */
  burnRate: number
  /** More bad events than the budget allows. */
  overspent: boolean
  /** The budget in minutes of the period, when a period length was given. */
  budgetMinutes: number | null
  /** Minutes of budget left: `budget_minutes * remaining_percent / 100`. */
  remainingMinutes: number | null
}

/** At least one event. */
export interface BudgetOk extends EventBudget {
  status: 'ok'
}

/** No events: nothing to judge, and no NaN. */
export interface BudgetNoData {
  status: 'no_data'
  /** The objective. */
  objective: Objective
}

/** An events-based budget, or no data when there were no events. */
export type Budget = BudgetOk | BudgetNoData

/** A period's bounds at some `now`. */
export interface Window {
  /** Inclusive start. */
  start: string
  /** Exclusive end (`now` for rolling periods). */
  end: string
  /** `end - start` in minutes. */
  lengthMinutes: number
  /** Time from `start` to `now` in minutes. */
  elapsedMinutes: number
  /** Downtime the whole period allows at the objective, when one was given. */
  budgetMinutes: number | null
}

/** The result of time-slice budgeting over a period. */
export interface TimeSliceBudget {
  /** The objective (share of good slices). */
  objective: Objective
  /** Slices whose SLI met the slice target. */
  goodSlices: number
  /** Slices that missed it (downtime). */
  badSlices: number
  /** Slices without events (counted as `empty_slices_are`). */
  emptySlices: number
  /** `good_slices / (good_slices + bad_slices)`; null when no slice counted. */
  sli: number | null
  /** Downtime: `bad_slices * slice length`. */
  downtimeMinutes: number
  /** Downtime the period allows: `(1 - objective) * period minutes`. */
  budgetMinutes: number
  /** `budget_minutes - downtime_minutes` (negative when overspent). */
  remainingMinutes: number
  /** `downtime_minutes / budget_minutes * 100`. */
  usedPercent: number
  /** Downtime exceeds the budget. */
  overspent: boolean
}

/** Where the budget is heading. */
export interface Forecast {
  /** Seconds until the budget is spent at `burn_rate`: 0 when already spent, null when the burn rate is 0 (never). */
  exhaustionSeconds: number | null
  /** Budget left at the end of the period if `burn_rate` holds, in percent (may be negative). */
  remainingPercentAtEnd: number
  /** The budget will be spent before the period ends. */
  exhaustsBeforeEnd: boolean
}

/** One alerting tier. */
export interface BurnTier {
  /** A name, e.g. `page_fast`. */
  name: string
  /** Severity label, e.g. `page` or `ticket`. */
  severity: string
  /** Long window. */
  long: number
  /** Short window (stops the alert soon after the burn stops). */
  short: number
  /** Burn rate both windows must exceed. */
  factor: number
}

/** One tier's verdict, with the numbers behind it. */
export interface BurnAlert {
  /** The tier's name. */
  tier: string
  /** Its severity. */
  severity: string
  /** Its factor. */
  factor: number
  /** Long window in seconds. */
  longWindowSeconds: number
  /** Short window in seconds. */
  shortWindowSeconds: number
  /** Burn rate over the long window (null without events). */
  longBurnRate: number | null
  /** Burn rate over the short window (null without events). */
  shortBurnRate: number | null
  /** Events in the long window. */
  longEvents: number
  /** Events in the short window. */
  shortEvents: number
  /** Both windows exceed the factor and the guard lets it through. */
  firing: boolean
  /** A faster tier of the same objective fires too (its name): this one is not a page of its own. */
  inhibitedBy: string | null
  /** The low-traffic guard held it back. */
  suppressedLowTraffic: boolean
  /** Why, in words. */
  reason: string
}

/** Summary numbers of a histogram (all in ms; null when empty). */
export interface LatencySummary {
  /** Recorded latencies. */
  count: number
  /** Latencies recorded at the maximum because they exceeded it. */
  clamped: number
  /** Smallest (within precision). */
  minMs: number | null
  /** Largest (within precision). */
  maxMs: number | null
  /** Mean. */
  meanMs: number | null
  /** Median. */
  p50Ms: number | null
  /** 95th percentile. */
  p95Ms: number | null
  /** 99th percentile. */
  p99Ms: number | null
  /** 99.9th percentile. */
  p999Ms: number | null
}

/** Good and total events over some window. */
export interface Counts {
  /** Events that met the objective. */
  good: number
  /** All events. */
  total: number
}

/** One objective's standing. */
export interface ObjectiveStatus {
  /** The objective's name. */
  name: string
  /** The target. */
  target: number
  /** Its events since the tracker started, outside maintenance windows: what the exposition's counters (`slo_events_total`, `slo_good_events_total`) carry and Prometheus rules read. */
  counted: Counts
  /** Events-based budget over the period (status `no_data` without events). */
  budget: Budget
  /** Every burn tier's verdict. */
  burn: BurnAlert[]
  /** With a slice target: the period's time-slice budget, one slice per bucket outside maintenance and corrections (slices without events are left out). */
  timeslices: TimeSliceBudget | null
}

/** Latency percentiles over a window (ms; null without timed requests). */
export interface LatencyStatus {
  /** Timed requests. */
  count: number
  /** Median. */
  p50Ms: number | null
  /** 95th percentile. */
  p95Ms: number | null
  /** 99th percentile. */
  p99Ms: number | null
  /** 99.9th percentile. */
  p999Ms: number | null
}

/** Counts dropped events by reason. */
export interface Dropped {
  /** Older than the retention. */
  tooOld: number
  /** Further ahead of the caller's `now` than `max_future`. */
  future: number
}

/** One occurrence of a window: `[start, end)`. */
export interface Occurrence {
  /** The window's name. */
  name: string
  /** The first instant inside. */
  start: string
  /** The first instant after. */
  end: string
}

/** A past range excluded after the fact: `[start, end)`, and why. */
export interface Correction {
  /** The first instant excluded. */
  start: string
  /** The first instant after. */
  end: string
  /** Why, e.g. `provider outage INC-1234`. */
  reason: string
}

/** What a status left out of the period. */
export interface Excluded {
  /** Minutes of the whole period inside maintenance windows or corrections: the budget minutes are counted over the rest. */
  periodMinutes: number
  /** Of those, the minutes from the period's start to `now`. */
  elapsedMinutes: number
  /** Events recorded in excluded time this period so far, counted neither good nor bad. */
  events: number
  /** Whether `now` is inside a maintenance window. */
  inMaintenance: boolean
  /** The maintenance windows overlapping the period, those still ahead included. */
  maintenance: Occurrence[]
  /** The corrections overlapping the period. */
  corrections: Correction[]
}

/** Everything at `now`. */
export interface TrackerStatus {
  /** The period's bounds and budget length. */
  period: Window
  /** One entry per objective. */
  objectives: ObjectiveStatus[]
  /** Percentiles over the period (hour granularity; 1 % precision). */
  latency: LatencyStatus
  /** Events accepted so far. */
  recorded: number
  /** Events dropped, by reason. */
  dropped: Dropped
  /** Maintenance and corrections: what the budgets left out. */
  excluded: Excluded
}

/** A rule's verdict. */
export interface RuleResult {
  /** The rule's name. */
  name: string
  /** Its severity. */
  severity: string
  /** The metric over the latest window (null without data). */
  value: number | null
  /** The threshold. */
  threshold: number
  /** Whether it fires. */
  firing: boolean
  /** Why, in words. */
  reason: string
}

/** Generated rule files. */
export interface PrometheusRules {
  /** A Prometheus rule file (YAML): recording and alerting rules. */
  rules: string
  /** An Alertmanager `inhibit_rules` section (YAML). */
  inhibitRules: string
}

/** What a rule measures over its window. */
export type RuleMetric = 'error_rate' | 'requests' | 'failures' | 'latency_p95_ms' | 'latency_p99_ms'

/** How the metric is compared with the threshold. */
export type Comparison = '>' | '>=' | '<' | '<='

/** dbt's shape. */
export interface DurationSpecObject {
  /** How many periods (a whole number). */
  count: number
  /** `minute`, `hour` or `day`. */
  period: string
}

/** A duration as users write it: seconds, text (`45m`), or dbt's `{count, period}`. */
export type DurationSpec = number | string | DurationSpecObject

/** One rule, as options. */
export interface ThresholdRule {
  /** Its name, e.g. `high_error_rate`. */
  name: string
  /** What it measures. */
  metric: RuleMetric
  /** `>`, `>=`, `<` or `<=`. */
  op: Comparison
  /** The threshold (a ratio for `error_rate`, ms for latencies, a count otherwise). */
  threshold: number
  /** The window the metric is measured over. */
  window: DurationSpec
  /** Severity label. */
  severity: string
  /** Must hold throughout this long (optional). */
  sustained: DurationSpec | null
}

/** The service's status as declared in the schema (the words of [`Health::status`]). */
export type ServiceStatus = 'healthy' | 'degraded' | 'down'

/** A check's status, ordered so that `max` is the worst. */
export type CheckStatus = 'ok' | 'degraded' | 'down'

/** One judged check. */
export interface CheckResult {
  /** Its status. */
  status: CheckStatus
  /** Why. */
  message: string
  /** Its latency in ms, if timed. */
  latency?: number | null
  /** Passed through from the input. */
  details?: unknown
}

/** The endpoint's answer. */
export interface Health {
  /** `healthy`, `degraded` or `down`. */
  status: ServiceStatus
  /** The HTTP status to answer with: 200, or 503 when down. */
  httpStatus: number
  /** Per check by name, in input order. */
  checks: Record<string, CheckResult>
}

/** How keys are remembered. */
export type DedupMode = 'exact' | 'bloom'

/** How many events got each outcome, and how many keys were evicted by the cap. */
export interface DedupCounts {
  /** Events seen for the first time. */
  first: number
  /** Duplicates. */
  duplicate: number
  /** Late events. */
  late: number
  /** Events too far in the future. */
  future: number
  /** Keys forgotten before they expired: exact mode past `max_keys`, bloom mode past `MAX_BLOOM_BYTES`. */
  evicted: number
}

/** What a `Deduper` holds, for dashboards and tests. */
export interface DedupStats {
  /** `exact` or `bloom`. */
  mode: DedupMode
  /** Keys held (exact; expired ones until the next rebuild) or inserted in live generations. */
  liveKeys: number
  /** Bytes of key storage. */
  memoryBytes: number
  /** Outcome counts. */
  counts: DedupCounts
  /** The watermark, if any event was seen. */
  watermark: string | null
  /** Bloom mode: the chance that a new key is called a duplicate now. */
  estimatedFpr: number | null
}

/** What [`flap_series`] returns: one entry per state. */
export interface FlapSeries {
  /** Nagios' weighted percent state change after each state. */
  percents: number[]
  /** Whether the series is flapping after each state. */
  flapping: boolean[]
}

/** What is due. */
export type DueAction = 'escalate_to_critical' | 'auto_acknowledge' | 'escalate_level' | 'response_overdue'

/** One thing due for one alert. */
export interface Due {
  /** The alert. */
  id: string
  /** What to do. */
  action: DueAction
  /** For `escalate_level`: `L2` or `L3`. */
  level: string | null
  /** Since when it is due. */
  dueAt: string
  /** Why, in words. */
  reason: string
}

/** What to do with an alert (batch calls use the codes 0, 1, 2). */
export type Action = 'notify' | 'suppress' | 'mute'

/** A key started storming. */
export interface StormEventStormStarted {
  event: 'storm_started'
  /** The key. */
  key: string
  /** The crossing alert's time. */
  at: string
  /** Alerts in the window, the crossing one included. */
  count: number
}

/** A key's storm ended. */
export interface StormEventStormEnded {
  event: 'storm_ended'
  /** The key. */
  key: string
  /** When it started. */
  startedAt: string
  /** When it ended. */
  endedAt: string
  /** Alerts suppressed after the start summary. */
  suppressed: number
}

/** Many keys storm at once. */
export interface StormEventFleetStormStarted {
  event: 'fleet_storm_started'
  /** When. */
  at: string
  /** Keys storming at that moment. */
  keys: number
}

/** The fleet storm is over. */
export interface StormEventFleetStormEnded {
  event: 'fleet_storm_ended'
  /** When it started. */
  startedAt: string
  /** When it ended. */
  endedAt: string
  /** Distinct keys that stormed during it. */
  keys: number
  /** Alerts suppressed in those keys' storms during it. */
  suppressed: number
}

/** A key started flapping. */
export interface StormEventFlapStarted {
  event: 'flap_started'
  /** The key. */
  key: string
  /** Percent state change. */
  percent: number
  /** When. */
  at: string
}

/** A key stopped flapping. */
export interface StormEventFlapEnded {
  event: 'flap_ended'
  /** The key. */
  key: string
  /** Percent state change. */
  percent: number
  /** When. */
  at: string
}

/** A storm summary or another state change, emitted once. */
export type StormEvent = StormEventStormStarted | StormEventStormEnded | StormEventFleetStormStarted | StormEventFleetStormEnded | StormEventFlapStarted | StormEventFlapEnded

/** The answer for one alert. */
export interface Verdict {
  /** What to do with it. */
  action: Action
  /** Why, in words. */
  reason: string
  /** Events this alert produced (a storm summary, a storm end, flapping). */
  events: StormEvent[]
  /** Whether someone should hear of it now: the alert is passed on, or it carries a storm's start summary or end (the one page a storm makes). What a notifier routes on. */
  page: boolean
}

/** A maintenance window as written in a spec: recurring (`cron`, `duration`, `timezone`) or once (`start`, `end`, ISO-8601 with an offset). */
export interface MaintenanceSpec {
  /** A name for status and reports (default `maintenance`). */
  name?: string | null
  /** Recurring: when each window starts, e.g. `0 2 * * SUN#1`. */
  cron?: string | null
  /** Recurring: how long each window lasts (elapsed time), e.g. `2h`. */
  duration?: DurationSpec | null
  /** Recurring: the zone the cron expression is read in (default UTC). */
  timezone?: string | null
  /** Once: the first instant inside. */
  start?: string | null
  /** Once: the first instant after. */
  end?: string | null
}

/** Settings; [`StormConfig::default`] documents each default. */
export interface StormConfig {
  /** Sliding window of the per-key count (5 min). */
  window: number
  /** Bucket width; the window is a whole number of buckets (30 s). */
  resolution: number
  /** A key storms when its count exceeds this (20 alerts in the window). */
  enterAbove: number
  /** A storm calms when the count is below this (5). */
  exitBelow: number
  /** ... for this long (10 min). */
  cooldown: number
  /** This many keys storming at once is one fleet-wide storm (10). */
  fleetEnter: number
  /** The fleet storm ends below this many storming keys (5). */
  fleetExit: number
  /** Flapping starts above this percent state change (Nagios' sample: 20). */
  flapHigh: number
  /** ... and stops below this one (5). */
  flapLow: number
  /** Alerts this far ahead of `now` are not counted (5 min). */
  maxFuture: number
  /** Keys tracked at most; the least recently seen are evicted and counted (100,000). */
  maxKeys: number
  /** Maintenance windows: every alert inside one is muted (passed to the caller as `mute`, counted per occurrence in `muted_by`), not judged for storms (default none). */
  maintenance: MaintenanceSpec[]
}

/** Totals since the start. */
export interface StormCounts {
  /** Alerts seen. */
  alerts: number
  /** Passed on. */
  notified: number
  /** Held back by storms (start summaries included). */
  suppressedStorm: number
  /** Held back because the key flaps. */
  suppressedFlapping: number
  /** Caught by mutes. */
  muted: number
  /** Too old to count (passed on). */
  late: number
  /** Too far ahead of `now` (passed on). */
  future: number
  /** Keys evicted by `max_keys`. */
  evicted: number
  /** Storms started. */
  storms: number
  /** Fleet storms started. */
  fleetStorms: number
}

/** A key storming now. */
export interface StormingKey {
  /** The key. */
  key: string
  /** When its storm started. */
  startedAt: string
  /** Alerts held back since. */
  suppressed: number
}

/** A key flapping now. */
export interface FlappingKey {
  /** The key. */
  key: string
  /** Its weighted percent state change. */
  percent: number
}

/** A detector's state at a glance. */
export interface StormStats {
  /** Totals. */
  counts: StormCounts
  /** Keys storming now, by name. */
  storming: StormingKey[]
  /** Keys flapping now, by name. */
  flapping: FlappingKey[]
  /** Alerts caught per mute id. */
  mutedBy: Record<string, number>
  /** Keys tracked. */
  trackedKeys: number
  /** Bytes of per-key state. */
  memoryBytes: number
  /** Whether a fleet-wide storm is on. */
  fleetStorm: boolean
}

/** The answer for one request. */
export interface LimitDecision {
  /** Whether to serve it (else answer 429). */
  allowed: boolean
  /** The limit per period. */
  limit: number
  /** Requests still allowed right now after this one. */
  remaining: number
  /** Seconds until a denied request would be allowed (0 when allowed): the `Retry-After`. */
  retryAfter: number
  /** `retry_after` rounded up to whole seconds, for the `Retry-After` header. */
  retryAfterHeader: number
  /** Seconds until the key is back to its full allowance. */
  resetAfter: number
}

/** A notification that is due. */
export interface GroupNotification {
  /** The group's labels (`group_by` names and values). */
  group: Record<string, string>
  /** When it was due. */
  at: string
  /** Fingerprints of every firing alert in the group. */
  firing: string[]
  /** Fingerprints of alerts new or changed since the last notification. */
  new: string[]
  /** Fingerprints of alerts resolved since the last notification. */
  resolved: string[]
  /** A repeat of an unchanged group. */
  repeat: boolean
  /** The maintenance window it was held back by (it was due inside it), if any. */
  heldByMaintenance: string | null
}
