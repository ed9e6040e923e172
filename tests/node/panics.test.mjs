// No panic crosses into Node: a panic in the core throws an Error with code INTERNAL, and the
// process (which a panic across napi would abort with SIGABRT) goes on.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { test } from 'node:test'

import { fleetops } from './helpers.mjs'

test('a panic in the core throws INTERNAL and the process lives', () => {
  assert.throws(() => fleetops._panicForTest('boom'), (e) => e instanceof Error && e.code === 'INTERNAL' && /boom/.test(e.message) && /a bug in fleetops/.test(e.message))
  assert.ok(fleetops.errorCodes().includes('INTERNAL'))
  assert.equal(fleetops.errorBudget(0.999, { good: 999, total: 1000 }).usedPercent.toFixed(6), '100.000000')
})

test('a panic does not end a fresh process', () => {
  const index = new URL('../../bindings-node/fleetops.js', import.meta.url).pathname
  const code = `try { require(${JSON.stringify(index)})._panicForTest('boom') } catch (e) { console.log(e.code) }`
  const r = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8' })
  assert.equal(r.status, 0, r.stderr)
  assert.equal(r.stdout.trim(), 'INTERNAL')
})

test('a result that fails or panics while converting to JavaScript throws INTERNAL', () => {
  for (const how of ['error', 'panic']) {
    assert.throws(
      () => fleetops._unconvertibleForTest(how),
      (e) => e instanceof Error && e.code === 'INTERNAL' && /did not convert|conversion panicked/.test(e.message),
      how,
    )
  }
  // The process and the next call go on as before.
  assert.equal(fleetops.errorBudget(0.999, { good: 999, total: 1000 }).status, 'ok')
})
