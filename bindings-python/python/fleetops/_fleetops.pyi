"""Type stubs of the compiled fleetops module (checked with mypy.stubtest)."""

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, Literal, SupportsIndex, TypeAlias, TypedDict, final, type_check_only

from fleetops.results import (
    Budget,
    BurnAlert,
    BurnTier,
    CadenceCheck,
    Correction,
    Counts,
    DbtSources,
    DedupStats,
    Due,
    FlapSeries,
    Forecast,
    FreshnessReport,
    GroupNotification,
    Health,
    LatencyStatus,
    LatencySummary,
    LimitDecision,
    Occurrence,
    PrometheusRules,
    RuleResult,
    ScheduleCheck,
    StormConfig,
    StormEvent,
    StormStats,
    TableFreshness,
    ThresholdRule,
    TimeSliceBudget,
    TrackerStatus,
    Verdict,
    Window,
)

__version__: str
# How often a stream re-reads the kill-switch table, in seconds (the runbook's 5 minutes).
MUTE_RELOAD_SECONDS: int
# The largest kill-switch file a stream reads, in bytes.
MAX_KILL_SWITCH_FILE_BYTES: int
# The most mutes one list holds.
MAX_MUTES: int
# The largest saved state the integrations read from a file, in bytes.
MAX_STATE_FILE_BYTES: int
# How long a process waits for a shared state file's lock, in seconds.
STATE_LOCK_WAIT_SECONDS: int
STATE_LOCK_POLL_MS: int
# How long one statement reading a warehouse may run unless told otherwise (seconds).
WAREHOUSE_QUERY_TIMEOUT_SECONDS: float
# How often a DuckDB query's watchdog looks at the clock (ms).
WAREHOUSE_INTERRUPT_POLL_MS: int
# The Airflow helpers' presets: levels that fail a task, skip it, or finish a sensor.
TASK_FAIL_ON: tuple[str, ...]
TASK_SKIP_ON: tuple[str, ...]
SENSOR_DONE_ON: tuple[str, ...]
# The storm preset of a pipeline's task failures.
TASK_FAILURES_PRESET: str
# Whether a failure judged by a detector whose saved state was set aside pages.
PAGE_WHEN_STATE_RESET: bool
# The names of ``Deduper.observe_batch``'s codes, in code order.
DEDUP_OUTCOMES: tuple[str, ...]
__all__ = [
    "DEDUP_OUTCOMES",
    "MAX_KILL_SWITCH_FILE_BYTES",
    "MAX_MUTES",
    "MAX_STATE_FILE_BYTES",
    "MUTE_RELOAD_SECONDS",
    "PAGE_WHEN_STATE_RESET",
    "SENSOR_DONE_ON",
    "STATE_LOCK_POLL_MS",
    "STATE_LOCK_WAIT_SECONDS",
    "TASK_FAILURES_PRESET",
    "TASK_FAIL_ON",
    "TASK_SKIP_ON",
    "WAREHOUSE_INTERRUPT_POLL_MS",
    "WAREHOUSE_QUERY_TIMEOUT_SECONDS",
    "BurnPolicy",
    "Deduper",
    "EmptyHistoryError",
    "FleetopsError",
    "FreshnessPolicy",
    "Grouper",
    "InternalError",
    "InvalidArgumentError",
    "InvalidArgumentTypeError",
    "InvalidCountError",
    "InvalidDurationError",
    "InvalidScheduleError",
    "InvalidSpecError",
    "InvalidStateError",
    "InvalidTargetError",
    "InvalidThresholdError",
    "InvalidTiersError",
    "InvalidTimeZoneError",
    "InvalidTimestampError",
    "LatencyHistogram",
    "LoadSchedule",
    "NaiveTimestampError",
    "RateLimiter",
    "SloTracker",
    "StormDetector",
    "WarehouseTables",
    "__version__",
    "_panic_for_test",
    "assess_health",
    "check_cadence",
    "classify_tables",
    "dbt_sources",
    "dedup_indices",
    "dedup_mask",
    "duration_seconds",
    "error_budget",
    "error_budget_gate",
    "escalations_due",
    "fingerprint",
    "flap_series",
    "forecast_budget",
    "http_outcomes",
    "judge_rule",
    "key_hash",
    "key_hashes",
    "kill_switch_mutes",
    "label_matches",
    "maintenance_windows",
    "period_window",
    "read_openslo",
    "runbook_rules",
    "timeslice_budget",
    "utc_iso",
]

