"""Writes tests/vectors/slo_openslo.json: OpenSLO v1 documents, valid and invalid, with the
tracker options each describes worked out by hand from the OpenSLO v1 spec (or the error, with
the line of the offending field: found in the document's own text, never by running fleetops)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

cases: list[dict[str, Any]] = []


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def ok(name: str, yaml: str, expect: dict[str, Any]) -> None:
    cases.append({"name": name, "op": "openslo", "yaml": yaml, "expect": expect})


def bad(name: str, yaml: str, at: str | None, code: str = "INVALID_SPEC") -> None:
    expect: dict[str, Any] = {"error": code}
    if at is not None:
        expect["line"] = line_of(yaml, at)
    cases.append({"name": name, "op": "openslo", "yaml": yaml, "expect": expect})


RATIO = """      ratioMetric:
        counter: true
        good:
          metricSource:
            type: Prometheus
            spec:
              query: sum(rate(http_requests_total{code!~"5.."}[1m]))
        total:
          metricSource:
            type: Prometheus
            spec:
              query: sum(rate(http_requests_total[1m]))
"""


def slo(name: str = "availability", window: str = "    - duration: 28d\n      isRolling: true\n", objectives: str = "    - displayName: good\n      target: 0.999\n", extra: str = "", indicator: str = RATIO, method: str = "Occurrences") -> str:
    return (
        f"apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: {name}\nspec:\n  service: fleet-api\n"
        f"  indicator:\n    metadata:\n      name: {name}\n    spec:\n{indicator}"
        f"  timeWindow:\n{window}  budgetingMethod: {method}\n  objectives:\n{objectives}{extra}"
    )


AVAIL = {"name": "availability", "kind": "success", "target": 0.999}
ok("a ratio SLO over a rolling 28 days", slo(), {"period": "28d", "timezone": None, "objectives": [AVAIL], "burn": None})
ok(
    "a calendar month in New York",
    slo(window='    - duration: 1M\n      isRolling: false\n      calendar:\n        startTime: "2026-01-01 00:00:00"\n        timeZone: America/New_York\n'),
    {"period": "month", "timezone": "America/New_York", "objectives": [AVAIL]},
)
ok(
    "a calendar week and quarter are units, not durations",
    slo(window="    - duration: 1Q\n      isRolling: false\n"),
    {"period": "quarter"},
)
THRESHOLD = "      thresholdMetric:\n        metricSource:\n          type: Prometheus\n          spec:\n            query: histogram_quantile(0.95, rate(http_duration_bucket[1m]))\n"
ok(
    "a threshold SLO with two objectives: latency in ms, one objective each, named by displayName",
    slo(name="latency", indicator=THRESHOLD, objectives="    - displayName: p95\n      op: lte\n      value: 500\n      target: 0.95\n    - displayName: p99\n      op: lt\n      value: 1000\n      targetPercent: 99\n"),
    {
        "objectives": [
            {"name": "latency_p95", "kind": "latency_under", "threshold_ms": 500, "target": 0.95},
            {"name": "latency_p99", "kind": "latency_under", "threshold_ms": 1000, "target": 0.99},
        ]
    },
)
sli_ref = (
    "apiVersion: openslo/v1\nkind: SLI\nmetadata:\n  name: api-errors\nspec:\n  description: 5xx share\n"
    "  ratioMetric:\n    counter: true\n    bad:\n      metricSource:\n        type: Prometheus\n        spec:\n          query: errors\n"
    "    total:\n      metricSource:\n        type: Prometheus\n        spec:\n          query: all\n---\n"
    "apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: error_rate\nspec:\n  indicatorRef: api-errors\n"
    "  timeWindow:\n    - duration: 30d\n      isRolling: true\n  objectives:\n    - target: 0.99\n"
)
ok("an SLI by reference, counting bad events", sli_ref, {"period": "30d", "objectives": [{"name": "error_rate", "kind": "success", "target": 0.99}]})
policy = (
    "---\napiVersion: openslo/v1\nkind: AlertPolicy\nmetadata:\n  name: burn\nspec:\n  alertWhenBreaching: true\n"
    "  conditions:\n    - conditionRef: page_fast\n    - conditionRef: ticket\n"
    "---\napiVersion: openslo/v1\nkind: AlertCondition\nmetadata:\n  name: page_fast\nspec:\n  severity: page\n"
    "  condition:\n    kind: burnrate\n    op: gte\n    threshold: 14.4\n    lookbackWindow: 1h\n"
    "---\napiVersion: openslo/v1\nkind: AlertCondition\nmetadata:\n  name: ticket\n  annotations:\n    fleetops.io/short-window: 6h\nspec:\n  severity: ticket\n"
    "  condition:\n    kind: burnrate\n    op: gt\n    threshold: 1\n    lookbackWindow: 4d\n"
)
ok(
    "alert conditions become burn tiers: the short window a twelfth of the lookback, or as annotated",
    slo(extra="  alertPolicies:\n    - burn\n") + policy,
    {
        "burn": {
            "tiers": [
                {"name": "page_fast", "severity": "page", "long": "1h", "short": "5m", "factor": 14.4},
                {"name": "ticket", "severity": "ticket", "long": "4d", "short": "6h", "factor": 1},
            ]
        }
    },
)
inline = (
    "  alertPolicies:\n    - kind: AlertPolicy\n      metadata:\n        name: inline\n      spec:\n        conditions:\n"
    "          - kind: AlertCondition\n            metadata:\n              name: slow\n            spec:\n"
    "              condition:\n                kind: burnrate\n                threshold: 6\n                lookbackWindow: 6h\n"
)
ok(
    "an inline alert policy with an inline condition (severity defaults to page)",
    slo(extra=inline),
    {"burn": {"tiers": [{"name": "slow", "severity": None, "long": "6h", "short": "30m", "factor": 6}]}},
)
maint = json.dumps([{"name": "monthly", "cron": "0 2 * * SUN#1", "duration": "2h", "timezone": "America/New_York"}])
annotated = slo().replace("metadata:\n  name: availability\nspec:", f"metadata:\n  name: availability\n  annotations:\n    fleetops.io/maintenance: '{maint}'\nspec:", 1)
ok(
    "maintenance windows travel in the fleetops.io/maintenance annotation",
    annotated,
    {"maintenance": [{"name": "monthly", "cron": "0 2 * * SUN#1", "duration": "2h", "timezone": "America/New_York"}]},
)
bad("an unknown field is named with its line", slo(extra="  owner: platform-team\n"), "owner:")
bad("alertAfter is refused: fleetops has no pending period", slo(extra="  alertPolicies:\n    - burn\n") + policy.replace("    lookbackWindow: 1h\n", "    lookbackWindow: 1h\n    alertAfter: 5m\n"), "alertAfter")
ok(
    "RatioTimeslices: every slice counts with its own SLI, no slice target",
    slo(method="RatioTimeslices", objectives="    - target: 0.99\n      timeSliceWindow: 1m\n"),
    {"resolution": "1m", "objectives": [{"name": "availability", "target": 0.99, "timeslices": {"ratio": True}}]},
)
bad(
    "RatioTimeslices takes no slice target",
    slo(method="RatioTimeslices", objectives="    - target: 0.99\n      timeSliceTarget: 0.9\n      timeSliceWindow: 1m\n"),
    "timeSliceTarget",
)
ok(
    "Timeslices: each bucket is a slice; the slice window is the tracker's resolution",
    slo(method="Timeslices", objectives="    - target: 0.99\n      timeSliceTarget: 0.95\n      timeSliceWindow: 5m\n"),
    {"resolution": "5m", "objectives": [{"name": "availability", "kind": "success", "target": 0.99, "timeslices": {"slice_target": 0.95}}]},
)
bad("Timeslices without a slice target", slo(method="Timeslices", objectives="    - target: 0.99\n      timeSliceWindow: 1m\n"), "- target: 0.99")
bad("a slice target with Occurrences", slo(objectives="    - target: 0.99\n      timeSliceTarget: 0.95\n"), "timeSliceTarget")
bad("a raw ratio is refused", slo(indicator="      ratioMetric:\n        rawType: success\n        raw:\n          metricSource:\n            type: Prometheus\n"), "rawType")
bad("another apiVersion is refused", slo().replace("openslo/v1", "openslo/v2alpha"), "apiVersion")
bad("an indicatorRef to no SLI", sli_ref.replace("indicatorRef: api-errors", "indicatorRef: nope"), "indicatorRef")
bad(
    "SLOs of one spec share one time window",
    slo() + "---\n" + slo(name="other", window="    - duration: 7d\n      isRolling: true\n"),
    None,
)
bad("text that is not YAML", "apiVersion: openslo/v1\nkind: [SLO\n", None)
bad("a calendar window of two months", slo(window="    - duration: 2M\n      isRolling: false\n"), "duration: 2M")
bad("a latency objective above a value", slo(name="latency", indicator=THRESHOLD, objectives="    - op: gte\n      value: 500\n      target: 0.95\n"), "op: gte")
bad("an unknown kind", "apiVersion: openslo/v1\nkind: DataSource\nmetadata:\n  name: prom\nspec:\n  type: Prometheus\n", "kind: DataSource")
bad("a key given twice", slo().replace("  service: fleet-api\n", "  service: fleet-api\n  service: again\n"), "service: again")
bad("a ratio metric with both good and bad", slo(indicator=RATIO.replace("        total:", "        bad:\n          metricSource:\n            type: Prometheus\n        total:")), None)
bad("an objective target outside (0, 1)", slo(objectives="    - target: 1.5\n"), None, "INVALID_TARGET")

about = (
    "OpenSLO v1 documents into tracker options, worked out by hand from the OpenSLO v1 specification. "
    "Op openslo: `yaml` read as a tracker spec must match `expect` (tracker options); an expect of "
    '{"error": CODE, "line": N} means reading fails with that code, naming line N ("line N:").'
)
out = Path(__file__).resolve().parent.parent / "slo_openslo.json"
out.write_text(json.dumps({"about": about, "cases": cases}, indent=1) + "\n")
print(f"{len(cases)} cases -> {out}")
