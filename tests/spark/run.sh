#!/usr/bin/env bash
# fleetops.spark on real PySpark 4 (local[2]): a throwaway venv with pyspark, pyarrow, pandas and
# the freshly built fleetops wheel (Java 17: tests/setup.sh installs Debian's where none is).
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
# (The JVM may still be closing when pytest returns; its jars live in the venv.)
trap 'sleep 2; rm -rf "$work"' EXIT

.venv/bin/maturin build -q -i python3 -m bindings-python/Cargo.toml -o "$work/wheels" 2>/dev/null
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q --disable-pip-version-check "pyspark>=4.0,<4.1" "pyarrow>=15" "pandas>=2,<3" \
  "numpy>=1.26" "protobuf>=4" "grpcio>=1.60" "pytest>=8" "$work"/wheels/fleetops-*.whl
"$work/venv/bin/python" -m pytest tests/spark -q -p no:cacheprovider -s