_Level: TypeAlias = Literal["pass", "warn", "error"]
_TimestampLike: TypeAlias = datetime | float | int | str
# A count: an int (numpy ints too) or a whole float; negatives, fractions and bools are refused.
_Count: TypeAlias = int | float | SupportsIndex
_DurationLike: TypeAlias = timedelta | float | int | str | Mapping[str, Any]

class FleetopsError(ValueError):
    code: str | None

class InvalidDurationError(FleetopsError): ...
class InvalidTiersError(FleetopsError): ...
class InvalidThresholdError(FleetopsError): ...
class NaiveTimestampError(FleetopsError): ...
class InvalidTimestampError(FleetopsError): ...
class InvalidTimeZoneError(FleetopsError): ...
class InvalidScheduleError(FleetopsError): ...
class EmptyHistoryError(FleetopsError): ...
class InvalidArgumentError(FleetopsError): ...

class InvalidArgumentTypeError(InvalidArgumentError, TypeError):
    """A value of the wrong type inside a call of the right shape (code ``INVALID_ARGUMENT``)."""

class InvalidStateError(FleetopsError): ...
class InvalidTargetError(FleetopsError): ...
class InvalidCountError(FleetopsError): ...
class InvalidSpecError(FleetopsError): ...

class InternalError(FleetopsError):
    """A bug in fleetops (a panic caught at the boundary), never bad input."""

def _panic_for_test(message: str, within: Deduper | None = None) -> None:
    """Test hook: panics inside the core (while ``within`` is locked, if given); raises
    ``InternalError``."""

@type_check_only
class _Tier(TypedDict, total=False):
    """A tier as Node writes it too: ``max_age`` None (or absent) for the last tier."""

    name: str
    max_age: _DurationLike | None

@type_check_only
class MaintenanceWindowOptions(TypedDict, total=False):
    """Recurring (``cron``, ``duration``, ``timezone``) or once (``start``, ``end``)."""

    name: str
    cron: str
    duration: _DurationLike
    timezone: str
    start: str
    end: str

@type_check_only
class SloTrackerOptions(TypedDict, total=False):
    """``SloTracker``'s options, as ``read_openslo`` gives them (None: the default)."""

    period: str | None
    timezone: str | None
    resolution: _DurationLike | None
    objectives: Sequence[Mapping[str, Any]] | None
    burn: Mapping[str, Any] | None
    max_future: _DurationLike | None
    maintenance: Sequence[MaintenanceWindowOptions] | None

@type_check_only
class CadenceOptions(TypedDict, total=False):
    min_intervals: int
    spread_factor: float
    min_slack_ratio: float

_TablesLike: TypeAlias = Mapping[str, _TimestampLike | None] | Iterable[Mapping[str, Any]]

@final
class FreshnessPolicy:
    """How a table's age is judged. Every option left out keeps its default: runbook tiers,
    no dbt limits, no staleness, 5 min clock-skew tolerance, missing = error, future = warn.
    ``preset="runbook"`` starts from the runbook policy instead."""

    def __new__(
        cls,
        *,
        preset: str | None = None,
        tiers: Sequence[tuple[str, _DurationLike | None] | _Tier] | None = None,
        warn_after: _DurationLike | None = None,
        error_after: _DurationLike | None = None,
        stale_after: _DurationLike | None = None,
        clock_skew_tolerance: _DurationLike | None = None,
        missing_level: _Level | None = None,
        future_level: _Level | None = None,
    ) -> FreshnessPolicy: ...
    @staticmethod
    def runbook() -> FreshnessPolicy: ...
    @property
    def class_names(self) -> list[str]: ...
    def classify(
        self,
        last_loaded_at: _TimestampLike | None,
        *,
        now: _TimestampLike | None = None,
        table: str | None = None,
        assume_tz: str | None = None,
    ) -> TableFreshness: ...
    def classify_ages(self, ages: Any) -> list[str]: ...
    def classify_age_codes(self, ages: Any) -> bytes: ...

