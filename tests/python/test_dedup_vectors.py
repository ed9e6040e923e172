"""Every case of tests/vectors/dedup.json through fleetops.Deduper, dedup_mask/indices, key_hash."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import fleetops
import numpy as np
import pytest
from conftest import check_case, checked, load_cases

CASES = load_cases("dedup.json")


def nan(v: Any) -> Any:
    return float("nan") if v == "NaN" else v


def key_of(k: Any) -> Any:
    return tuple(nan(p) for p in k) if isinstance(k, list) else k


def epoch(t: Any) -> float | None:
    """Epoch seconds for the batch path, or None when the time cannot be one (naive text)."""
    if not isinstance(t, str):
        return float(t)
    if t == "NaN":
        return float("nan")
    dt = datetime.fromisoformat(t)
    return dt.timestamp() if dt.tzinfo else None


def deduper(config: dict[str, Any]) -> fleetops.Deduper:
    rest = {k: v for k, v in config.items() if k != "horizon"}
    return fleetops.Deduper(config.get("horizon"), **rest)


def feed(d: fleetops.Deduper, events: list[Any], now: Any = None) -> list[str]:
    """Event by event; and through observe_batch on a restored copy, which must agree."""
    copy = fleetops.Deduper.from_bytes(d.to_bytes())
    times = [epoch(nan(t)) for _, t in events]
    outcomes: list[str] = [d.observe(key_of(k), nan(t), now=now) for k, t in events]
    if all(t is not None for t in times):
        codes = copy.observe_batch([key_of(k) for k, _ in events], np.array(times, dtype=np.float64), now=now)
        names = ["first", "duplicate", "late", "future"]
        assert [names[c] for c in codes] == outcomes
    return outcomes


def run(case: dict[str, Any]) -> dict[str, Any]:
    op = case["op"]
    if op == "stream":
        d = deduper(case["config"])
        outcomes = feed(d, case["events"], case.get("now"))
        return {"outcomes": outcomes, "counts": checked("Deduper.stats", d.stats())["counts"]}
    if op == "batch":
        keys = [key_of(k) for k in case["keys"]]
        order = case.get("order_by")
        order_arr = None if order is None else np.array([nan(v) for v in order], dtype=np.float64)
        mask = fleetops.dedup_mask(keys, keep=case["keep"], order_by=order_arr)
        indices = fleetops.dedup_indices(keys, keep=case["keep"], order_by=order_arr)
        assert list(np.frombuffer(mask, dtype=bool).nonzero()[0]) == list(indices)
        return {"indices": list(indices), "mask": [bool(b) for b in mask]}
    if op == "key_hash":
        return {"hash": str(fleetops.key_hash(key_of(case["key"])))}
    if op == "merge":
        a = deduper(case["config"])
        b = deduper(case.get("config_b", case["config"]))
        feed(a, case["a"])
        feed(b, case["b"])
        a.merge(b)
        return {"outcomes": feed(a, case["then"]), "watermark": a.watermark}
    if op == "replay":
        before = deduper(case["config"])
        feed(before, case["events"][: case["cut"]])
        after = fleetops.Deduper.from_bytes(before.to_bytes())
        return {"outcomes": feed(after, case["events"])}
    if op == "restore":
        fleetops.Deduper.from_bytes(bytes.fromhex(case["bytes_hex"]))
        return {}
    raise AssertionError(f"unknown op {op}")


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_vector(case: dict[str, Any]) -> None:
    check_case(case, run)
