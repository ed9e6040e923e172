// Native JS inputs: Date, epoch ms, strings, typed arrays, and typed errors with codes.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { fleetops, runAtFrozenClock } from './helpers.mjs'

const { FreshnessPolicy, LoadSchedule, classifyTables, errorCodes } = fleetops
const NOW = new Date('2026-11-22T08:00:00Z')
const runbook = FreshnessPolicy.runbook()

const throwsCode = (fn, code) =>
  assert.throws(fn, (err) => {
    assert.ok(err instanceof Error)
    assert.equal(err.code, code, err.message)
    return true
  })

test('error codes are the core list', () => {
  assert.deepEqual(errorCodes(), [
    'INVALID_DURATION', 'INVALID_TIERS', 'INVALID_THRESHOLD', 'NAIVE_TIMESTAMP', 'INVALID_TIMESTAMP',
    'INVALID_TIME_ZONE', 'INVALID_SCHEDULE', 'EMPTY_HISTORY', 'INVALID_ARGUMENT', 'INVALID_STATE',
    'INVALID_TARGET', 'INVALID_COUNT', 'INVALID_SPEC', 'INTERNAL',
  ])
})

test('Date, epoch ms and ISO strings agree', () => {
  const inputs = [new Date('2026-11-22T01:00:00Z'), Date.parse('2026-11-22T01:00:00Z'), '2026-11-22T03:00:00+02:00']
  for (const input of inputs) assert.equal(runbook.classify(input, { now: NOW }).ageSeconds, 25200)
  assert.equal(runbook.classify(new Date('2026-11-22T06:59:59.999Z'), { now: NOW }).class, 'GOOD')
})

test('naive strings and wrong types are refused with codes', () => {
  throwsCode(() => runbook.classify('2026-11-22T01:00:00', { now: NOW }), 'NAIVE_TIMESTAMP')
  throwsCode(() => runbook.classify('2026-11-22T01:00:00Z', { now: '2026-11-22 08:00' }), 'NAIVE_TIMESTAMP')
  throwsCode(() => runbook.classify(new Date(NaN), { now: NOW }), 'INVALID_TIMESTAMP')
  throwsCode(() => runbook.classify(NaN, { now: NOW }), 'INVALID_TIMESTAMP')
  throwsCode(() => runbook.classify(-1, { now: NOW }), 'INVALID_TIMESTAMP')
  throwsCode(() => runbook.classify(true, { now: NOW }), 'INVALID_ARGUMENT')
  throwsCode(() => runbook.classify({}, { now: NOW }), 'INVALID_ARGUMENT')
})

test('durations in every form', () => {
  for (const form of [21600, '6h', '360m', { count: 6, period: 'hour' }]) {
    const policy = new FreshnessPolicy({ warnAfter: form })
    assert.equal(policy.classify('2026-11-22T01:59:59Z', { now: NOW }).level, 'warn')
    assert.equal(policy.classify('2026-11-22T02:00:00Z', { now: NOW }).level, 'pass')
  }
  for (const bad of [NaN, -1, 'soon', { count: 1, period: 'week' }, { count: 1.5, period: 'hour' }]) {
    throwsCode(() => new FreshnessPolicy({ staleAfter: bad }), 'INVALID_DURATION')
  }
})

test('classifyAges takes typed arrays and plain arrays', () => {
  const ages = [0, 3600, 3600.5, 43201, -301]
  const expected = ['EXCELLENT', 'EXCELLENT', 'GOOD', 'POOR', 'FUTURE']
  assert.deepEqual(runbook.classifyAges(new Float64Array(ages)), expected)
  assert.deepEqual(runbook.classifyAges(ages), expected)
  assert.deepEqual(runbook.classifyAges(new Float64Array(0)), [])
  throwsCode(() => runbook.classifyAges(new Float64Array([1, NaN])), 'INVALID_DURATION')
})

test('classifyAgeCodes index classNames', () => {
  const codes = runbook.classifyAgeCodes(new Float64Array([0, 3600.5, 43201, -301]))
  assert.ok(codes instanceof Uint8Array)
  assert.deepEqual(Array.from(codes, (c) => runbook.classNames[c]), ['EXCELLENT', 'GOOD', 'POOR', 'FUTURE'])
  throwsCode(() => runbook.classifyAgeCodes([Infinity]), 'INVALID_DURATION')
})

test('batch from a record keeps tier order and is JSON-ready', () => {
  const report = classifyTables({ packages: '2026-11-22T07:30:00Z', trip_events: null }, null, { now: NOW })
  assert.deepEqual(JSON.parse(JSON.stringify(report)), report)
  assert.deepEqual(report.results.map((r) => r.class), ['EXCELLENT', 'MISSING'])
  assert.deepEqual(Object.keys(report.summary.classes), ['EXCELLENT', 'GOOD', 'ACCEPTABLE', 'POOR', 'MISSING', 'FUTURE'])
})

test('schedules take time zones and refuse bad crons', () => {
  const nightly = new LoadSchedule('0 2 * * *', { timezone: 'Europe/Amsterdam', allowedDelay: '45m' })
  assert.equal(nightly.check('2026-11-21T01:20:00Z', { now: '2026-11-22T01:45:00Z' }).late, true)
  throwsCode(() => new LoadSchedule('every night'), 'INVALID_SCHEDULE')
  throwsCode(() => new LoadSchedule('0 2 * * *', { timezone: 'Mars/Olympus' }), 'INVALID_TIME_ZONE')
})

test('now defaults to the current time (read once, at the edge)', () => {
  // The clock is held at a pinned instant by libfaketime in a child process.
  const out = runAtFrozenClock('2027-01-01 00:00:00', `
    const r = fleetops.FreshnessPolicy.runbook().classify('2026-12-31T23:50:00Z')
    console.log(JSON.stringify([r.class, r.ageSeconds]))`)
  assert.deepEqual(JSON.parse(out), ['EXCELLENT', 600])
})