@final
class LoadSchedule:
    """Loads expected by a cron expression in a time zone (default UTC), late after a delay."""

    def __new__(
        cls,
        cron: str,
        *,
        timezone: str | None = None,
        allowed_delay: _DurationLike | None = None,
        maintenance: Sequence[MaintenanceWindowOptions] | None = None,
    ) -> LoadSchedule: ...
    def check(
        self, last_loaded_at: _TimestampLike | None, *, now: _TimestampLike | None = None, assume_tz: str | None = None
    ) -> ScheduleCheck: ...

def classify_tables(
    tables: _TablesLike,
    *,
    policy: FreshnessPolicy | None = None,
    now: _TimestampLike | None = None,
    assume_tz: str | None = None,
    cadence: CadenceOptions | None = None,
) -> FreshnessReport: ...
def utc_iso(instant: _TimestampLike, *, assume_tz: str | None = None) -> str:
    """An instant (aware datetime, epoch seconds, ISO-8601 with an offset) as the core reads it,
    written as ISO-8601 UTC; a naive one raises ``NaiveTimestampError`` unless ``assume_tz``."""

def duration_seconds(duration: _DurationLike) -> float:
    """A duration (timedelta, seconds, text like ``45m`` or dbt's ``{"count", "period"}``) in
    seconds, read as every duration option is."""

def dbt_sources(
    tables: _TablesLike,
    *,
    policy: FreshnessPolicy | None = None,
    now: _TimestampLike | None = None,
    source: str | None = None,
    assume_tz: str | None = None,
    cadence: CadenceOptions | None = None,
) -> DbtSources: ...
def check_cadence(
    history: Iterable[_TimestampLike],
    *,
    now: _TimestampLike | None = None,
    min_intervals: _Count | None = None,
    spread_factor: float | None = None,
    min_slack_ratio: float | None = None,
    clock_skew_tolerance: _DurationLike | None = None,
    assume_tz: str | None = None,
) -> CadenceCheck: ...

# --- SLOs and error budgets ---

def error_budget(
    objective: float,
    *,
    good: float | None = None,
    bad: float | None = None,
    total: float | None = None,
    period_minutes: float | None = None,
) -> Budget:
    """Events-based budget from any two of good / bad / total. ``{"status": "no_data"}`` without events."""

def error_budget_gate(
    objective: float,
    *,
    good: float | None = None,
    bad: float | None = None,
    total: float | None = None,
    fail_on: Sequence[str] | None = None,
) -> list[str]:
    """The deploy gate on counts alone: ``["budget overspent (N % used)"]`` when spent and
    ``fail_on`` (default ``["overspent", "page"]``) holds ``"overspent"``, else ``[]``."""

def period_window(
    period: str,
    *,
    now: _TimestampLike | None = None,
    timezone: str | None = None,
    objective: float | None = None,
    assume_tz: str | None = None,
) -> Window:
    """Bounds of ``"30d"`` / ``"month"`` / ``"week"`` / ``"quarter"`` at ``now``, with budget minutes."""

def maintenance_windows(
    windows: Sequence[MaintenanceWindowOptions],
    start: _TimestampLike,
    end: _TimestampLike,
    *,
    assume_tz: str | None = None,
) -> list[Occurrence]:
    """Every occurrence of the windows overlapping ``[start, end)`` (at most 400 days), by start."""

def read_openslo(text: str) -> SloTrackerOptions:
    """OpenSLO v1 YAML (``SLO``, ``SLI``, ``AlertPolicy``, ``AlertCondition``) as the tracker options
    it describes: ``SloTracker(**read_openslo(text))``. An unknown or unsupported field raises
    ``InvalidSpecError`` naming it and its line."""

def timeslice_budget(
    objective: float,
    slices: Sequence[tuple[float, float]],
    *,
    slice_target: float,
    slice: _DurationLike,
    period: _DurationLike,
    empty: Literal["good", "bad", "skip"] | None = None,
) -> TimeSliceBudget:
    """Time-slice budgeting: downtime minutes against the period's budget."""

