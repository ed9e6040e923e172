// SloTracker from Node: typed-array batches, status, late and dropped events, merge, save/restore.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'

import { checked, fleetops } from './helpers.mjs'

const { SloTracker } = fleetops
const NOW = new Date('2026-11-22T08:00:00Z')

function stream(start, n, badEvery, ms) {
  const t0 = Date.parse(start)
  const at = new Float64Array(n).map((_, i) => t0 + i * 1000)
  const ok = new Uint8Array(n).map((_, i) => (badEvery === 0 || (i + 1) % badEvery !== 0 ? 1 : 0))
  return [at, ok, new Float64Array(n).fill(ms)]
}

const objective = (status, name) => status.objectives.find((o) => o.name === name)
const near = (a, b, rel) => assert.ok(Math.abs(a - b) <= rel * Math.abs(b), `${a} vs ${b}`)

test('runbook month budgets', () => {
  const t = new SloTracker()
  assert.equal(t.recordBatch(...stream('2026-11-10T00:00:00Z', 10_000, 100, 120), NOW), 0)
  const s = checked('SloTracker.status', t.status(NOW))
  assert.equal(s.period.start, '2026-11-01T00:00:00Z')
  const avail = objective(s, 'availability').budget
  assert.deepEqual([avail.good, avail.total], [9_900, 10_000])
  near(avail.usedPercent, 1000, 1e-9)
  near(avail.budgetMinutes, 43.2, 1e-9)
  near(objective(s, 'error_rate').budget.usedPercent, 100, 1e-9)
  near(s.latency.p95Ms, 120, 0.01)
})

test('a bad hour pages', () => {
  const t = new SloTracker()
  t.recordBatch(...stream('2026-11-21T07:00:00Z', 86_400, 0, 50), NOW)
  t.recordBatch(...stream('2026-11-22T07:00:00Z', 3_600, 10, 50), NOW)
  const s = checked('SloTracker.status', t.status('2026-11-22T07:59:59Z'))
  const fast = objective(s, 'availability').burn.find((a) => a.tier === 'page_fast')
  assert.equal(fast.firing, true)
  near(fast.longBurnRate, 100, 1e-9)
  assert.deepEqual(checked('SloTracker.window_counts', t.windowCounts('availability', '1h', '2026-11-22T07:59:59Z')), { good: 3_240, total: 3_600 })
  const latency = checked('SloTracker.latency', t.latency('1h', '2026-11-22T07:59:59Z'))
  assert.equal(latency.count, 3_600)
})

test('BigInt64Array timestamps agree with Float64Array ones', () => {
  const [at, ok, lat] = stream('2026-11-21T00:00:00Z', 1_000, 4, 90)
  const a = new SloTracker()
  const b = new SloTracker()
  a.recordBatch(at, ok, lat, NOW)
  b.recordBatch(BigInt64Array.from(at, (v) => BigInt(v)), ok, lat, NOW)
  assert.deepEqual(a.status(NOW), b.status(NOW))
  assert.equal(objective(a.status(NOW), 'availability').budget.bad, 250)
})

test('late and dropped events are counted', () => {
  const t = new SloTracker({ period: '30d' })
  t.record(NOW, true, null, NOW)
  t.record('2026-11-20T08:00:00Z', false, null, NOW)
  t.record('2026-09-01T00:00:00Z', false, null, NOW)
  t.record('2026-11-22T09:00:00Z', true, null, NOW)
  const s = t.status(NOW)
  assert.equal(s.recorded, 2)
  assert.deepEqual(s.dropped, { tooOld: 1, future: 1 })
  assert.equal(t.watermark, '2026-11-22T08:00:00Z')
})

test('bad batches change nothing', () => {
  const t = new SloTracker()
  const before = JSON.stringify(t.status(NOW))
  const code = (c) => (e) => e.code === c
  assert.throws(() => t.recordBatch(new Float64Array([+NOW, +NOW]), new Uint8Array([1, 1]), new Float64Array([1, -1]), NOW), code('INVALID_DURATION'))
  assert.throws(() => t.recordBatch(new Float64Array([+NOW, +NOW]), new Uint8Array([1]), null, NOW), code('INVALID_ARGUMENT'))
  assert.throws(() => t.recordBatch(new Float64Array([NaN]), new Uint8Array([1]), null, NOW), code('INVALID_TIMESTAMP'))
  assert.throws(() => t.record('2026-11-22T07:00:00', true, null, NOW), code('NAIVE_TIMESTAMP'))
  assert.equal(JSON.stringify(t.status(NOW)), before)
})

test('merge and save/restore answer like one tracker', () => {
  const a1 = stream('2026-11-21T00:00:00Z', 5_000, 7, 80)
  const b1 = stream('2026-11-21T00:30:00Z', 5_000, 13, 700)
  const one = new SloTracker()
  const a = new SloTracker()
  const b = new SloTracker()
  one.recordBatch(...a1, NOW)
  one.recordBatch(...b1, NOW)
  a.recordBatch(...a1, NOW)
  b.recordBatch(...b1, NOW)
  a.merge(b)
  assert.deepEqual(a.status(NOW), one.status(NOW))
  assert.deepEqual(SloTracker.fromBytes(a.toBytes()).status(NOW), one.status(NOW))
  assert.throws(() => SloTracker.fromBytes(Buffer.from('{}')), (e) => e.code === 'INVALID_STATE')
  assert.throws(() => a.merge(new SloTracker({ resolution: '5m' })), (e) => e.code === 'INVALID_ARGUMENT')
})

