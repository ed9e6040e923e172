"""The result of every fleetops call, as TypedDicts: the plain dicts the calls return.

Generated from the core's result types by ``cargo xtask codegen``; do not edit. Import them for
annotations:
``from fleetops.results import SloStatus``.
"""

from typing import Literal, NotRequired, TypeAlias, TypedDict

# How bad a freshness result is, ordered so that `max` gives the worst.
Level: TypeAlias = Literal["pass", "warn", "error"]


class CadenceCheckLearned(TypedDict):
    """Enough history: the cadence is known and the table is or is not late."""

    status: Literal["learned"]
    # Median gap between loads.
    expected_interval_seconds: float
    # 1.4826 x median absolute deviation of the gaps.
    spread_seconds: float
    # The largest gap that is not late.
    allowed_gap_seconds: float
    # Time since the last load.
    current_gap_seconds: float
    # Intervals the cadence was learned from.
    intervals: int
    # The current gap exceeds the allowed gap.
    late: bool


class CadenceCheckInsufficientHistory(TypedDict):
    """Too few intervals to say; no guess is made."""

    status: Literal["insufficient_history"]
    # Intervals in the history.
    intervals: int
    # Intervals needed.
    needed: int


# The result of checking a table against its learned cadence.
CadenceCheck: TypeAlias = CadenceCheckLearned | CadenceCheckInsufficientHistory


class ScheduleCheck(TypedDict):
    """Where a table stands against its schedule at `now`."""

    # The latest scheduled run whose deadline has passed.
    expected_run_at: str | None
    # That run's deadline (run time + allowed delay).
    deadline: str | None
    # The next deadline after `now`.
    next_deadline: str | None
    # No load at or after `expected_run_at`.
    late: bool
    # The maintenance window that moved `next_deadline` to its end (the run it waits for
    # is scheduled inside it), if one did.
    held_by_maintenance: str | None


# The verdict for one table.
TableFreshness = TypedDict(
    "TableFreshness",
    {
        # The table's name.
        "table": str,
        # Its tier name, or `MISSING` / `FUTURE`.
        "class": str,
        # dbt level: pass, warn or error.
        "level": Level,
        # Seconds since the last load (0 within the skew tolerance, negative when `FUTURE`,
        # absent when `MISSING`).
        "age_seconds": float | None,
        # The last load time used.
        "last_loaded_at": str | None,
        # The `now` the table was judged at.
        "snapshotted_at": str,
        # Older than the policy's `stale_after` (a missing table is stale).
        "stale": bool,
        # How far the last load is dated ahead of `now`, in seconds (0 when not ahead).
        "clock_skew_seconds": float,
        # Late against its learned cadence or its schedule; absent when neither is known.
        "late": bool | None,
        # The learned-cadence check, when a history was given.
        "cadence": CadenceCheck | None,
        # The schedule check, when a schedule was given.
        "schedule": ScheduleCheck | None,
        # Why the table's load time could not be read from the warehouse (a missing table or
        # column, no permission, a timeout), in the database's words; the table is then `error`.
        # Absent when it was read (or handed over).
        "read_error": NotRequired[str | None],
    },
)


class Summary(TypedDict):
    """Counts and lists over a batch."""

    # Tables judged.
    total: int
    # The worst level (pass for an empty batch).
    worst_level: Level
    # Tables per level.
    levels: dict[str, int]
    # Tables per class, in tier order, then `MISSING` and `FUTURE`.
    classes: dict[str, int]
    # Names of stale tables.
    stale: list[str]
    # Names of late tables (cadence or schedule).
    late: list[str]
    # Names of tables at warn level.
    warn: list[str]
    # Names of tables at error level.
    error: list[str]


class FreshnessReport(TypedDict):
    """A batch result."""

    # One result per input table, in input order.
    results: list[TableFreshness]
    # The batch summary.
    summary: Summary


class DbtMetadata(TypedDict):
    """The artifact's metadata."""

    # The schema dbt's readers check.
    dbt_schema_version: str
    # The `now` judged at (null for an empty batch).
    generated_at: str | None
    # dbt's run id (null: no dbt run).
    invocation_id: str | None


# dbt's freshness periods.
Period: TypeAlias = Literal["minute", "hour", "day"]


class DbtLimit(TypedDict):
    """dbt's `{count, period}`: both null for a limit not set."""

    # How many periods (whole, or fractional minutes for a duration of odd seconds).
    count: float | None
    # `minute`, `hour` or `day`.
    period: Period | None


