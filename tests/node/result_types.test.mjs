// The declared result types (results.d.ts, generated from the core's) are the ones index.d.ts
// names, and every call's declared result is checked against what it returns somewhere here.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'

import { camel, checked, fleetops } from './helpers.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..', '..')
const returns = JSON.parse(readFileSync(join(root, 'tests', 'types', 'returns.json'), 'utf8'))
const dts = readFileSync(join(root, 'bindings-node', 'index.d.ts'), 'utf8')

/** Each declared function's and method's (or getter's) return type in index.d.ts, by Python-style name. */
function declaredReturns() {
  const out = new Map()
  let owner = null
  for (const line of dts.split('\n')) {
    const cls = line.match(/^export declare class (\w+)/)
    if (cls) owner = cls[1]
    else if (line.startsWith('}')) owner = null
    const fn = line.match(/^export declare function (\w+)\(.*\): (.+)$/)
    if (fn) out.set(fn[1], fn[2])
    const method = owner && line.match(/^ {2}(?:static )?(?:get )?(\w+)\(.*\): (.+)$/)
    if (method) out.set(`${owner}.${method[1]}`, method[2])
  }
  return out
}

const jsName = (call) => call.split('.').map((part, i, all) => (i === all.length - 1 || i > 0 ? camel(part) : part)).join('.')

test('index.d.ts declares every call with its generated result type', () => {
  const declared = declaredReturns()
  for (const [call, types] of Object.entries(returns)) {
    if (call === 'StormDetector.observe_batch.events') {
      assert.equal(declared.get('StormDetector.observeBatch'), `{ actions: Uint8Array; events: ${types.typescript} }`)
      continue
    }
    assert.equal(declared.get(jsName(call)), types.typescript, `${call} (${jsName(call)})`)
  }
  const code = dts.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '')
  assert.ok(!/\bany\b/.test(code), 'index.d.ts uses any')
})

test('every call is checked against its type somewhere in the suite', () => {
  const sources = readdirSync(here)
    .filter((f) => f.endsWith('.test.mjs'))
    .map((f) => readFileSync(join(here, f), 'utf8'))
    .join('\n')
  const unchecked = Object.keys(returns).filter((call) => !sources.includes(`checked('${call}'`))
  assert.deepEqual(unchecked, [])
})

test('unknown option names are INVALID_ARGUMENT naming them, at any depth', () => {
  const refused = (f, names) =>
    assert.throws(f, (e) => e.code === 'INVALID_ARGUMENT' && names.every((n) => e.message.includes(`'${n}'`)), names.join(', '))
  refused(() => new fleetops.Deduper({ horizon: '1h', horizn: '2h' }), ['horizn'])
  refused(() => fleetops.errorBudget(0.999, { good: 1, totl: 2 }), ['totl'])
  refused(() => new fleetops.FreshnessPolicy({ tiers: [{ name: 'A', maxAg: null }] }), ['tiers[0].maxAg'])
  refused(() => fleetops.classifyTables([{ table: 't', lastLoadedAt: null, histroy: [] }]), ['tables[0].histroy'])
  refused(() => new fleetops.StormDetector().observe('k', 0, { label: {} }), ['label'])
  // Data is not options: a record of tables and labels keep any names.
  assert.equal(fleetops.classifyTables({ anyName: null }, null, { now: 0 }).results[0].table, 'anyName')
  assert.equal(typeof fleetops.fingerprint({ anyLabel: 'x' }), 'bigint')
  // undefined is "not given", as in an object spread of optional settings.
  assert.doesNotThrow(() => new fleetops.Deduper({ horizon: '1h', maxKeys: undefined }))
})

test('health results are declared', () => {
  const health = checked('assess_health', fleetops.assessHealth([{ name: 'database', ok: true, latencyMs: 1200 }, { name: 'redis', ok: false }]))
  assert.equal(health.status, 'down')
  assert.deepEqual(Object.keys(health.checks), ['database', 'redis'])
  assert.equal(health.checks.database.status, 'degraded')
})

test('a result with an undeclared field fails the check', () => {
  const budget = { ...fleetops.errorBudget(0.999, { good: 999, total: 1000 }), surprise: 1 }
  assert.throws(() => checked('error_budget', budget), /does not declare/)
  // A snake_case field is undeclared in JavaScript: the Node results are camelCase.
  const snake = { ...fleetops.errorBudget(0.999, { good: 999, total: 1000 }) }
  snake.used_percent = snake.usedPercent
  delete snake.usedPercent
  assert.throws(() => checked('error_budget', snake), /does not declare/)
})