test('custom objectives in camelCase', () => {
  const t = new SloTracker({
    period: '7d',
    objectives: [{ name: 'db_p95', kind: 'latency_under', thresholdMs: 100, target: 0.95 }],
    burn: { preset: 'sloth', period: '7d', minEvents: 10 },
  })
  t.record(NOW, true, 40, NOW)
  assert.equal(objective(t.status(NOW), 'db_p95').budget.sli, 1)
  assert.throws(() => new SloTracker({ objectives: [{ name: 'x', kind: 'success', target: 1 }] }), (e) => e.code === 'INVALID_TARGET')
})

test('gateProblems names spent budgets and paging tiers; httpOutcomes refuses non-statuses', () => {
  const t = new fleetops.SloTracker()
  const start = Date.parse('2026-11-22T06:00:00Z')
  for (let s = 0; s < 3600; s += 2) t.record(start + s * 1000, s < 3000, null, start + 3600 * 1000)
  const now = start + 3600 * 1000
  const problems = t.gateProblems(now)
  // 300 bad of 1,800 against 0.1 %: 16,666.7 % of the budget; the last 10 min page.
  assert.ok(problems.includes('availability: budget overspent (16666.7 % used)'), problems.join('\n'))
  assert.ok(problems.some((p) => p.startsWith('availability: page_fast (page) firing')))
  assert.deepEqual(t.gateProblems(now, []), [])
  assert.deepEqual([...fleetops.httpOutcomes(new Uint16Array([200, 404, 429, 503]), [429])], [1, 1, 0, 0])
  assert.throws(() => fleetops.httpOutcomes(new Uint16Array([200]), [70000]), { code: 'INVALID_ARGUMENT' })
})

test('a quiet gap longer than maxFuture does not stop recording', () => {
  // "Future" is judged against the caller's clock, never against the newest event: after a gap
  // longer than maxFuture (5 min) the tracker used to drop every later event.
  const t = new SloTracker()
  for (const [at, ok] of [['2026-11-22T08:00:00Z', true], ['2026-11-22T08:06:00Z', false], ['2026-11-22T09:00:00Z', false]]) {
    t.record(at, ok, 10, at) // a live recorder: its clock reads the event's time
  }
  let s = t.status('2026-11-22T09:00:00Z')
  assert.deepEqual([s.recorded, s.dropped.future, s.dropped.tooOld], [3, 0, 0])
  assert.equal(s.objectives[0].budget.bad, 2)
  // Ahead of the caller's clock by more than maxFuture: future, in both calls.
  t.record('2026-11-22T09:05:01Z', false, null, '2026-11-22T09:00:00Z')
  const at = new Float64Array([Date.parse('2026-11-22T09:05:01Z'), Date.parse('2026-11-22T09:05:00Z')])
  assert.equal(t.recordBatch(at, new Uint8Array([0, 0]), null, '2026-11-22T09:00:00Z'), 1)
  s = t.status('2026-11-22T09:06:00Z')
  assert.deepEqual([s.recorded, s.dropped.future], [4, 2])
})

test('600 trackers made and dropped in a loop stay small (they reached 1 GB)', async () => {
  // A fresh process, so the heap is this loop's alone. Trackers allocate buckets as they are
  // written and report what they hold to V8, which frees them when the loop turns.
  const { spawnSync } = await import('node:child_process')
  const index = new URL('../../bindings-node/fleetops.js', import.meta.url).pathname
  const code = `const { SloTracker } = require(${JSON.stringify(index)})
    const before = process.memoryUsage().rss
    for (let i = 0; i < 600; i++) new SloTracker().record('2026-11-22T08:00:00Z', true, 10, '2026-11-22T08:00:00Z')
    console.log(Math.round((process.memoryUsage().rss - before) / 1e6))`
  const r = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8' })
  assert.equal(r.status, 0, r.stderr)
  assert.ok(Number(r.stdout) < 250, `${r.stdout.trim()} MB for 600 dropped trackers`)
})

const examples = new URL('../../examples/prometheus/', import.meta.url)

test('prometheusRules gives the committed example rules', () => {
  const tracker = SloTracker.fromOpenslo(readFileSync(new URL('fleet-api.openslo.yaml', examples), 'utf8'))
  const rules = checked('SloTracker.prometheus_rules', tracker.prometheusRules())
  assert.equal(rules.rules, readFileSync(new URL('fleet-api-rules.yml', examples), 'utf8'))
  assert.equal(rules.inhibitRules, readFileSync(new URL('fleet-api-inhibit.yml', examples), 'utf8'))
  assert.throws(() => new SloTracker().prometheusRules('9lives'), (e) => e.code === 'INVALID_ARGUMENT')
})

test('the counters leave maintenance out', () => {
  const t = new SloTracker({ maintenance: [{ start: '2026-11-22T02:00:00Z', end: '2026-11-22T03:00:00Z' }] })
  const now = '2026-11-22T02:31:00Z'
  t.record('2026-11-22T01:59:00Z', true, null, now)
  t.record('2026-11-22T02:30:00Z', false, null, now)
  const text = t.prometheus(now)
  assert.ok(text.includes('fleetops_slo_events_total{objective="availability"} 1\n'), text)
  assert.ok(text.includes('fleetops_slo_good_events_total{objective="availability"} 1\n'))
  assert.ok(text.includes('fleetops_slo_maintenance 1\n'))
  assert.deepEqual(t.status(now).objectives[0].counted, { good: 1, total: 1 })
})