class DbtCriteria(TypedDict):
    """dbt's `criteria` of a source."""

    # Warn past this age.
    warn_after: DbtLimit
    # Error past this age.
    error_after: DbtLimit
    # dbt's row filter (always null: fleetops judges the loads it is given).
    filter: str | None


class DbtJudged(TypedDict):
    """A judged source."""

    # `source.<source>.<table>`.
    unique_id: str
    # The last load (ISO-8601 UTC).
    max_loaded_at: str
    # The `now` judged at.
    snapshotted_at: str
    # Seconds since the last load.
    max_loaded_at_time_ago_in_s: float | None
    # `pass`, `warn` or `error`.
    status: Level
    # The criteria judged by.
    criteria: DbtCriteria
    # dbt's adapter response (empty: no warehouse was queried).
    adapter_response: dict[str, object]
    # dbt's timing entries (none).
    timing: list[object]
    # The thread that judged it.
    thread_id: str
    # Seconds taken (0).
    execution_time: float


# The one status word of [`DbtFailed`], as the schema declares it.
RuntimeError: TypeAlias = Literal["runtime error"]


class DbtFailed(TypedDict):
    """A source dbt could not judge."""

    # `source.<source>.<table>`.
    unique_id: str
    # Always `runtime error`.
    status: RuntimeError
    # What went wrong.
    error: str
    # The criteria it would have been judged by.
    criteria: DbtCriteria


# One source's result: judged, or dbt's `runtime error` for a table never loaded.
DbtSourceResult: TypeAlias = DbtJudged | DbtFailed


class DbtSources(TypedDict):
    """dbt's `sources.json`."""

    # The artifact's metadata.
    metadata: DbtMetadata
    # One result per table, in input order.
    results: list[DbtSourceResult]
    # Seconds the run took (0: fleetops judges in-process).
    elapsed_time: float


# An SLO target such as 0.999, strictly between 0 and 1 (100 % leaves no error budget).
Objective: TypeAlias = float


class EventBudget(TypedDict):
    """The numbers of an events-based budget. Nothing is rounded or clamped: an overspent budget has negative
    `remaining_events` and `used_percent` above 100."""

    # The objective.
    objective: Objective
    # `1 - objective`.
    error_budget: float
    # Good events.
    good: int
    # Bad events (the budget consumed).
    bad: int
    # All events.
    total: int
    # `good / total`.
    sli: float
    # Bad events allowed: `(1 - objective) * total`.
    budget_events: float
    # `budget_events - bad`.
    remaining_events: float
    # `bad / budget_events * 100`.
    used_percent: float
    # `100 - used_percent`.
    remaining_percent: float
    # `(bad / total) / (1 - objective)`.
    burn_rate: float
    # More bad events than the budget allows.
    overspent: bool
    # The budget in minutes of the period, when a period length was given.
    budget_minutes: float | None
    # Minutes of budget left: `budget_minutes * remaining_percent / 100`.
    remaining_minutes: float | None


class BudgetOk(EventBudget):
    """At least one event."""

    status: Literal["ok"]


class BudgetNoData(TypedDict):
    """No events: nothing to judge, and no NaN."""

    status: Literal["no_data"]
    # The objective.
    objective: Objective


# An events-based budget, or no data when there were no events.
Budget: TypeAlias = BudgetOk | BudgetNoData


class Window(TypedDict):
    """A period's bounds at some `now`."""

    # Inclusive start.
    start: str
    # Exclusive end (`now` for rolling periods).
    end: str
    # `end - start` in minutes.
    length_minutes: float
    # Time from `start` to `now` in minutes.
    elapsed_minutes: float
    # Downtime the whole period allows at the objective, when one was given.
    budget_minutes: float | None


class TimeSliceBudget(TypedDict):
    """The result of time-slice budgeting over a period."""

    # The objective (share of good slices).
    objective: Objective
    # Slices whose SLI met the slice target.
    good_slices: int
    # Slices that missed it (downtime).
    bad_slices: int
    # Slices without events (counted as `empty_slices_are`).
    empty_slices: int
    # `good_slices / (good_slices + bad_slices)`; null when no slice counted.
    sli: float | None
    # Downtime: `bad_slices * slice length`.
    downtime_minutes: float
    # Downtime the period allows: `(1 - objective) * period minutes`.
    budget_minutes: float
    # `budget_minutes - downtime_minutes` (negative when overspent).
    remaining_minutes: float
    # `downtime_minutes / budget_minutes * 100`.
    used_percent: float
    # Downtime exceeds the budget.
    overspent: bool


