"""One version for the three packages: the workspace's Cargo.toml holds it (the crates and,
through maturin, the Python wheel take it from there); the npm package must say the same, and
the Express example must depend on the package it sits beside. Exits 1 naming a difference."""

from __future__ import annotations

import json
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    cargo = tomllib.loads((ROOT / "Cargo.toml").read_text())["workspace"]["package"]["version"]
    problems: list[str] = []
    pyproject = tomllib.loads((ROOT / "bindings-python" / "pyproject.toml").read_text())["project"]
    if "version" in pyproject or "version" not in pyproject.get("dynamic", []):
        problems.append("bindings-python/pyproject.toml must take its version from Cargo.toml (dynamic)")
    npm = json.loads((ROOT / "bindings-node" / "package.json").read_text())["version"]
    if npm != cargo:
        problems.append(f"bindings-node/package.json says {npm}, Cargo.toml {cargo}")
    for crate in ("core", "bindings-python", "bindings-node"):
        package = tomllib.loads((ROOT / crate / "Cargo.toml").read_text())["package"]
        if package.get("version") != {"workspace": True}:
            problems.append(f"{crate}/Cargo.toml must say version.workspace = true")
    for p in problems:
        print(f"versions: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
