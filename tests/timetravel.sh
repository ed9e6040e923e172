#!/usr/bin/env bash
# The Python and Node suites (and the CLI's tests) again under libfaketime, at instants chosen to
# break date assumptions. Each runs in a local time zone where the local date or hour differs
# from UTC's, so a test that leans on today's date, the local zone or "this month" fails here.
#   2027-01-01 00:00:00 UTC  first second of a month and a year  (Los Angeles: still 31 Dec)
#   2027-03-28 01:30:00 UTC  EU spring-forward night              (Berlin: 03:30, an hour skipped)
#   2028-02-29 12:00:00 UTC  a leap day                           (Kiritimati, UTC+14: already 1 Mar)
# Usage: tests/timetravel.sh [pytest args...]; needs tests/setup.sh (bindings built, faketime).
set -euo pipefail
cd "$(dirname "$0")/.."
lib=
for f in /usr/lib/*/faketime/libfaketime.so.1 /usr/lib/faketime/libfaketime.so.1; do [ -f "$f" ] && { lib=$f; break; }; done
[ -n "$lib" ] || { echo "tests/timetravel.sh: libfaketime is missing (tests/setup.sh installs it)" >&2; exit 1; }

instants=(
  "1798761600 America/Los_Angeles 2027-01-01T00:00:00Z"
  "1806197400 Europe/Berlin 2027-03-28T01:30:00Z"
  "1835438400 Pacific/Kiritimati 2028-02-29T12:00:00Z"
)
# The CLI's integration tests start the fleetops binary, the one place with a default "now".
cli_test=$(cargo test -p fleetops --features cli --test cli --no-run --message-format=json 2>/dev/null \
  | .venv/bin/python -c 'import json,sys; print(next(m["executable"] for l in sys.stdin if (m:=json.loads(l)).get("executable") and m["target"]["kind"] == ["test"] and m["target"]["name"] == "cli"))')

for entry in "${instants[@]}"; do
  read -r epoch zone label <<<"$entry"
  echo "== time travel: $label ($zone)"
  # The clock starts at the instant and runs. Monotonic clocks move with it: leaving them real
  # (FAKETIME_DONT_FAKE_MONOTONIC) makes libfaketime shift Python's absolute sleep deadlines by
  # the offset, and time.sleep fails with EINVAL.
  # An offset from the real clock, not an absolute date: libfaketime would read a date in the
  # process's local zone, which is the point of changing it. Preloaded directly (no wrapper), so
  # the frozen-clock tests inside can set their own.
  run() { LD_PRELOAD="$lib" FAKETIME="$(printf %+d $((epoch - $(date +%s))))" TZ="$zone" "$@"; }
  run date -u +"   the clock reads %Y-%m-%dT%H:%M:%SZ"
  # The boundary properties do not depend on the date: a few examples each here.
  FLEETOPS_PROPERTY_EXAMPLES=20 run .venv/bin/python -m pytest tests/python -q -p no:cacheprovider "$@"
  (cd bindings-node && run node --test --test-reporter=dot ../tests/node/*.test.mjs)
  run "$cli_test" -q
done