class Forecast(TypedDict):
    """Where the budget is heading."""

    # Seconds until the budget is spent at `burn_rate`: 0 when already spent, null when the
    # burn rate is 0 (never).
    exhaustion_seconds: float | None
    # Budget left at the end of the period if `burn_rate` holds, in percent (may be negative).
    remaining_percent_at_end: float
    # The budget will be spent before the period ends.
    exhausts_before_end: bool


class BurnTier(TypedDict):
    """One alerting tier."""

    # A name, e.g. `page_fast`.
    name: str
    # Severity label, e.g. `page` or `ticket`.
    severity: str
    # Long window.
    long: float
    # Short window (stops the alert soon after the burn stops).
    short: float
    # Burn rate both windows must exceed.
    factor: float


class BurnAlert(TypedDict):
    """One tier's verdict, with the numbers behind it."""

    # The tier's name.
    tier: str
    # Its severity.
    severity: str
    # Its factor.
    factor: float
    # Long window in seconds.
    long_window_seconds: float
    # Short window in seconds.
    short_window_seconds: float
    # Burn rate over the long window (null without events).
    long_burn_rate: float | None
    # Burn rate over the short window (null without events).
    short_burn_rate: float | None
    # Events in the long window.
    long_events: int
    # Events in the short window.
    short_events: int
    # Both windows exceed the factor and the guard lets it through.
    firing: bool
    # A faster tier of the same objective fires too (its name): this one is not a page of
    # its own.
    inhibited_by: str | None
    # The low-traffic guard held it back.
    suppressed_low_traffic: bool
    # Why, in words.
    reason: str


class LatencySummary(TypedDict):
    """Summary numbers of a histogram (all in ms; null when empty)."""

    # Recorded latencies.
    count: int
    # Latencies recorded at the maximum because they exceeded it.
    clamped: int
    # Smallest (within precision).
    min_ms: float | None
    # Largest (within precision).
    max_ms: float | None
    # Mean.
    mean_ms: float | None
    # Median.
    p50_ms: float | None
    # 95th percentile.
    p95_ms: float | None
    # 99th percentile.
    p99_ms: float | None
    # 99.9th percentile.
    p999_ms: float | None


class Counts(TypedDict):
    """Good and total events over some window."""

    # Events that met the objective.
    good: int
    # All events.
    total: int


class ObjectiveStatus(TypedDict):
    """One objective's standing."""

    # The objective's name.
    name: str
    # The target.
    target: float
    # Its events since the tracker started, outside maintenance windows: what the
    # exposition's counters (`slo_events_total`, `slo_good_events_total`) carry and
    # Prometheus rules read.
    counted: Counts
    # Events-based budget over the period (status `no_data` without events).
    budget: Budget
    # Every burn tier's verdict.
    burn: list[BurnAlert]
    # With a slice target: the period's time-slice budget, one slice per bucket outside
    # maintenance and corrections (slices without events are left out).
    timeslices: TimeSliceBudget | None


class LatencyStatus(TypedDict):
    """Latency percentiles over a window (ms; null without timed requests)."""

    # Timed requests.
    count: int
    # Median.
    p50_ms: float | None
    # 95th percentile.
    p95_ms: float | None
    # 99th percentile.
    p99_ms: float | None
    # 99.9th percentile.
    p999_ms: float | None


class Dropped(TypedDict):
    """Counts dropped events by reason."""

    # Older than the retention.
    too_old: int
    # Further ahead of the caller's `now` than `max_future`.
    future: int


class Occurrence(TypedDict):
    """One occurrence of a window: `[start, end)`."""

    # The window's name.
    name: str
    # The first instant inside.
    start: str
    # The first instant after.
    end: str


class Correction(TypedDict):
    """A past range excluded after the fact: `[start, end)`, and why."""

    # The first instant excluded.
    start: str
    # The first instant after.
    end: str
    # Why, e.g. `provider outage INC-1234`.
    reason: str


class Excluded(TypedDict):
    """What a status left out of the period."""

    # Minutes of the whole period inside maintenance windows or corrections: the budget
    # minutes are counted over the rest.
    period_minutes: float
    # Of those, the minutes from the period's start to `now`.
    elapsed_minutes: float
    # Events recorded in excluded time this period so far, counted neither good nor bad.
    events: int
    # Whether `now` is inside a maintenance window.
    in_maintenance: bool
    # The maintenance windows overlapping the period, those still ahead included.
    maintenance: list[Occurrence]
    # The corrections overlapping the period.
    corrections: list[Correction]


