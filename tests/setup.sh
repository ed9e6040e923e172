#!/usr/bin/env bash
# Builds both bindings into the work tree, installing what they need on a fresh machine
# (a venv with maturin and the test packages; the npm packages of bindings-node).
# Usage: tests/setup.sh [debug|release|tools]; `tools` installs only the lint tools (the venv's
# and bindings-node's npm packages), building nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
profile="${1:-debug}"
release_flag=(); [ "$profile" = release ] && release_flag=(--release)

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
tools=("maturin>=1.9.4,<2" "pytest>=8" "numpy>=1.26" "pandas>=2" "mypy>=1.10" "hypothesis>=6.100" "ruff>=0.6" "pandas-stubs>=2" "jsonschema>=4.18" "types-jsonschema" "ziglang>=0.13,<0.14" "duckdb>=1.1" "psycopg[binary]>=3.2" "sqlalchemy>=2")
# pip is asked only when a tool is missing: a lint run that finds them all is quick.
if [ "$profile" != tools ] || ! .venv/bin/python -c 'import maturin, pytest, numpy, pandas, mypy, hypothesis, ruff, jsonschema, ziglang, duckdb, psycopg, sqlalchemy' 2>/dev/null; then
  .venv/bin/python -m pip install -q --disable-pip-version-check "${tools[@]}"
fi
npm_install() {
  # (Re)install when package-lock.json changed since the last install.
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm install --no-audit --no-fund --loglevel=error
  fi
}
if [ "$profile" = tools ]; then
  (cd bindings-node && npm_install)
  exit 0
fi
VIRTUAL_ENV="$PWD/.venv" PATH="$PWD/.venv/bin:$PATH" \
  .venv/bin/maturin develop -q "${release_flag[@]}" -m bindings-python/Cargo.toml

# Installs Debian package ${3:-$1} when command $1 is missing (as root; the package lists are
# refreshed only if the first try fails). $2 says what needs it.
debian_package() {
  command -v "$1" >/dev/null && return
  local pkg="${3:-$1}"
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    (apt-get install -y -q "$pkg" >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q "$pkg" >/dev/null; })
  else
    echo "tests/setup.sh: $2 needs Debian's $pkg (apt-get install $pkg)" >&2
    exit 1
  fi
}
# Headless Chromium for the HTML report test (no browser download); libfaketime for the
# time-travel step and the frozen-clock tests.
debian_package chromium "the HTML report test"
debian_package faketime "the time-travel tests"
# promtool (Debian's prometheus) for the generated rules' check and unit test.
debian_package promtool "the Prometheus rules test" prometheus
# Java 17 for PySpark 4 (the Spark step, tests/spark/run.sh).
debian_package java "the Spark tests" openjdk-17-jre-headless
# PostgreSQL's server for the warehouse tests (a throwaway cluster on a socket; not on PATH).
if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  debian_package pg_ctl_not_on_path "the PostgreSQL warehouse tests" postgresql
fi

cd bindings-node
npm_install
# The committed index.js / index.d.ts are left alone (`cargo xtask codegen --check` compares
# them with what napi writes); the declarations of this build go to a scratch file.
node_modules/.bin/napi build --platform --no-const-enum --no-js --dts build-scratch/index.d.ts "${release_flag[@]}" >/dev/null

# The Express example depends on this package (file:) and on express, as a user's service would.
cd ../examples/express
if [ ! -f node_modules/.package-lock.json ] || [ package.json -nt node_modules/.package-lock.json ]; then
  npm install --no-audit --no-fund --loglevel=error
fi
