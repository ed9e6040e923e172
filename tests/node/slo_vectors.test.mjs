// Every case of tests/vectors/slo.json through the Node API.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { camelKeys, checked, fleetops, loadCases, testCases } from './helpers.mjs'

const { BurnPolicy, errorBudget, forecastBudget, periodWindow, timesliceBudget } = fleetops
const cases = loadCases('slo.json')
const num = (v) => (v === 'NaN' ? NaN : v)

function policyOf(spec) {
  return new BurnPolicy(camelKeys(spec))
}

function run(c) {
  switch (c.op) {
    case 'budget': {
      const counts = Object.fromEntries(Object.entries(c.counts).map(([k, v]) => [k, num(v)]))
      return checked('error_budget', errorBudget(num(c.objective), { ...counts, periodMinutes: num(c.period_minutes) }))
    }
    case 'period':
      return checked('period_window', periodWindow(c.period.period, { timezone: c.period.timezone, now: c.now, objective: c.objective }))
    case 'timeslice':
      return checked('timeslice_budget', timesliceBudget(c.objective, c.slices, { sliceTarget: c.slice_target, slice: c.slice, period: c.period, empty: c.empty }))
    case 'burn_tiers': {
      const policy = policyOf(c.policy)
      const windows = Object.fromEntries(checked('BurnPolicy.tiers', policy.tiers).flatMap((t) => [[t.long, [0, 0]], [t.short, [0, 0]]]))
      return { tiers: checked('BurnPolicy.evaluate', policy.evaluate(0.999, windows)) }
    }
    case 'burn': {
      const alerts = checked('BurnPolicy.evaluate', policyOf(c.policy).evaluate(c.objective, c.windows))
      return { alerts, alertsByTier: Object.fromEntries(alerts.map((a) => [a.tier, a])) }
    }
    case 'forecast':
      return checked('forecast_budget', forecastBudget(c.remaining_percent, c.burn_rate, { period: c.period, timeLeft: c.time_left }))
    default:
      throw new Error(`unknown op ${c.op}`)
  }
}

testCases(cases, run, (c) => camelKeys(c.expect))

test('there are at least 60 SLO vectors', () => {
  assert.ok(cases.length >= 60)
})
