// One call from Node: what a single fleetops call costs, beside napi-rs's own floor built from
// the same napi-rs (benches/napi-probe: a function and a class that do nothing) in the same
// run. 200k calls a row, round-robin, median of 9 with min-max, in ns per call. Rows name the
// floor they are held against: a getter against the probe's getter, a method against its method
// (and `Deduper.observe` also against a probe method of its own call shape); the ratio is the
// median of each round's paired ratio.
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const native = require('../bindings-node/index.js') // the binding as napi-rs generated it
const fleetops = require('../bindings-node/fleetops.js') // the package entry: every export guarded
const probe = require('./napi-probe/probe.node')

const N = 200_000
const RUNS = 9
const NOW = Date.parse('2026-11-22T08:00:00Z')
const LAST = Date.parse('2026-11-22T07:42:00Z')

const p = new probe.Probe()
const h = new native.LatencyHistogram()
const guarded = new fleetops.LatencyHistogram()
const d = new native.Deduper({ horizon: '1h' })
const storms = new native.StormDetector()
const policy = native.FreshnessPolicy.runbook()
let sink = 0

// Each row is its own loop, so every call site sees one method, as a user's hot loop does (a
// shared loop calling a closure per row is megamorphic: V8 stops inlining and the ratios move
// by up to half).
const rows = [
  ['napi-rs function (floor)', null, () => { for (let i = 0; i < N; i++) sink += probe.noop(i) }],
  ['napi-rs class getter (floor)', null, () => { for (let i = 0; i < N; i++) sink += p.count }],
  ['napi-rs class method (floor)', null, () => { for (let i = 0; i < N; i++) p.record(i) }],
  ['napi-rs class method, 3 numbers in, a string out (floor)', null, () => { for (let i = 0; i < N; i++) sink += p.observe(i & 1023, NOW + i, NOW + i).length }],
  ['LatencyHistogram.count', 'napi-rs class getter (floor)', () => { for (let i = 0; i < N; i++) sink += h.count }],
  ['LatencyHistogram.record', 'napi-rs class method (floor)', () => { for (let i = 0; i < N; i++) h.record(120) }],
  ['LatencyHistogram.record, guarded entry', 'napi-rs class method (floor)', () => { for (let i = 0; i < N; i++) guarded.record(120) }],
  ['Deduper.observe', 'napi-rs class method (floor)', () => { for (let i = 0; i < N; i++) sink += d.observe(i & 1023, NOW + i, NOW + i).length }],
  ['Deduper.observe, against its call shape', 'napi-rs class method, 3 numbers in, a string out (floor)', () => { for (let i = 0; i < N; i++) sink += d.observe(i & 1023, NOW + i, NOW + i).length }],
  ['StormDetector.observe', 'napi-rs class method (floor)', () => { for (let i = 0; i < N; i++) storms.observe('truck-7', NOW + i, { now: NOW + i }) }],
  ['FreshnessPolicy.classify', 'napi-rs class method (floor)', () => { for (let i = 0; i < N; i++) policy.classify(LAST, { now: NOW }) }],
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
  // Each run's ratio to its floor in the same round, then the median of those: the machine's
  // drift between rounds cancels out.
  const ratios = floor ? ns[name].map((x, r) => x / ns[floor][r]) : []
  const against = floor
    ? `${median(ratios).toFixed(2).padStart(6)}x its floor (runs ${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)})`
    : ''
  console.log(`node    ${name.padEnd(58)} ${m.toFixed(0).padStart(6)} ns/call (min ${Math.min(...ns[name]).toFixed(0)}, max ${Math.max(...ns[name]).toFixed(0)})  ${against}`)
}
if (Number.isNaN(sink)) console.log('') // keeps the reads alive
