// Every case of tests/vectors/slo_latency.json through LatencyHistogram.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { camelKeys, checked, fleetops, loadCases, testCases } from './helpers.mjs'

const { LatencyHistogram } = fleetops
const cases = loadCases('slo_latency.json')
const values = (c, key) => new Float64Array((c[key] ?? []).map((v) => (v === 'NaN' ? NaN : v)))

function run(c) {
  let h = new LatencyHistogram({ maxMs: c.max_ms, significantFigures: c.significant_figures })
  h.recordBatch(values(c, 'latencies'))
  if (c.merge_with) {
    const other = new LatencyHistogram({ maxMs: c.max_ms, significantFigures: c.merge_significant_figures })
    other.recordBatch(values(c, 'merge_with'))
    h.merge(other)
  }
  if (c.round_trip) h = LatencyHistogram.fromBytes(h.toBytes())
  if (c.restore !== undefined) h = LatencyHistogram.fromBytes(Buffer.from(c.restore))
  const out = checked('LatencyHistogram.summary', h.summary())
  if (c.threshold_ms !== undefined) out.fractionUnder = h.fractionUnder(c.threshold_ms)
  if (c.percentile !== undefined) out.percentile = h.percentile(c.percentile)
  return out
}

testCases(cases, run, (c) => camelKeys(c.expect))

test('one at a time equals one batch', () => {
  const one = new LatencyHistogram()
  const batch = new LatencyHistogram()
  for (const v of [120, 800, 3.5]) one.record(v)
  batch.recordBatch([120, 800, 3.5])
  assert.deepEqual(one.toBytes(), batch.toBytes())
  assert.equal(one.count, 3)
})

test('a failed batch records nothing', () => {
  const h = new LatencyHistogram()
  h.record(1)
  assert.throws(() => h.recordBatch(new Float64Array([1, 2, -3])), (e) => e.code === 'INVALID_DURATION')
  assert.equal(h.count, 1)
})
