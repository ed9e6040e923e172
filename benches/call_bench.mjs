// One call from Node: what a single fleetops call costs, beside napi-rs's own floor built from
// the same napi-rs (benches/napi-probe: a function and a class that do nothing) in the same
// run. 200k calls a row, round-robin, median of 5 with min-max, in ns per call. Rows name the
// floor they are held against: a getter against the probe's getter, a method against its method.
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const native = require('../bindings-node/index.js') // the binding as napi-rs generated it
const fleetops = require('../bindings-node/fleetops.js') // the package entry: every export guarded
const probe = require('./napi-probe/probe.node')

const N = 200_000
const RUNS = 5
const NOW = Date.parse('2026-11-22T08:00:00Z')
const LAST = Date.parse('2026-11-22T07:42:00Z')

function loop(call) {
  for (let i = 0; i < N; i++) call(i)
}

const p = new probe.Probe()
const h = new native.LatencyHistogram()
const guarded = new fleetops.LatencyHistogram()
const d = new native.Deduper({ horizon: '1h' })
const storms = new native.StormDetector()
const policy = native.FreshnessPolicy.runbook()
let sink = 0

const rows = [
  ['napi-rs function (floor)', null, () => loop((i) => (sink += probe.noop(i)))],
  ['napi-rs class getter (floor)', null, () => loop(() => (sink += p.count))],
  ['napi-rs class method (floor)', null, () => loop((i) => p.record(i))],
  ['LatencyHistogram.count', 'napi-rs class getter (floor)', () => loop(() => (sink += h.count))],
  ['LatencyHistogram.record', 'napi-rs class method (floor)', () => loop(() => h.record(120))],
  ['LatencyHistogram.record, guarded entry', 'napi-rs class method (floor)', () => loop(() => guarded.record(120))],
  ['Deduper.observe', 'napi-rs class method (floor)', () => loop((i) => d.observe(i & 1023, NOW + i, NOW + i))],
  ['StormDetector.observe', 'napi-rs class method (floor)', () => loop((i) => storms.observe('truck-7', NOW + i, { now: NOW + i }))],
  ['FreshnessPolicy.classify', 'napi-rs class method (floor)', () => loop(() => policy.classify(LAST, { now: NOW }))],
]

const ns = Object.fromEntries(rows.map(([name]) => [name, []]))
for (let r = 0; r < RUNS; r++) {
  for (const [name, , run] of rows) {
    const start = process.hrtime.bigint()
    run()
    ns[name].push(Number(process.hrtime.bigint() - start) / N)
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1]
for (const [name, floor] of rows) {
  const m = median(ns[name])
  const against = floor ? `${(m / median(ns[floor])).toFixed(1).padStart(6)}x its floor` : ''
  console.log(`node    ${name.padEnd(40)} ${m.toFixed(0).padStart(6)} ns/call (min ${Math.min(...ns[name]).toFixed(0)}, max ${Math.max(...ns[name]).toFixed(0)})  ${against}`)
}
if (Number.isNaN(sink)) console.log('') // keeps the reads alive
