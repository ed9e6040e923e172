"""Runs neutral calls (cases.py) through the Python API; each call's result normalised: keys
camelCase, bytes and arrays as lists, hashes as strings, errors as ``{"error": code}``."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from functools import partial
from typing import Any

import fleetops

Steps = list[dict[str, Any]]


def dec(v: Any) -> Any:
    """Neutral sentinels to Python values (epochs in seconds, tuples for composite keys)."""
    if isinstance(v, dict):
        if "$nan" in v:
            return math.nan
        if "$inf" in v:
            return math.inf
        if "$epoch" in v:
            return v["$epoch"]
        if "$tuple" in v:
            return tuple(dec(x) for x in v["$tuple"])
        return {k: dec(x) for k, x in v.items()}
    if isinstance(v, list):
        return [dec(x) for x in v]
    return v


def camel(key: str) -> str:
    return re.sub(r"_([a-z0-9])", lambda m: m.group(1).upper(), key)


def norm(v: Any) -> Any:
    if isinstance(v, dict):
        return {camel(str(k)): norm(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [norm(x) for x in v]
    if isinstance(v, (bytes, bytearray)):
        return list(v)
    if hasattr(v, "typecode"):  # array.array
        return list(v)
    if isinstance(v, float) and not math.isfinite(v):
        return repr(v)
    return v


def step(steps: Steps, f: Callable[[], Any]) -> bool:
    """Runs one call into ``steps``; False when it raised."""
    try:
        steps.append({"ok": norm(f())})
        return True
    except fleetops.FleetopsError as e:
        steps.append({"error": e.code})
    except TypeError:
        # A call of the wrong shape: Python's own TypeError, Node's INVALID_ARGUMENT.
        steps.append({"error": "INVALID_ARGUMENT"})
    except Exception as e:  # noqa: BLE001 (any other error is a finding: recorded and compared)
        steps.append({"error": f"python:{type(e).__name__}"})
    return False


def kw(a: dict[str, Any], *names: str) -> dict[str, Any]:
    return {n: a[n] for n in names if n in a}


def tables_of(tables: Any) -> Any:
    """Table records as given, a schedule marked ``instance`` made into a ``LoadSchedule``."""
    if not isinstance(tables, list):
        return tables
    out = []
    for t in tables:
        s = t.get("schedule") if isinstance(t, dict) else None
        if isinstance(s, dict) and s.get("instance"):
            options = {k: v for k, v in s.items() if k not in ("cron", "instance")}
            t = {**t, "schedule": fleetops.LoadSchedule(s["cron"], **options)}
        elif isinstance(s, dict):
            t = {**t, "schedule": {k: v for k, v in s.items() if k != "instance"}}
        out.append(t)
    return out


def policy_of(spec: dict[str, Any]) -> fleetops.FreshnessPolicy:
    # Tiers as the generator writes them, [name, max_age] pairs: a form both languages take.
    return fleetops.FreshnessPolicy(**spec)


def freshness_policy(a: dict[str, Any], steps: Steps, then: Callable[[fleetops.FreshnessPolicy], Any]) -> None:
    box: list[fleetops.FreshnessPolicy] = []
    if step(steps, lambda: box.append(policy_of(a["policy"]))):
        step(steps, lambda: then(box[0]))


def opt_policy(a: dict[str, Any]) -> fleetops.FreshnessPolicy | None:
    return policy_of(a["policy"]) if a.get("policy") is not None else None


def _call(f: Callable[[Any, Any], Any], x: Any, it: Any) -> Any:
    return f(it, x)


def per(items: list[Any], f: Callable[[Any, Any], Any]) -> list[Callable[[Any], Any]]:
    """One use of the engine per item: ``f(engine, item)``."""
    return [partial(_call, f, x) for x in items]


def _use(use: Callable[[Any], Any], box: list[Any]) -> Any:
    return use(box[0])


def engine(steps: Steps, make: Callable[[], Any], uses: list[Callable[[Any], Any]]) -> None:
    box: list[Any] = []
    if step(steps, lambda: box.append(make())):
        for use in uses:
            step(steps, partial(_use, use, box))


def slo_tracker(a: dict[str, Any], steps: Steps) -> None:
    now = a["now"]
    uses = per(a["announcements"], lambda t, m: t.announce_maintenance(m[0], m[1], name=m[2], notice=m[3], now=now))
    uses += per(a["events"], lambda t, e: t.record(e[0], e[1], e[2] if len(e) > 2 else None, now=now))
    uses += per(a["corrections"], lambda t, c: t.correct(c[0], c[1], c[2], now=now))
    b = a["batch"]
    uses.append(lambda t: t.record_batch([r[1] for r in b], [r[2] for r in b], [r[3] for r in b], now=now))
    uses += [
        lambda t: t.corrections(),
        lambda t: t.announced_maintenance(),
        lambda t: t.prometheus_rules(**kw(a, "prefix")),
        lambda t: t.to_openslo(**kw(a, "prefix")),
        lambda t: t.status(now),
        lambda t: t.window_counts("availability", a["window"], now),
        lambda t: t.latency(a["window"], now),
        lambda t: t.evaluate_rules(a.get("rules"), now),
        lambda t: t.gate_problems(now, **kw(a, "fail_on")),
        lambda t: t.prometheus(now, **kw(a, "prefix")),
    ]
    engine(steps, lambda: fleetops.SloTracker(**a["options"]), uses)


def batch_result(r: Any) -> dict[str, Any]:
    """A storm batch's `(actions, events)` as Node's `{actions, events}`, the codes as a list
    (bytes here, a Uint8Array in Node)."""
    actions, events = r
    return {"actions": list(actions), "events": events}


def storm_detector(a: dict[str, Any], steps: Steps) -> None:
    uses = per(
        a["alerts"],
        lambda d, x: d.observe(x[0], x[1], labels=x[2] if len(x) > 3 else None, firing=x[-1], **kw(a, "now")),
    )
    b = a["batch"]
    uses.append(lambda d: batch_result(d.observe_batch([r[0] for r in b], [r[1] for r in b], [r[2] for r in b])))
    uses += [lambda d: d.advance(a["advance"]), lambda d: d.stats(), lambda d: d.config]
    engine(steps, lambda: fleetops.StormDetector(**a["options"]), uses)


def grouper(a: dict[str, Any], steps: Steps) -> None:
    uses = per(a["alerts"], lambda g, x: g.add(x[0], x[1], firing=x[2]))
    uses += per(a["due"], lambda g, t: g.due(t))
    engine(steps, lambda: fleetops.Grouper(**a["options"]), uses)


def burn_policy(a: dict[str, Any], steps: Steps) -> None:
    uses: list[Callable[[Any], Any]] = [lambda p: p.tiers, lambda p: p.min_events]
    if a.get("windows") is not None:
        # Every other window keyed by its seconds as text: the JSON form, which Node's keys are.
        windows = {(str(w[0]) if i % 2 else w[0]): (w[1], w[2]) for i, w in enumerate(a["windows"])}
        uses.append(lambda p: p.evaluate(a["objective"], windows))
    engine(steps, lambda: fleetops.BurnPolicy(**a["options"]), uses)


def histogram(a: dict[str, Any], steps: Steps) -> None:
    uses: list[Callable[[Any], Any]] = [
        lambda h: h.record_batch(a["values"]),
        lambda h: h.summary(),
        lambda h: h.percentile(a["p"]),
        lambda h: h.fraction_under(a["threshold"]),
        lambda h: h.count,
    ]
    engine(steps, lambda: fleetops.LatencyHistogram(**kw(a, "max_ms", "significant_figures")), uses)


def deduper(a: dict[str, Any], steps: Steps) -> None:
    uses = per(a["events"], lambda d, e: d.observe(e[0], e[1], now=e[2] if len(e) > 2 else None))
    b = a["batch"]
    uses.append(lambda d: list(d.observe_batch([r[0] for r in b], [r[1] for r in b])))
    uses.append(lambda d: {k: v for k, v in d.stats().items() if k != "memory_bytes"})
    options = kw(a, "allowed_lateness", "max_future", "max_keys", "mode", "expected_keys", "fpr", "horizn")
    engine(steps, lambda: fleetops.Deduper(a["horizon"], **options), uses)


def limiter(a: dict[str, Any], steps: Steps) -> None:
    uses = per(a["requests"], lambda r, x: r.check(x[0], x[1]))
    engine(steps, lambda: fleetops.RateLimiter(**a["options"]), uses)


def one(f: Callable[[dict[str, Any]], Any]) -> Callable[[dict[str, Any], Steps], None]:
    return lambda a, steps: (step(steps, lambda: f(a)), None)[1]


RUN: dict[str, Callable[[dict[str, Any], Steps], None]] = {
    "FreshnessPolicy.classify": lambda a, s: freshness_policy(
        a, s, lambda p: p.classify(a["last"], now=a["now"], **kw(a, "table"))
    ),
    "FreshnessPolicy.class_names": lambda a, s: freshness_policy(a, s, lambda p: p.class_names),
    "FreshnessPolicy.classify_ages": lambda a, s: freshness_policy(a, s, lambda p: p.classify_ages(a["ages"])),
    "classify_tables": one(
        lambda a: fleetops.classify_tables(
            tables_of(a["tables"]), policy=opt_policy(a), now=a["now"], **kw(a, "cadence")
        )
    ),
    "dbt_sources": one(
        lambda a: fleetops.dbt_sources(tables_of(a["tables"]), policy=opt_policy(a), now=a["now"], **kw(a, "source"))
    ),
    "check_cadence": one(
        lambda a: fleetops.check_cadence(
            a["history"],
            now=a["now"],
            **kw(a, "min_intervals", "spread_factor", "min_slack_ratio", "clock_skew_tolerance"),
        )
    ),
    "LoadSchedule.check": lambda a, s: engine(
        s,
        lambda: fleetops.LoadSchedule(a["cron"], **kw(a, "timezone", "allowed_delay", "maintenance")),
        [lambda sch: sch.check(a["last"], now=a["now"])],
    ),
    "error_budget": one(
        lambda a: fleetops.error_budget(a["objective"], **kw(a, "good", "bad", "total", "period_minutes"))
    ),
    "error_budget_gate": one(
        lambda a: fleetops.error_budget_gate(a["objective"], **kw(a, "good", "bad", "total", "fail_on"))
    ),
    "period_window": one(lambda a: fleetops.period_window(a["period"], now=a["now"], **kw(a, "timezone", "objective"))),
    "timeslice_budget": one(
        lambda a: fleetops.timeslice_budget(
            a["objective"],
            [tuple(x) for x in a["slices"]],
            slice_target=a["slice_target"],
            slice=a["slice"],
            period=a["period"],
            **kw(a, "empty"),
        )
    ),
    "forecast_budget": one(
        lambda a: fleetops.forecast_budget(a["remaining"], a["burn"], period=a["period"], time_left=a["time_left"])
    ),
    "BurnPolicy": burn_policy,
    "LatencyHistogram": histogram,
    "SloTracker": slo_tracker,
    "maintenance_windows": one(lambda a: fleetops.maintenance_windows(a["windows"], a["start"], a["end"])),
    "read_openslo": one(lambda a: fleetops.read_openslo(a["text"])),
    "assess_health": one(lambda a: fleetops.assess_health(a["checks"])),
    "runbook_rules": one(lambda a: fleetops.runbook_rules()),
    "judge_rule": one(lambda a: fleetops.judge_rule(a["rule"], a["stats"], **kw(a, "resolution"))),
    "key_hash": one(lambda a: str(fleetops.key_hash(a["key"]))),
    "key_hashes": one(lambda a: [str(h) for h in fleetops.key_hashes(a["columns"])]),
    "dedup_mask": one(lambda a: fleetops.dedup_mask(a["keys"], **kw(a, "keep"))),
    "dedup_indices": one(lambda a: fleetops.dedup_indices(a["keys"], **kw(a, "keep", "order_by"))),
    "Deduper": deduper,
    "fingerprint": one(lambda a: str(fleetops.fingerprint(a["labels"]))),
    "label_matches": one(lambda a: fleetops.label_matches(a["matcher"], a["labels"])),
    "duration_seconds": one(lambda a: fleetops.duration_seconds(a["duration"])),
    "utc_iso": one(lambda a: fleetops.utc_iso(a["instant"])),
    "flap_series": one(lambda a: fleetops.flap_series(a["states"], **kw(a, "high", "low"))),
    "escalations_due": one(lambda a: fleetops.escalations_due(a["alerts"], a["now"], **a["policy"])),
    "StormDetector": storm_detector,
    "RateLimiter": limiter,
    "Grouper": grouper,
    "http_outcomes": one(lambda a: fleetops.http_outcomes(a["status"], a.get("bad_statuses"))),
}


def run(cases: list[dict[str, Any]]) -> list[Steps]:
    out = []
    for case in cases:
        steps: Steps = []
        RUN[case["fn"]](dec(case["a"]), steps)
        out.append(steps)
    return out
