// Defaults, rules and messages come from the core, once: the Node twin of
// tests/python/test_core_defaults.py, same cases and same expected values.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { fleetops } from './helpers.mjs'

const { SloTracker, dedupMask, dbtSources, errorBudgetGate, flapSeries, DEFAULT_CHECK_TIMEOUT_MS } = fleetops
const NOW = '2026-11-22T08:00:00Z'

test('the budget gate on counts is the core rule', () => {
  assert.deepEqual(errorBudgetGate(0.999, { bad: 6000, total: 5_000_000 }), ['budget overspent (120.0 % used)'])
  assert.deepEqual(errorBudgetGate(0.999, { bad: 6000, total: 5_000_000 }, ['page']), [])
  assert.deepEqual(errorBudgetGate(0.999, { bad: 4000, total: 5_000_000 }), [])
  assert.deepEqual(errorBudgetGate(0.999, { good: 0, total: 0 }), [])
})

test('a tracker gate names the objective of the same message', () => {
  const t = new SloTracker()
  const t0 = Date.parse(NOW)
  for (let s = 0; s < 100; s++) t.record(t0 + s * 1000, false, 10, NOW)
  const later = '2026-11-22T08:05:00Z'
  assert.ok(t.gateProblems(later).includes('availability: budget overspent (100000.0 % used)'))
  assert.deepEqual(t.gateProblems(later, []), [])
})

test('left-out options are the core defaults', () => {
  assert.ok(new SloTracker().prometheus(NOW).startsWith('# HELP fleetops_'))
  assert.ok(dbtSources({ orders: NOW }, null, { now: NOW }).results[0].unique_id.startsWith('source.fleetops.'))
  const keys = new BigUint64Array([1n, 1n, 2n])
  assert.deepEqual([...dedupMask(keys)], [1, 0, 1])
  assert.deepEqual([...dedupMask(keys, { keep: 'first' })], [1, 0, 1])
  const states = Array.from({ length: 20 }, (_, i) => i % 2 === 0)
  assert.deepEqual(flapSeries(states), flapSeries(states, { high: 20, low: 5 }))
  assert.equal(DEFAULT_CHECK_TIMEOUT_MS, 5000)
})

test('flap thresholds are checked', () => {
  for (const [high, low] of [[NaN, 5], [20, NaN], [5, 20], [101, 5], [20, -1]]) {
    assert.throws(() => flapSeries([true, false], { high, low }), { code: 'INVALID_THRESHOLD' })
  }
})

test('counts are never wrapped or truncated', () => {
  const { BurnPolicy, Deduper, LatencyHistogram, checkCadence } = fleetops
  assert.equal(new BurnPolicy({ minEvents: 5_000_000_000 }).minEvents, 5_000_000_000)
  for (const value of [-1, 2.5, NaN, 2 ** 64]) {
    assert.throws(() => new BurnPolicy({ minEvents: value }), { code: 'INVALID_ARGUMENT' })
    assert.throws(() => new Deduper({ horizon: '1h', maxKeys: value }), { code: 'INVALID_ARGUMENT' })
    assert.throws(() => checkCadence([NOW], { now: NOW, minIntervals: value }), { code: 'INVALID_ARGUMENT' })
  }
  assert.throws(() => new LatencyHistogram({ significantFigures: 300 }), { code: 'INVALID_ARGUMENT' })
  assert.equal(new Deduper({ horizon: '1h', maxKeys: 1000 }).observe(1, Date.parse(NOW)), 'first')
})

test("arguments napi cannot convert are INVALID_ARGUMENT, never napi's own codes", () => {
  const { Deduper, fingerprint } = fleetops
  // NumberExpected, BooleanExpected and a code-less TypeError before fleetops.js.
  assert.throws(() => new Deduper({ horizon: '1h', maxKeys: 'x' }), { code: 'INVALID_ARGUMENT', message: /^invalid argument: / })
  assert.throws(() => new SloTracker().record(NOW, 'yes'), { code: 'INVALID_ARGUMENT' })
  assert.throws(() => fingerprint(null), { code: 'INVALID_ARGUMENT' })
  assert.throws(() => Deduper.fromBytes('x'), { code: 'INVALID_ARGUMENT' })
  // Errors the core raised keep their code; instances and factories still agree.
  assert.throws(() => Deduper.fromBytes(Buffer.from('x')), { code: 'INVALID_STATE' })
  const d = new Deduper({ horizon: '1h' })
  assert.ok(d instanceof Deduper && Deduper.fromBytes(d.toBytes()) instanceof Deduper)
})

test('dbtSources reads cadence options as Python does', () => {
  assert.throws(() => dbtSources({ orders: NOW }, null, { now: NOW, cadence: { minIntervals: -1 } }), { code: 'INVALID_ARGUMENT' })
  assert.ok(dbtSources({ orders: NOW }, null, { now: NOW, cadence: { minIntervals: 3 } }).results.length)
})

test("table records name their table as in Python", () => {
  const { classifyTables } = fleetops
  assert.equal(classifyTables([{ table: 'orders', lastLoadedAt: NOW }], null, { now: NOW }).results[0].table, 'orders')
  assert.throws(() => classifyTables([{ name: 'orders', lastLoadedAt: NOW }], null, { now: NOW }), { code: 'INVALID_ARGUMENT' })
})

test('tiers take the pair form Python uses too', () => {
  const named = new fleetops.FreshnessPolicy({ tiers: [{ name: 'FRESH', maxAge: '15m' }, { name: 'OK' }] })
  const pairs = new fleetops.FreshnessPolicy({ tiers: [['FRESH', '15m'], ['OK', null]] })
  assert.deepEqual(pairs.classNames, named.classNames)
  assert.deepEqual(pairs.classNames, ['FRESH', 'OK', 'MISSING', 'FUTURE'])
  assert.throws(() => new fleetops.FreshnessPolicy({ tiers: [['FRESH']] }), (e) => e.code === 'INVALID_ARGUMENT')
  assert.throws(() => new fleetops.FreshnessPolicy({ tiers: [[7, null]] }), (e) => e.code === 'INVALID_ARGUMENT')
})
