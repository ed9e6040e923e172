#!/usr/bin/env bash
# Airflow 3 for real: a throwaway venv with Apache Airflow (and its Postgres provider) and the
# freshly built fleetops wheel, a SQLite metadata DB, `airflow dags test` on
# examples/airflow/fleet_morning_checks.py and on examples/airflow/warehouse_checks.py (reading
# a throwaway PostgreSQL cluster through the connection `fleet_warehouse`), then the task states
# and XComs read back from Airflow's own DB (tests/airflow/check_run.py).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
work=$(mktemp -d)
pg=$(mktemp -d)
trap '.venv/bin/python tests/python/pg_cluster.py stop "$pg"; rm -rf "$work" "$pg"' EXIT

.venv/bin/maturin build -q -i python3 -m bindings-python/Cargo.toml -o "$work/wheels" 2>/dev/null
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q --disable-pip-version-check "apache-airflow>=3.1,<3.2" \
  "apache-airflow-providers-postgres" "$work"/wheels/fleetops-*.whl

export AIRFLOW_HOME="$work/home"
export AIRFLOW__CORE__DAGS_FOLDER="$root/examples/airflow"
export AIRFLOW__CORE__LOAD_EXAMPLES=False
export FLEETOPS_LAST_LOADS="$root/examples/airflow/last_loads.json"
mkdir -p "$AIRFLOW_HOME"
"$work/venv/bin/airflow" db migrate >"$work/migrate.log" 2>&1 || { cat "$work/migrate.log"; exit 1; }
# The DAG has a failing task by design, so `dags test` may exit non-zero; the states decide.
"$work/venv/bin/airflow" dags test fleet_morning_checks 2026-11-22T07:00:00+00:00 >"$work/run.log" 2>&1 || true

# The warehouse: raw tables with their loads, read through an Airflow connection to them.
sock=$(.venv/bin/python tests/python/pg_cluster.py start "$pg")
.venv/bin/python - "$sock" <<'PY'
import sys
import psycopg
with psycopg.connect(f"host={sys.argv[1]} dbname=postgres user=postgres", autocommit=True) as con:
    con.execute("CREATE SCHEMA raw")
    con.execute("CREATE TABLE raw.packages (_loaded_at timestamptz)")
    con.execute("INSERT INTO raw.packages VALUES ('2026-11-22 06:40:00+00')")
    con.execute("CREATE TABLE raw.tracking_events (_loaded_at timestamptz, region text)")
    con.execute("INSERT INTO raw.tracking_events VALUES ('2026-11-22 06:55:00+00', 'eu'), ('2026-11-22 06:59:00+00', 'us')")
PY
export AIRFLOW_CONN_FLEET_WAREHOUSE="{\"conn_type\": \"postgres\", \"host\": \"$sock\", \"login\": \"postgres\", \"schema\": \"postgres\"}"
"$work/venv/bin/airflow" dags test warehouse_checks 2026-11-22T07:00:00+00:00 >>"$work/run.log" 2>&1 || true

if ! "$work/venv/bin/python" tests/airflow/check_run.py "$work/run.log"; then
  echo "--- airflow dags test output" >&2
  tail -n 80 "$work/run.log" >&2
  exit 1
fi
