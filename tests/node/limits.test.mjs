// Ordinary configuration values never abort, overflow or allocate without limit: each size and
// duration has a documented maximum (docs/guarantees.md) and is refused past it with a fleetops
// code. Each case here once aborted the process (SIGABRT), hung or tried to allocate gigabytes.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { fleetops } from './helpers.mjs'

const { LoadSchedule, SloTracker, BurnPolicy, RateLimiter, Deduper, Grouper, checkCadence, escalationsDue, periodWindow, runbookRules } = fleetops
const NOW = '2026-11-22T08:00:00Z'
const throwsCode = (fn, code) => assert.throws(fn, (e) => e instanceof Error && e.code === code, `expected ${code}`)

test('durations past the maximum (100 years) are refused', () => {
  const rule = runbookRules()[0]
  const cases = [
    () => new LoadSchedule('0 2 * * *', { allowedDelay: 1e15 }),
    () => checkCadence(['2026-11-21T10:00:00Z', '2026-11-21T11:00:00Z'], { now: NOW, clockSkewTolerance: 1e15 }),
    () => escalationsDue([{ id: 'w1', raisedAt: NOW, severity: 'warning' }], NOW, { warningToCritical: 1e15 }),
    () => periodWindow('1000000000d', { now: NOW }),
    () => new SloTracker({ period: '200000000d' }),
    () => new SloTracker({ period: '100000d' }),
    () => new BurnPolicy({ tiers: [{ name: 't', severity: 'page', long: '3000000d', short: '1h', factor: 1 }] }),
    () => new SloTracker().evaluateRules([{ ...rule, sustained: 1e15 }], NOW),
    () => new SloTracker().evaluateRules([{ ...rule, sustained: 2 ** 32 }], NOW),
  ]
  cases.forEach((make) => throwsCode(make, 'INVALID_DURATION'))
})

test('a tracker longer than its bucket limit needs a coarser resolution', () => {
  throwsCode(() => new SloTracker({ period: '1500d' }), 'INVALID_DURATION')
  assert.ok(new SloTracker({ period: '1500d', resolution: '1h' }).memoryBytes < 2_000_000)
})

test('a rate limit finer than a microsecond is refused (it divided by zero and aborted)', () => {
  throwsCode(() => new RateLimiter({ limit: 1e7, period: '1s' }), 'INVALID_ARGUMENT')
  assert.equal(new RateLimiter({ limit: 1e6, period: '1s' }).check('a', NOW).allowed, true)
})

test('deduper sizes past the maximum are refused; a large cap costs nothing until used', () => {
  for (const maxKeys of [2 ** 30 + 1, 2 ** 32, 2 ** 62]) throwsCode(() => new Deduper({ horizon: '1h', maxKeys }), 'INVALID_ARGUMENT')
  for (const o of [{ expectedKeys: 1e12 }, { expectedKeys: 2 ** 30, fpr: 1e-9 }, { allowedLateness: '100h' }]) {
    throwsCode(() => new Deduper({ horizon: '1h', mode: 'bloom', ...o }), 'INVALID_ARGUMENT')
  }
  const d = new Deduper({ horizon: '1h', maxKeys: 2 ** 30 })
  assert.ok(d.memoryBytes < 1_000_000, `${d.memoryBytes} bytes`)
  for (let i = 0; i < 1000; i++) assert.equal(d.observe(i, 1_795_852_800_000 + i * 1000), 'first')
  assert.ok(d.memoryBytes < 1_000_000)
})

test('grouper due at the end of time returns at once, missed repeats collapsed into one', () => {
  const g = new Grouper()
  g.add({ alertname: 'HighTemp', vehicle_id: 'TRK-1' }, NOW)
  const sent = g.due('9999-12-31T23:59:59Z')
  assert.deepEqual(sent.map((n) => n.repeat), [false, true])
  assert.equal(sent[0].at, '2026-11-22T08:00:30Z')
  assert.deepEqual(g.due('9999-12-31T23:59:59Z'), [])
})

test('a crafted histogram state is refused before anything is allocated', () => {
  const saved = Buffer.from(new fleetops.LatencyHistogram().toBytes())
  saved.writeBigUInt64BE(2n ** 62n, 13 + 24) // highest trackable value
  throwsCode(() => fleetops.LatencyHistogram.fromBytes(saved), 'INVALID_STATE')
  throwsCode(() => new fleetops.LatencyHistogram({ maxMs: 1e12 }), 'INVALID_THRESHOLD')
})
