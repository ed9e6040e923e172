// Every case of tests/vectors/slo_rules.json through judgeRule, and the tracker's rules.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { camelKeys, checked, fleetops, loadCases, testCases } from './helpers.mjs'

const { SloTracker, judgeRule, runbookRules } = fleetops
const cases = loadCases('slo_rules.json')

testCases(cases, (c) =>
  checked('judge_rule', judgeRule(typeof c.rule === 'string' ? c.rule : camelKeys(c.rule), camelKeys(c.stats), { resolution: c.resolution })),
)

test('the tracker evaluates the runbook rules', () => {
  const t = new SloTracker()
  const t0 = 1_795_852_800_000
  const n = 600
  t.recordBatch(
    new Float64Array(n).map((_, i) => t0 + i * 1000),
    new Uint8Array(n).map((_, i) => (i % 10 !== 0 ? 1 : 0)),
    new Float64Array(n).fill(1500),
    t0 + 599_000,
  )
  const results = Object.fromEntries(checked('SloTracker.evaluate_rules', t.evaluateRules(null, t0 + 599_000)).map((r) => [r.name, r]))
  assert.equal(results.high_error_rate.firing, true)
  assert.equal(results.high_response_time.firing, true)
  assert.equal(results.application_down.firing, false)
  assert.equal(results.roll_back.firing, true)
  assert.deepEqual(checked('runbook_rules', runbookRules()).map((r) => r.name), Object.keys(results))
})
