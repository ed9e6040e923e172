// Every case of tests/vectors/slo_openslo.json through readOpenslo, and the tracker it
// describes; a refused document names the offending line.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { assertMatches, camelKeys, fleetops, loadCases } from './helpers.mjs'

const { SloTracker, readOpenslo } = fleetops

for (const c of loadCases('slo_openslo.json')) {
  test(c.name, () => {
    if ('error' in c.expect) {
      assert.throws(() => readOpenslo(c.yaml), (err) => {
        assert.equal(err.code, c.expect.error, err.message)
        if ('line' in c.expect) assert.ok(err.message.includes(`line ${c.expect.line}:`), err.message)
        return err instanceof Error
      })
      assert.throws(() => SloTracker.fromOpenslo(c.yaml), (err) => err.code === c.expect.error)
    } else {
      const spec = readOpenslo(c.yaml)
      assertMatches(camelKeys(c.expect), spec, '$', 1e-6)
      const tracker = new SloTracker(spec)
      const again = readOpenslo(tracker.toOpenslo())
      assert.equal(new SloTracker(again).toOpenslo(), tracker.toOpenslo())
      assert.equal(SloTracker.fromOpenslo(c.yaml).toOpenslo(), tracker.toOpenslo())
    }
  })
}

test('a non-string is a typed error', () => {
  assert.throws(() => readOpenslo(42), (err) => err.code === 'INVALID_ARGUMENT')
})
