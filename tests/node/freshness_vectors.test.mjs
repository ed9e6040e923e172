// Every case of tests/vectors/freshness.json through the Node API.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { camel, camelKeys, checked, fleetops, loadCases, testCases } from './helpers.mjs'

const { FreshnessPolicy, LoadSchedule, checkCadence, classifyTables, dbtSources } = fleetops
const cases = loadCases('freshness.json')

function policyOf(spec) {
  const options = {}
  for (const [k, v] of Object.entries(spec)) {
    options[camel(k)] = k === 'tiers' ? v.map(([name, maxAge]) => ({ name, maxAge })) : v
  }
  return new FreshnessPolicy(options)
}

const tablesOf = (tables) => camelKeys(tables)

function run(c) {
  switch (c.op) {
    case 'policy':
      return { classNames: policyOf(c.policy).classNames }
    case 'classify':
      return checked('FreshnessPolicy.classify', policyOf(c.policy).classify(c.last_loaded_at, { now: c.now }))
    case 'classify_ages':
      return { classes: policyOf(c.policy).classifyAges(new Float64Array(c.ages.map((a) => (a === 'NaN' ? NaN : a)))) }
    case 'batch':
      return checked('classify_tables', classifyTables(tablesOf(c.tables), policyOf(c.policy), { now: c.now, cadence: camelKeys(c.options) }))
    case 'dbt_sources':
      return checked('dbt_sources', dbtSources(tablesOf(c.tables), policyOf(c.policy), { now: c.now, source: c.source }))
    case 'cadence':
      return checked('check_cadence', checkCadence(c.history, { now: c.now, ...camelKeys(c.options ?? {}) }))
    case 'schedule': {
      const s = c.schedule
      const schedule = new LoadSchedule(s.cron, { timezone: s.timezone, allowedDelay: s.allowed_delay, maintenance: s.maintenance })
      return checked('LoadSchedule.check', schedule.check(c.last_loaded_at, { now: c.now }))
    }
    default:
      throw new Error(`unknown op ${c.op}`)
  }
}

// dbt's sources.json keeps dbt's own snake_case keys in every language.
testCases(cases, run, (c) => (c.op === 'dbt_sources' ? c.expect : camelKeys(c.expect)))

test('there are at least 40 freshness vectors', () => {
  assert.ok(cases.length >= 40)
})
