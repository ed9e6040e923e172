#!/usr/bin/env bash
# The npm package as a user installs it: `npm pack` (with the linux-x64-gnu addon tests/setup.sh
# built), installed from the tarball into fresh projects outside the repository, one CommonJS and
# one ES module project. Each loads fleetops and fleetops/express the way its module system does,
# and `tsc` (module nodenext) checks a TypeScript file that uses the types.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

tarball=$(cd bindings-node && npm pack --silent --pack-destination "$work" | tail -1)
echo "packed $tarball ($(du -h "$work/$tarball" | cut -f1))"
tsc="$root/bindings-node/node_modules/typescript/bin/tsc"

project() { # name, package type
  local dir="$work/$1"
  mkdir -p "$dir"
  printf '{"name": "smoke-%s", "version": "1.0.0", "private": true, "type": "%s"}\n' "$1" "$2" >"$dir/package.json"
  printf '{"compilerOptions": {"strict": true, "noEmit": true, "module": "nodenext", "moduleResolution": "nodenext", "target": "es2022", "types": ["node"], "skipLibCheck": false}, "files": ["use.ts"]}\n' >"$dir/tsconfig.json"
  (cd "$dir" && npm install --no-audit --no-fund --loglevel=error "$work/$tarball" express@5 @types/express@5 @types/node@20 >/dev/null)
}

project cjs commonjs
cat >"$work/cjs/use.js" <<'JS'
const assert = require('node:assert/strict')
const fleetops = require('fleetops')
const { classifyTables } = require('fleetops')
const { sloMiddleware } = require('fleetops/express')
const report = classifyTables({ orders: '2026-11-22T07:00:00Z' }, null, { now: '2026-11-22T08:00:00Z' })
assert.equal(report.results[0].table, 'orders')
assert.equal(typeof fleetops.version(), 'string')
assert.equal(typeof sloMiddleware, 'function')
console.log('CommonJS: require fleetops, fleetops/express: ok')
JS
cat >"$work/cjs/use.ts" <<'TS'
import fleetops = require('fleetops')
import { classifyTables, type FreshnessReport } from 'fleetops'
import { sloMiddleware } from 'fleetops/express'
const report: FreshnessReport = classifyTables({ orders: '2026-11-22T07:00:00Z' }, null, { now: 0 })
const version: string = fleetops.version()
export const used = [report, version, sloMiddleware]
TS
(cd "$work/cjs" && node use.js && "$tsc" -p . && echo "CommonJS: tsc (nodenext): ok")

project esm module
cat >"$work/esm/use.mjs" <<'JS'
import assert from 'node:assert/strict'
import fleetops from 'fleetops'
import { classifyTables, Deduper } from 'fleetops'
import { sloMiddleware } from 'fleetops/express'
import express from 'fleetops/express'
const report = classifyTables({ orders: '2026-11-22T07:00:00Z' }, null, { now: '2026-11-22T08:00:00Z' })
assert.equal(report.results[0].table, 'orders')
assert.equal(new Deduper({ horizon: '1h' }).observe('a', 0), 'first')
assert.equal(fleetops.classifyTables, classifyTables)
assert.equal(express.sloMiddleware, sloMiddleware)
console.log('ES module: named and default imports of fleetops and fleetops/express: ok')
JS
cat >"$work/esm/use.ts" <<'TS'
import fleetops from 'fleetops'
import { classifyTables, Deduper, type DeduperOptions } from 'fleetops'
import { sloMiddleware } from 'fleetops/express'
const options: DeduperOptions = { horizon: '1h', maxKeys: 1000 }
const outcome: 'first' | 'duplicate' | 'late' | 'future' = new Deduper(options).observe('a', 0)
export const used = [classifyTables, fleetops.version(), outcome, sloMiddleware]
TS
(cd "$work/esm" && node use.mjs && "$tsc" -p . && echo "ES module: tsc (nodenext): ok")
