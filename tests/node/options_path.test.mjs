// One options path: every options argument is read by the core's serde form from
// plain data, so a NaN reaches the spec's own check with its code, a whole float is a count,
// and every option index.d.ts declares is one the core reads. The Python twin is
// tests/python/test_options_path.py, same cases and same expected codes.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'

import { fleetops } from './helpers.mjs'

const code = (f) => {
  try {
    f()
  } catch (e) {
    return e.code
  }
  return 'ok'
}

test('a NaN option reaches the core check of its spec, with that check code', () => {
  assert.equal(code(() => fleetops.errorBudget(0.99, { good: 1, total: NaN })), 'INVALID_COUNT')
  assert.equal(code(() => new fleetops.FreshnessPolicy({ warnAfter: NaN })), 'INVALID_DURATION')
  assert.equal(code(() => new fleetops.StormDetector({ window: Infinity })), 'INVALID_DURATION')
  assert.equal(code(() => fleetops.flapSeries([true], { high: NaN })), 'INVALID_THRESHOLD')
  assert.equal(code(() => new fleetops.BurnPolicy({ tiers: [{ name: 'p', long: '1h', short: '5m', factor: NaN }] })), 'INVALID_THRESHOLD')
  assert.equal(code(() => fleetops.forecastBudget(50, 1, { period: NaN, timeLeft: '1d' })), 'INVALID_DURATION')
})

test('counts are whole numbers: 5.0 is 5, 2.5 and -1 are refused naming the option', () => {
  const capped = new fleetops.Deduper({ horizon: '1h', maxKeys: 2.0 })
  for (const k of ['a', 'b', 'c']) capped.observe(k, '2026-11-22T08:00:00Z')
  assert.equal(capped.stats().counts.evicted, 1)
  for (const bad of [2.5, -1, true, '5']) {
    assert.throws(() => new fleetops.Deduper({ horizon: '1h', maxKeys: bad }), (e) => e.code === 'INVALID_ARGUMENT' && e.message.includes('maxKeys'))
  }
})

test('a duration takes every form in every option, nested ones included', () => {
  const policy = new fleetops.BurnPolicy({ tiers: [{ name: 'p', long: { count: 1, period: 'hour' }, short: 300, factor: 14.4 }] })
  assert.deepEqual(
    policy.tiers.map((t) => [t.long, t.short]),
    [[3600, 300]],
  )
  assert.equal(code(() => new fleetops.FreshnessPolicy({ warnAfter: { count: 6, period: 'hour', unit: 1 } })), 'INVALID_ARGUMENT')
  assert.equal(code(() => new fleetops.FreshnessPolicy({ warnAfter: [] })), 'INVALID_ARGUMENT')
})

test('every option index.d.ts declares is one the core reads', () => {
  // Each options object of option-keys.json with all its fields set to null ("not given"):
  // the core refuses a name it does not know, so none may come back as an unknown option.
  const keys = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'bindings-node', 'option-keys.json'), 'utf8'))
  const calls = {
    Deduper: (o) => new fleetops.Deduper({ ...o, horizon: '1h' }),
    FreshnessPolicy: (o) => new fleetops.FreshnessPolicy(o),
    BurnPolicy: (o) => new fleetops.BurnPolicy(o),
    LatencyHistogram: (o) => new fleetops.LatencyHistogram(o),
    SloTracker: (o) => new fleetops.SloTracker(o),
    StormDetector: (o) => new fleetops.StormDetector(o),
    LoadSchedule: (o) => new fleetops.LoadSchedule('0 2 * * *', o),
    checkCadence: (o) => fleetops.checkCadence(['2026-11-22T08:00:00Z'], o),
    classifyTables: (o) => fleetops.classifyTables({ t: null }, null, o),
    dbtSources: (o) => fleetops.dbtSources({ t: null }, null, o),
    flapSeries: (o) => fleetops.flapSeries([true], o),
    periodWindow: (o) => fleetops.periodWindow('30d', o),
    errorBudget: (o) => fleetops.errorBudget(0.99, { ...o, good: 1, total: 2 }),
    errorBudgetGate: (o) => fleetops.errorBudgetGate(0.99, { ...o, good: 1, total: 2 }),
    timesliceBudget: (o) => fleetops.timesliceBudget(0.99, [], { ...o, sliceTarget: 0.9, slice: '5m', period: '1d' }),
    forecastBudget: (o) => fleetops.forecastBudget(50, 1, { ...o, period: '30d', timeLeft: '1d' }),
  }
  for (const [name, call] of Object.entries(calls)) {
    const shape = (keys[name] ?? []).find((s) => s && s.fields)
    assert.ok(shape, `${name} declares its options`)
    const nulls = Object.fromEntries(Object.keys(shape.fields).map((k) => [k, null]))
    // `now` rides in some options objects: pinned, never the wall clock.
    if ('now' in nulls) nulls.now = '2026-11-22T08:00:00Z'
    try {
      call(nulls)
    } catch (e) {
      assert.ok(!/unknown option/.test(e.message), `${name}: ${e.message}`)
    }
  }
})

test('utcIso is the core reading an instant', () => {
  assert.equal(fleetops.utcIso(new Date('2026-11-22T09:00:00+01:00')), '2026-11-22T08:00:00Z')
  assert.equal(fleetops.utcIso(1_795_334_400_000), '2026-11-22T08:00:00Z')
  assert.equal(fleetops.utcIso('2026-11-22T08:00:00.5+00:00'), '2026-11-22T08:00:00.500Z')
  assert.equal(code(() => fleetops.utcIso('2026-11-22T08:00:00')), 'NAIVE_TIMESTAMP')
  assert.equal(code(() => fleetops.utcIso(NaN)), 'INVALID_TIMESTAMP')
})