def forecast_budget(
    remaining_percent: float, burn_rate: float, *, period: _DurationLike, time_left: _DurationLike
) -> Forecast:
    """Time to exhaustion at ``burn_rate`` and the budget left at the period's end."""

@final
class BurnPolicy:
    """Multiwindow, multi-burn-rate tiers: ``preset`` ``"sre_workbook"`` (default), ``"sloth"``
    or ``"pyrra"`` (scaled to ``period``, default 30 days), or explicit ``tiers``."""

    def __new__(
        cls,
        *,
        preset: str | None = None,
        period: _DurationLike | None = None,
        tiers: Sequence[Mapping[str, Any]] | None = None,
        min_events: _Count | None = None,
    ) -> BurnPolicy: ...
    @property
    def tiers(self) -> list[BurnTier]: ...
    @property
    def min_events(self) -> int: ...
    def evaluate(self, objective: float, windows: Mapping[float, tuple[float, float]]) -> list[BurnAlert]: ...

@final
class LatencyHistogram:
    """Latencies in ms in an HdrHistogram (1 us resolution, default max 1 h, 3 significant
    figures = 0.1 % precision)."""

    def __new__(cls, *, max_ms: float | None = None, significant_figures: _Count | None = None) -> LatencyHistogram: ...
    def record(self, latency_ms: float) -> None: ...
    def record_batch(self, latencies_ms: Any) -> None:
        """A float or integer buffer (numpy float64/float32/int64/uint64/int32/uint32) read in
        place, or any sequence of numbers."""
    @property
    def count(self) -> int: ...
    def percentile(self, p: float) -> float | None: ...
    def fraction_under(self, threshold_ms: float) -> float | None: ...
    def summary(self) -> LatencySummary: ...
    def merge(self, other: LatencyHistogram) -> None: ...
    def to_bytes(self) -> bytes: ...
    @staticmethod
    def from_bytes(data: bytes) -> LatencyHistogram: ...

