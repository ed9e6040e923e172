"""Run from outside the repository by tests/packaging/wheel_smoke.sh, in a fresh venv holding
only the installed wheel: the README's Python example prints what the README says, and the
package behaves as a user sees it (types, errors, the typed-package marker)."""

from __future__ import annotations

import contextlib
import io
import re
import sys
from importlib import resources
from pathlib import Path

import fleetops


def readme_example(readme: Path) -> None:
    """Runs the README's first Python block and compares every `# expected` line."""
    text = readme.read_text()
    block = re.search(r"```python\n(.*?)```", text, re.DOTALL)
    assert block, "the README has a Python example"
    code = block.group(1)
    expected = [line.strip()[2:] for line in code.splitlines() if line.strip().startswith("# ") and "=" not in line]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), {})  # noqa: S102 -- the README example is the test
    printed = out.getvalue().splitlines()
    for want in expected:
        assert any(want == got or want in got for got in printed), f"README promises {want!r}, printed {printed}"


def behaves() -> None:
    assert str(Path(fleetops.__file__).resolve()).find("/bindings-python/") < 0, "imported from the repository"
    assert resources.files("fleetops").joinpath("py.typed").is_file(), "py.typed is installed"
    assert fleetops.__version__, "a version"
    try:
        fleetops.Deduper()  # type: ignore[call-arg]
    except TypeError:
        pass
    else:
        raise AssertionError("a call of the wrong shape is Python's TypeError")
    try:
        fleetops.Deduper("-5m")
    except fleetops.FleetopsError as e:
        assert e.code == "INVALID_DURATION", e.code
        assert isinstance(e, ValueError)
    else:
        raise AssertionError("a bad duration is refused")
    from fleetops.results import FreshnessReport  # noqa: F401  (the TypedDicts ship)


if __name__ == "__main__":
    readme_example(Path(sys.argv[1]))
    behaves()
    print(f"fleetops {fleetops.__version__} on Python {sys.version.split()[0]}: README example and smoke checks pass")
