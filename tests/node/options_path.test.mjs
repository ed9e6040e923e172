// One options path: every options argument is read by the core's serde form from
// plain data, so a NaN reaches the spec's own check with its code, a whole float is a count,
// and every option options.d.ts declares is one the core reads. The Python twin is
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

test('every option options.d.ts declares is one the core reads', () => {
  // Each options object of the options schema (from which options.d.ts is generated) with all
  // its fields set to null ("not given"): the core refuses a name it does not know, so none may
  // come back as an unknown option, and every declared options object has a call below.
  const schema = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'types', 'options.schema.json'), 'utf8'))
  const fieldsOf = (name) => {
    let s = schema.options[name]
    if (s.$ref) s = schema.$defs[s.$ref.replace('#/$defs/', '')]
    return Object.keys(s.properties ?? {}).map((k) => k.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase()))
  }
  const T = '2026-11-22T08:00:00Z'
  const calls = {
    DeduperOptions: (o) => new fleetops.Deduper({ ...o, horizon: '1h' }),
    DedupOptions: (o) => fleetops.dedupMask([1, 2], o),
    PolicyOptions: (o) => new fleetops.FreshnessPolicy(o),
    ClassifyOptions: (o) => fleetops.FreshnessPolicy.runbook().classify(null, o),
    NowOptions: (o) => new fleetops.LoadSchedule('0 2 * * *').check(null, o),
    BurnPolicyOptions: (o) => new fleetops.BurnPolicy(o),
    LatencyHistogramOptions: (o) => new fleetops.LatencyHistogram(o),
    SloTrackerOptions: (o) => new fleetops.SloTracker(o),
    AnnounceOptions: (o) => new fleetops.SloTracker().announceMaintenance('2026-11-23T08:00:00Z', '2026-11-23T09:00:00Z', o, T),
    JudgeOptions: (o) => fleetops.judgeRule('error_rate_page', [], o),
    StormOptions: (o) => new fleetops.StormDetector(o),
    ObserveOptions: (o) => new fleetops.StormDetector().observe('k', T, o),
    RateLimiterOptions: (o) => new fleetops.RateLimiter(o),
    GrouperOptions: (o) => new fleetops.Grouper(o),
    EscalationPolicyOptions: (o) => fleetops.escalationsDue([], T, o),
    ScheduleOptions: (o) => new fleetops.LoadSchedule('0 2 * * *', o),
    CheckCadenceOptions: (o) => fleetops.checkCadence([T], o),
    BatchOptions: (o) => fleetops.classifyTables({ t: null }, null, o),
    FlapOptions: (o) => fleetops.flapSeries([true], o),
    PeriodOptions: (o) => fleetops.periodWindow('30d', o),
    BudgetCountsOption: (o) => fleetops.errorBudget(0.99, { ...o, good: 1, total: 2 }),
    CountsOption: (o) => fleetops.errorBudgetGate(0.99, { ...o, good: 1, total: 2 }),
    TimesliceOptions: (o) => fleetops.timesliceBudget(0.99, [], { ...o, sliceTarget: 0.9, slice: '5m', period: '1d' }),
    ForecastOptions: (o) => fleetops.forecastBudget(50, 1, { ...o, period: '30d', timeLeft: '1d' }),
    MaintenanceWindowOptions: (o) => fleetops.maintenanceWindows([{ ...o, cron: '0 2 * * *', duration: '1h' }], T, T),
    TableOption: (o) => fleetops.classifyTables([{ ...o, table: 't' }], null, { now: T }),
    ScheduleSpecOption: (o) => fleetops.classifyTables([{ table: 't', schedule: { ...o, cron: '0 2 * * *' } }], null, { now: T }),
    MatcherOption: (o) => fleetops.labelMatches({ ...o, name: 'a', value: 'b' }, {}),
    MuteOption: (o) => new fleetops.StormDetector().setMutes([{ ...o, id: 'm', key: 'k', startsAt: T, endsAt: T }]),
    AlertRecordOption: (o) => fleetops.escalationsDue([{ ...o, id: 'a', raisedAt: T }], T),
    HealthCheckOption: (o) => fleetops.assessHealth([{ ...o, name: 'db', ok: true }]),
    WindowStatsOption: (o) => fleetops.judgeRule('error_rate_page', [{ ...o, requests: 1, failures: 0 }]),
    RuleOption: (o) => fleetops.judgeRule({ ...o, name: 'r', metric: 'requests', op: '>', threshold: 1, window: '5m', severity: 'page' }, []),
  }
  const objects = Object.keys(schema.options).filter((n) => fieldsOf(n).length > 0)
  assert.deepEqual(objects.filter((n) => !(n in calls)), [], 'every declared options object has a call here')
  for (const [name, call] of Object.entries(calls)) {
    const fields = fieldsOf(name)
    assert.ok(fields.length > 0, `${name} declares its options`)
    const nulls = Object.fromEntries(fields.map((k) => [k, null]))
    // `now` rides in some options objects: pinned, never the wall clock.
    if ('now' in nulls) nulls.now = T
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