@final
class SloTracker:
    """Streaming SLO tracker. Options left out keep the runbook's: calendar month (UTC), 1 min
    buckets, availability 99.9 %, error rate < 1 %, 95 % under 500 ms, 99 % under 1000 ms,
    SRE Workbook burn tiers, events up to 5 min ahead of the newest accepted."""

    def __new__(
        cls,
        *,
        period: str | None = None,
        timezone: str | None = None,
        resolution: _DurationLike | None = None,
        objectives: Sequence[Mapping[str, Any]] | None = None,
        burn: Mapping[str, Any] | None = None,
        max_future: _DurationLike | None = None,
        maintenance: Sequence[MaintenanceWindowOptions] | None = None,
    ) -> SloTracker: ...
    def record(
        self,
        at: _TimestampLike,
        ok: bool,
        latency_ms: float | None = None,
        *,
        now: _TimestampLike | None = None,
        assume_tz: str | None = None,
    ) -> None:
        """Judged at the caller's clock ``now`` (default: the current time): more than
        ``max_future`` ahead of it is dropped as future."""
    def record_batch(
        self, at: Any, ok: Any, latency_ms: Any | None = None, *, now: _TimestampLike | None = None
    ) -> int:
        """``at`` in epoch seconds (float64 buffer or sequence), ``ok`` as a numpy bool/uint8 array
        or a sequence of bools, ``latency_ms`` as float64 (NaN = unmeasured), judged at the
        caller's clock ``now`` (default: the current time). All or nothing; returns the number
        dropped (too old, or more than ``max_future`` ahead of ``now``)."""
    def status(self, now: _TimestampLike | None = None, *, assume_tz: str | None = None) -> TrackerStatus: ...
    def gate_problems(
        self, now: _TimestampLike | None = None, *, fail_on: Sequence[str] | None = None, assume_tz: str | None = None
    ) -> list[str]:
        """Why a deploy gate should stop (empty: go on): spent budgets, firing tiers of ``fail_on``
        severities (default ``("overspent", "page")``)."""
    def prometheus(
        self, now: _TimestampLike | None = None, *, prefix: str | None = None, assume_tz: str | None = None
    ) -> str:
        """The status in the Prometheus text exposition format."""
    def window_counts(
        self, objective: str, window: _DurationLike, now: _TimestampLike | None = None, *, assume_tz: str | None = None
    ) -> Counts: ...
    def latency(
        self, window: _DurationLike, now: _TimestampLike | None = None, *, assume_tz: str | None = None
    ) -> LatencyStatus: ...
    def evaluate_rules(
        self,
        rules: Sequence[str | Mapping[str, Any]] | None = None,
        now: _TimestampLike | None = None,
        *,
        assume_tz: str | None = None,
    ) -> list[RuleResult]:
        """Threshold rules (default: the runbook's alert table) at ``now``."""
    def correct(
        self,
        start: _TimestampLike,
        end: _TimestampLike,
        reason: str,
        *,
        now: _TimestampLike | None = None,
        assume_tz: str | None = None,
    ) -> None:
        """Excludes the past range ``[start, end)`` from every budget and burn window, recomputed
        from the buckets held; saved with the state. ``end`` may not be after ``now``."""
    def corrections(self) -> list[Correction]: ...
    def announce_maintenance(
        self,
        start: _TimestampLike,
        end: _TimestampLike,
        *,
        name: str | None = None,
        notice: _DurationLike | None = None,
        now: _TimestampLike | None = None,
        assume_tz: str | None = None,
    ) -> Occurrence:
        """Announces maintenance at run time (emergency maintenance): ``[start, end)`` is left out
        of every budget and burn window, its events out of the counters and latency percentiles.
        It must start at least ``notice`` (default: the runbook's hour) after ``now`` and after
        every event recorded; time already past is excluded with ``correct``."""
    def announced_maintenance(self) -> list[Occurrence]: ...
    @staticmethod
    def from_openslo(text: str) -> SloTracker:
        """A tracker of the spec OpenSLO v1 YAML describes (see ``read_openslo``)."""
    def to_openslo(self, *, prefix: str | None = None) -> str:
        """The tracker's spec as OpenSLO v1 YAML."""
    def prometheus_rules(self, *, prefix: str | None = None) -> PrometheusRules:
        """Prometheus rules for the fleet-wide SLO (error ratios, burn alerts) and Alertmanager
        inhibit rules, reading the counters ``prometheus()`` exposes."""
    def merge(self, other: SloTracker) -> None: ...
    def to_bytes(self) -> bytes: ...
    @staticmethod
    def from_bytes(data: bytes) -> SloTracker: ...
    @property
    def memory_bytes(self) -> int: ...
    @property
    def watermark(self) -> str | None: ...

def http_outcomes(status: Sequence[int], bad_statuses: Sequence[int] | None = None) -> bytes:
    """1 (good) / 0 (bad) per HTTP status: 5xx and ``bad_statuses`` are bad."""

def assess_health(checks: Sequence[Mapping[str, Any]]) -> Health:
    """``{"status": "healthy" | "degraded" | "down", "http_status", "checks"}``; the worst check wins."""

def runbook_rules() -> list[ThresholdRule]:
    """The runbook's alert rules (seed 004): error rate, p95, application down, failures, roll back."""

def judge_rule(
    rule: str | Mapping[str, Any], stats: Sequence[Mapping[str, Any]], *, resolution: _DurationLike | None = None
) -> RuleResult:
    """Judges a rule on window stats ``{requests, failures, p95_ms, p99_ms}``, newest first."""

_KeyPart: TypeAlias = str | int | float
_Key: TypeAlias = int | float | str | tuple[_KeyPart, ...] | list[_KeyPart]
_Outcome: TypeAlias = Literal["first", "duplicate", "late", "future"]

def key_hash(key_obj: _Key) -> int:
    """The u64 of one key: an int as is; a str, or a tuple of parts, hashed with XXH3-64 over
    each part's UTF-8 length (u32, little-endian) and bytes."""

def key_hashes(columns: Sequence[Any]) -> Any:
    """Composite-key hashes as ``array('Q')``: row ``i`` is ``(columns[0][i], columns[1][i], ...)``."""