class TrackerStatus(TypedDict):
    """Everything at `now`."""

    # The period's bounds and budget length.
    period: Window
    # One entry per objective.
    objectives: list[ObjectiveStatus]
    # Percentiles over the period (hour granularity; 1 % precision).
    latency: LatencyStatus
    # Events accepted so far.
    recorded: int
    # Events dropped, by reason.
    dropped: Dropped
    # Maintenance and corrections: what the budgets left out.
    excluded: Excluded


class RuleResult(TypedDict):
    """A rule's verdict."""

    # The rule's name.
    name: str
    # Its severity.
    severity: str
    # The metric over the latest window (null without data).
    value: float | None
    # The threshold.
    threshold: float
    # Whether it fires.
    firing: bool
    # Why, in words.
    reason: str


class PrometheusRules(TypedDict):
    """Generated rule files."""

    # A Prometheus rule file (YAML): recording and alerting rules.
    rules: str
    # An Alertmanager `inhibit_rules` section (YAML).
    inhibit_rules: str


# What a rule measures over its window.
RuleMetric: TypeAlias = Literal["error_rate", "requests", "failures", "latency_p95_ms", "latency_p99_ms"]


# How the metric is compared with the threshold.
Comparison: TypeAlias = Literal[">", ">=", "<", "<="]


class DurationSpecObject(TypedDict):
    """dbt's shape."""

    # How many periods (a whole number).
    count: float
    # `minute`, `hour` or `day`.
    period: str


# A duration as users write it: seconds, text (`45m`), or dbt's `{count, period}`.
DurationSpec: TypeAlias = float | str | DurationSpecObject


class ThresholdRule(TypedDict):
    """One rule, as options."""

    # Its name, e.g. `high_error_rate`.
    name: str
    # What it measures.
    metric: RuleMetric
    # `>`, `>=`, `<` or `<=`.
    op: Comparison
    # The threshold (a ratio for `error_rate`, ms for latencies, a count otherwise).
    threshold: float
    # The window the metric is measured over.
    window: DurationSpec
    # Severity label.
    severity: str
    # Must hold throughout this long (optional).
    sustained: DurationSpec | None


# The service's status as declared in the schema (the words of [`Health::status`]).
ServiceStatus: TypeAlias = Literal["healthy", "degraded", "down"]


# A check's status, ordered so that `max` is the worst.
CheckStatus: TypeAlias = Literal["ok", "degraded", "down"]


class CheckResult(TypedDict):
    """One judged check."""

    # Its status.
    status: CheckStatus
    # Why.
    message: str
    # Its latency in ms, if timed.
    latency: NotRequired[float | None]
    # Passed through from the input.
    details: NotRequired[object]


class Health(TypedDict):
    """The endpoint's answer."""

    # `healthy`, `degraded` or `down`.
    status: ServiceStatus
    # The HTTP status to answer with: 200, or 503 when down.
    http_status: int
    # Per check by name, in input order.
    checks: dict[str, CheckResult]


# How keys are remembered.
DedupMode: TypeAlias = Literal["exact", "bloom"]


class DedupCounts(TypedDict):
    """How many events got each outcome, and how many keys were evicted by the cap."""

    # Events seen for the first time.
    first: int
    # Duplicates.
    duplicate: int
    # Late events.
    late: int
    # Events too far in the future.
    future: int
    # Keys forgotten before they expired: exact mode past `max_keys`, bloom mode past
    # `MAX_BLOOM_BYTES`.
    evicted: int


class DedupStats(TypedDict):
    """What a `Deduper` holds, for dashboards and tests."""

    # `exact` or `bloom`.
    mode: DedupMode
    # Keys held (exact; expired ones until the next rebuild) or inserted in live generations.
    live_keys: int
    # Bytes of key storage.
    memory_bytes: int
    # Outcome counts.
    counts: DedupCounts
    # The watermark, if any event was seen.
    watermark: str | None
    # Bloom mode: the chance that a new key is called a duplicate now.
    estimated_fpr: float | None


class FlapSeries(TypedDict):
    """What [`flap_series`] returns: one entry per state."""

    # Nagios' weighted percent state change after each state.
    percents: list[float]
    # Whether the series is flapping after each state.
    flapping: list[bool]


