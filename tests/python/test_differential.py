"""The same seeded random calls, valid and invalid, through Python and Node: identical results
and error codes (keys compared camelCase). FLEETOPS_DIFF_SEED picks another seed; a failure prints
the seed and the first differing calls."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "differential"))

import cases as neutral  # noqa: E402
import driver_py  # noqa: E402

SEED = int(os.environ.get("FLEETOPS_DIFF_SEED", "20261201"))
CASES = 3000


Both = tuple[list[dict[str, Any]], list[Any], list[Any]]


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> Both:
    node = shutil.which("node")
    assert node, "node is needed for the differential test"
    # Through JSON, as Node reads them: the same keys and numbers on both sides.
    calls = json.loads(json.dumps(neutral.make_cases(SEED, CASES)))
    where = tmp_path_factory.mktemp("differential")
    (where / "cases.json").write_text(json.dumps(calls))
    r = subprocess.run(
        [
            node,
            str(ROOT / "tests" / "differential" / "driver_node.mjs"),
            str(where / "cases.json"),
            str(where / "node.json"),
        ],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    from_node = json.loads((where / "node.json").read_text())
    # Through JSON, as Node's results came: the same float formatting on both sides.
    from_python = json.loads(json.dumps(driver_py.run(calls)))
    return calls, from_python, from_node


def test_python_and_node_agree_on_every_call(both: Both) -> None:
    calls, py, js = both
    differ = [(c, p, n) for c, p, n in zip(calls, py, js, strict=True) if p != n]
    shown = "\n".join(
        f"{c['fn']} {json.dumps(c['a'])[:400]}\n  python: {json.dumps(p)[:400]}\n  node:   {json.dumps(n)[:400]}"
        for c, p, n in differ[:8]
    )
    assert not differ, f"seed {SEED}: {len(differ)} of {len(calls)} calls differ:\n{shown}"


def test_enough_calls_of_every_function_valid_and_invalid(
    both: tuple[list[dict[str, Any]], list[Any], list[Any]],
) -> None:
    calls, py, _ = both
    steps = [s for case in py for s in case]
    assert len(steps) >= 5_000, len(steps)
    fns = {c["fn"] for c in calls}
    assert fns == set(driver_py.RUN), set(driver_py.RUN) - fns
    for fn in fns:
        outcomes = [s for c, case in zip(calls, py, strict=True) if c["fn"] == fn for s in case]
        assert any("ok" in s for s in outcomes), f"{fn}: no call succeeded"
        if fn != "runbook_rules":
            assert any("error" in s for s in outcomes), f"{fn}: no call failed"
    foreign = sorted({s["error"] for s in steps if "error" in s and ":" in s["error"]})
    assert not foreign, f"errors that are not fleetops codes: {foreign}"