def dedup_mask(keys: Any, *, keep: Literal["first", "last"] | None = None, order_by: Any | None = None) -> bytes:
    """One byte per row, 1 for the rows that survive (``np.frombuffer(m, dtype=bool)``). Keys: a
    uint64/int64/float64 buffer (numpy, read in place), a pandas Series, or a sequence of keys.
    With ``order_by``, the smallest (``first``) or largest (``last``) value wins, ties by position."""

def dedup_indices(keys: Any, *, keep: Literal["first", "last"] | None = None, order_by: Any | None = None) -> Any:
    """The surviving rows' indices, ascending, as ``array('Q')``."""

@final
class Deduper:
    """Streaming keep-first de-duplication within an event-time horizon, with watermarks:
    ``late`` behind the watermark, ``duplicate`` while ``watermark <= first_seen + horizon``,
    ``future`` beyond ``now + max_future`` (default 5 min; only when ``now`` is given)."""

    def __new__(
        cls,
        horizon: _DurationLike | None,
        *,
        allowed_lateness: _DurationLike | None = None,
        max_future: _DurationLike | None = None,
        max_keys: _Count | None = None,
        mode: Literal["exact", "bloom"] | None = None,
        expected_keys: _Count | None = None,
        fpr: float | None = None,
    ) -> Deduper: ...
    def observe(
        self, key: _Key, at: _TimestampLike, *, now: _TimestampLike | None = None, assume_tz: str | None = None
    ) -> _Outcome: ...
    def observe_batch(self, keys: Any, at: Any, *, now: _TimestampLike | None = None) -> bytes:
        """One code per event (0 first, 1 duplicate, 2 late, 3 future); ``at`` in epoch seconds.
        All or nothing."""
    def stats(self) -> DedupStats: ...
    @property
    def watermark(self) -> str | None: ...
    @property
    def memory_bytes(self) -> int: ...
    def merge(self, other: Deduper) -> None: ...
    def to_bytes(self) -> bytes: ...
    @staticmethod
    def from_bytes(data: bytes) -> Deduper: ...

_Labels: TypeAlias = Mapping[str, str] | Sequence[tuple[str, str]]
# A numpy uint64/int64 array (read in place through the buffer protocol) of numeric alert ids.
_IdColumn: TypeAlias = Any

def fingerprint(labels_obj: _Labels) -> int:
    """Alertmanager's fingerprint: FNV-1a 64 over labels sorted by name, ``name 0xFF value 0xFF``."""

@final
class WarehouseTables:
    """The tables whose freshness is read from the warehouse: a dbt manifest's fresh-checked
    sources, or ``[{identifier, schema?, database?, name?, column | query, filter?, warn_after?,
    error_after?}]``."""

    def __new__(cls, tables: Sequence[Mapping[str, Any]]) -> WarehouseTables: ...
    @staticmethod
    def from_manifest(text: str) -> WarehouseTables: ...
    @property
    def names(self) -> list[str]: ...
    def query(self, dialect: str = "duckdb") -> str: ...
    def table_queries(self, dialect: str = "duckdb") -> list[tuple[str, str]]: ...
    def timeout_statement(self, dialect: str, seconds: float) -> str | None: ...
    def judge(
        self,
        values: dict[str, object],
        errors: dict[str, str] | None = None,
        *,
        now: _TimestampLike | None = None,
        policy: FreshnessPolicy | None = None,
        assume_tz: str | None = None,
    ) -> FreshnessReport: ...
    def __len__(self) -> int: ...

@type_check_only
class KillSwitchMute(TypedDict):
    """One mute of the kill switch, as ``StormDetector.set_mutes`` takes it."""

    id: str
    key: str
    matchers: list[Mapping[str, str]]
    starts_at: str
    ends_at: str
    reason: str

def kill_switch_mutes(
    tables: Sequence[tuple[str, Sequence[Mapping[str, Any]] | str]],
) -> tuple[list[KillSwitchMute], list[str]]:
    """The kill-switch table's mutes (one per key, until its latest ``until``) and what was
    skipped: ``tables`` is ``[(source, rows)]``, each row ``{"key", "until", "reason"}``, or in
    place of the rows a string saying why the file could not be read."""