# What is due.
DueAction: TypeAlias = Literal["escalate_to_critical", "auto_acknowledge", "escalate_level", "response_overdue"]


class Due(TypedDict):
    """One thing due for one alert."""

    # The alert.
    id: str
    # What to do.
    action: DueAction
    # For `escalate_level`: `L2` or `L3`.
    level: str | None
    # Since when it is due.
    due_at: str
    # Why, in words.
    reason: str


# What to do with an alert (batch calls use the codes 0, 1, 2).
Action: TypeAlias = Literal["notify", "suppress", "mute"]


class StormEventStormStarted(TypedDict):
    """A key started storming."""

    event: Literal["storm_started"]
    # The key.
    key: str
    # The crossing alert's time.
    at: str
    # Alerts in the window, the crossing one included.
    count: int


class StormEventStormEnded(TypedDict):
    """A key's storm ended."""

    event: Literal["storm_ended"]
    # The key.
    key: str
    # When it started.
    started_at: str
    # When it ended.
    ended_at: str
    # Alerts suppressed after the start summary.
    suppressed: int


class StormEventFleetStormStarted(TypedDict):
    """Many keys storm at once."""

    event: Literal["fleet_storm_started"]
    # When.
    at: str
    # Keys storming at that moment.
    keys: int


class StormEventFleetStormEnded(TypedDict):
    """The fleet storm is over."""

    event: Literal["fleet_storm_ended"]
    # When it started.
    started_at: str
    # When it ended.
    ended_at: str
    # Distinct keys that stormed during it.
    keys: int
    # Alerts suppressed in those keys' storms during it.
    suppressed: int


class StormEventFlapStarted(TypedDict):
    """A key started flapping."""

    event: Literal["flap_started"]
    # The key.
    key: str
    # Percent state change.
    percent: float
    # When.
    at: str


class StormEventFlapEnded(TypedDict):
    """A key stopped flapping."""

    event: Literal["flap_ended"]
    # The key.
    key: str
    # Percent state change.
    percent: float
    # When.
    at: str


# A storm summary or another state change, emitted once.
StormEvent: TypeAlias = (
    StormEventStormStarted
    | StormEventStormEnded
    | StormEventFleetStormStarted
    | StormEventFleetStormEnded
    | StormEventFlapStarted
    | StormEventFlapEnded
)


class Verdict(TypedDict):
    """The answer for one alert."""

    # What to do with it.
    action: Action
    # Why, in words.
    reason: str
    # Events this alert produced (a storm summary, a storm end, flapping).
    events: list[StormEvent]
    # Whether someone should hear of it now: the alert is passed on, or it carries a storm's
    # start summary or end (the one page a storm makes). What a notifier routes on.
    page: bool


class MaintenanceSpec(TypedDict):
    """A maintenance window as written in a spec: recurring (`cron`, `duration`, `timezone`) or once (`start`, `end`,
    ISO-8601 with an offset)."""

    # A name for status and reports (default `maintenance`).
    name: NotRequired[str | None]
    # Recurring: when each window starts, e.g. `0 2 * * SUN#1`.
    cron: NotRequired[str | None]
    # Recurring: how long each window lasts (elapsed time), e.g. `2h`.
    duration: NotRequired[DurationSpec | None]
    # Recurring: the zone the cron expression is read in (default UTC).
    timezone: NotRequired[str | None]
    # Once: the first instant inside.
    start: NotRequired[str | None]
    # Once: the first instant after.
    end: NotRequired[str | None]


class StormConfig(TypedDict):
    """Settings; [`StormConfig::default`] documents each default."""

    # Sliding window of the per-key count (5 min).
    window: int
    # Bucket width; the window is a whole number of buckets (30 s).
    resolution: int
    # A key storms when its count exceeds this (20 alerts in the window).
    enter_above: int
    # A storm calms when the count is below this (5).
    exit_below: int
    # ... for this long (10 min).
    cooldown: int
    # This many keys storming at once is one fleet-wide storm (10).
    fleet_enter: int
    # The fleet storm ends below this many storming keys (5).
    fleet_exit: int
    # Flapping starts above this percent state change (Nagios' sample: 20).
    flap_high: float
    # ... and stops below this one (5).
    flap_low: float
    # Alerts this far ahead of `now` are not counted (5 min).
    max_future: int
    # Keys tracked at most; the least recently seen are evicted and counted (100,000).
    max_keys: int
    # Maintenance windows: every alert inside one is muted (passed to the caller as `mute`,
    # counted per occurrence in `muted_by`), not judged for storms (default none).
    maintenance: list[MaintenanceSpec]