def label_matches(matcher: Mapping[str, str], labels_obj: _Labels) -> bool:
    """Whether ``{"name", "op": "=" | "!=" | "=~" | "!~", "value"}`` matches (regexes anchored;
    a missing label is the empty string)."""

def flap_series(states: Sequence[bool], *, high: float | None = None, low: float | None = None) -> FlapSeries:
    """Nagios' weighted percent state change and flapping after each state (True = problem)."""

def escalations_due(
    alerts: Sequence[Mapping[str, Any]],
    now: _TimestampLike | None = None,
    *,
    assume_tz: str | None = None,
    **policy: Any,
) -> list[Due]:
    """Escalations due at ``now``: warning -> critical after 4 h, auto-acknowledge after 7 days,
    P0-P3 response clocks, L1 -> L2 -> L3 for P0 and P1."""

@final
class StormDetector:
    """Per-key and fleet-wide alert storms with hysteresis, the mute list, flap detection.
    Options (all optional): preset ("runbook" or "task_failures"), window (5m), resolution (30s),
    enter_above (20), exit_below (5),
    cooldown (10m), fleet_enter (10), fleet_exit (5), flap_high (20), flap_low (5),
    max_future (5m), max_keys (100000); ``maintenance`` windows mute every alert inside them."""

    def __new__(cls, **options: Any) -> StormDetector: ...
    def observe(
        self,
        key: str,
        at: _TimestampLike,
        *,
        labels: _Labels | None = None,
        firing: bool | None = None,
        now: _TimestampLike | None = None,
        assume_tz: str | None = None,
    ) -> Verdict:
        """``{"action": "notify" | "suppress" | "mute", "reason": str, "events": [...]}``."""
    def observe_batch(
        self,
        keys: Sequence[str] | _IdColumn,
        at: Any,
        firing: Sequence[bool] | None = None,
        *,
        now: _TimestampLike | None = None,
        assume_tz: str | None = None,
    ) -> tuple[bytes, list[StormEvent]]:
        """Action codes (0 notify, 1 suppress, 2 mute) and events; ``at`` in epoch seconds."""
    def advance(self, now: _TimestampLike | None = None, *, assume_tz: str | None = None) -> list[StormEvent]: ...
    @staticmethod
    def restore_or_new(data: bytes | None, place: str, **options: Any) -> tuple[StormDetector, str | None]:
        """The detector saved in ``data`` if it restores and was made with ``options``, else a new one
        and why the saved one was set aside (``place`` names where it was kept)."""
    def set_mutes(self, mutes: list[Mapping[str, Any]]) -> None: ...
    @property
    def config(self) -> StormConfig:
        """The configuration as saved with the state (durations in milliseconds)."""
    def stats(self) -> StormStats: ...
    def to_bytes(self) -> bytes: ...
    @staticmethod
    def from_bytes(data: bytes) -> StormDetector: ...
    @property
    def memory_bytes(self) -> int: ...

@final
class RateLimiter:
    """GCRA per key (default: 60 a minute, burst 60) or ``mode="sliding_window"``."""

    def __new__(cls, **options: Any) -> RateLimiter: ...
    def check(self, key: str, now: _TimestampLike | None = None, *, assume_tz: str | None = None) -> LimitDecision:
        """``{"allowed", "limit", "remaining", "retry_after", "retry_after_header", "reset_after"}``
        (seconds; the header value rounded up)."""
    def to_bytes(self) -> bytes: ...
    @staticmethod
    def from_bytes(data: bytes) -> RateLimiter: ...

@final
class Grouper:
    """Alertmanager grouping: group_by (alertname), group_wait 30s, group_interval 5m, repeat_interval 4h;
    ``maintenance`` windows hold a notification due inside one to the window's end."""

    def __new__(cls, **options: Any) -> Grouper: ...
    def add(
        self, labels: _Labels, at: _TimestampLike, *, firing: bool | None = None, assume_tz: str | None = None
    ) -> None: ...
    def due(self, now: _TimestampLike | None = None, *, assume_tz: str | None = None) -> list[GroupNotification]: ...