class StormCounts(TypedDict):
    """Totals since the start."""

    # Alerts seen.
    alerts: int
    # Passed on.
    notified: int
    # Held back by storms (start summaries included).
    suppressed_storm: int
    # Held back because the key flaps.
    suppressed_flapping: int
    # Caught by mutes.
    muted: int
    # Too old to count (passed on).
    late: int
    # Too far ahead of `now` (passed on).
    future: int
    # Keys evicted by `max_keys`.
    evicted: int
    # Storms started.
    storms: int
    # Fleet storms started.
    fleet_storms: int


class StormingKey(TypedDict):
    """A key storming now."""

    # The key.
    key: str
    # When its storm started.
    started_at: str
    # Alerts held back since.
    suppressed: int


class FlappingKey(TypedDict):
    """A key flapping now."""

    # The key.
    key: str
    # Its weighted percent state change.
    percent: float


class StormStats(TypedDict):
    """A detector's state at a glance."""

    # Totals.
    counts: StormCounts
    # Keys storming now, by name.
    storming: list[StormingKey]
    # Keys flapping now, by name.
    flapping: list[FlappingKey]
    # Alerts caught per mute id.
    muted_by: dict[str, int]
    # Keys tracked.
    tracked_keys: int
    # Bytes of per-key state.
    memory_bytes: int
    # Whether a fleet-wide storm is on.
    fleet_storm: bool


class LimitDecision(TypedDict):
    """The answer for one request."""

    # Whether to serve it (else answer 429).
    allowed: bool
    # The limit per period.
    limit: int
    # Requests still allowed right now after this one.
    remaining: int
    # Seconds until a denied request would be allowed (0 when allowed): the `Retry-After`.
    retry_after: float
    # `retry_after` rounded up to whole seconds, for the `Retry-After` header.
    retry_after_header: int
    # Seconds until the key is back to its full allowance.
    reset_after: float


class GroupNotification(TypedDict):
    """A notification that is due."""

    # The group's labels (`group_by` names and values).
    group: dict[str, str]
    # When it was due.
    at: str
    # Fingerprints of every firing alert in the group.
    firing: list[str]
    # Fingerprints of alerts new or changed since the last notification.
    new: list[str]
    # Fingerprints of alerts resolved since the last notification.
    resolved: list[str]
    # A repeat of an unchanged group.
    repeat: bool
    # The maintenance window it was held back by (it was due inside it), if any.
    held_by_maintenance: str | None


__all__ = [
    "Action",
    "Budget",
    "BudgetNoData",
    "BudgetOk",
    "BurnAlert",
    "BurnTier",
    "CadenceCheck",
    "CadenceCheckInsufficientHistory",
    "CadenceCheckLearned",
    "CheckResult",
    "CheckStatus",
    "Comparison",
    "Correction",
    "Counts",
    "DbtCriteria",
    "DbtFailed",
    "DbtJudged",
    "DbtLimit",
    "DbtMetadata",
    "DbtSourceResult",
    "DbtSources",
    "DedupCounts",
    "DedupMode",
    "DedupStats",
    "Dropped",
    "Due",
    "DueAction",
    "DurationSpec",
    "DurationSpecObject",
    "EventBudget",
    "Excluded",
    "FlapSeries",
    "FlappingKey",
    "Forecast",
    "FreshnessReport",
    "GroupNotification",
    "Health",
    "LatencyStatus",
    "LatencySummary",
    "Level",
    "LimitDecision",
    "MaintenanceSpec",
    "Objective",
    "ObjectiveStatus",
    "Occurrence",
    "Period",
    "PrometheusRules",
    "RuleMetric",
    "RuleResult",
    "RuntimeError",
    "ScheduleCheck",
    "ServiceStatus",
    "StormConfig",
    "StormCounts",
    "StormEvent",
    "StormEventFlapEnded",
    "StormEventFlapStarted",
    "StormEventFleetStormEnded",
    "StormEventFleetStormStarted",
    "StormEventStormEnded",
    "StormEventStormStarted",
    "StormStats",
    "StormingKey",
    "Summary",
    "TableFreshness",
    "ThresholdRule",
    "TimeSliceBudget",
    "TrackerStatus",
    "Verdict",
    "Window",
]
