// Shared helpers: loading the cross-language vectors, camelCasing keys, partial matching.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { test } from 'node:test'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
export const fleetops = createRequire(import.meta.url)(join(here, '..', '..', 'bindings-node', 'fleetops.js'))

/**
 * Runs `code` (CommonJS, with `fleetops` in scope) in a new Node process whose clock libfaketime
 * holds still at `instant` (UTC, 'YYYY-MM-DD hh:mm:ss'), and returns what it printed: the way to
 * test a default of "now" at a pinned instant.
 */
export function runAtFrozenClock(instant, code) {
  const index = join(here, '..', '..', 'bindings-node', 'fleetops.js')
  const script = `const fleetops = require(${JSON.stringify(index)});\n${code}`
  // A clean libfaketime setting (the suite itself may run under one), the instant read in UTC.
  // libfaketime is preloaded directly: its `faketime` wrapper refuses to nest.
  const lib = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib']
    .map((d) => join(d, 'faketime', 'libfaketime.so.1'))
    .find((p) => existsSync(p))
  assert.ok(lib, "libfaketime is missing (tests/setup.sh installs Debian's faketime)")
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('FAKETIME')))
  Object.assign(env, { TZ: 'UTC', LD_PRELOAD: lib, FAKETIME: instant })
  const r = spawnSync(process.execPath, ['-e', script], { env, encoding: 'utf8' })
  assert.equal(r.status, 0, `frozen-clock run failed: ${r.error ?? r.stderr}`)
  return r.stdout.trim()
}

export function loadCases(name) {
  const data = JSON.parse(readFileSync(join(here, '..', 'vectors', name), 'utf8'))
  const cases = Array.isArray(data) ? data : data.cases
  assert.ok(cases.length > 0, `${name} has no cases`)
  return cases
}

export const camel = (key) => key.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase())

/**
 * The declared result schema as JavaScript sees it: struct fields (`properties`, `required`)
 * camelCase, map keys and the names of types marked `x-keep-case` (dbt's artifact) as they are.
 */
function camelSchema(schema, keep = false) {
  if (Array.isArray(schema)) return schema.map((s) => camelSchema(s, keep))
  if (schema === null || typeof schema !== 'object') return schema
  const own = keep || schema['x-keep-case'] === true
  const out = {}
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'properties') out[k] = Object.fromEntries(Object.entries(v).map(([p, s]) => [own ? p : camel(p), camelSchema(s, own)]))
    else if (k === 'required') out[k] = own ? v : v.map(camel)
    else if (k === '$defs') out[k] = Object.fromEntries(Object.entries(v).map(([n, s]) => [n, camelSchema(s)]))
    else out[k] = camelSchema(v, own)
  }
  return out
}

const resultsSchema = camelSchema(JSON.parse(readFileSync(join(here, '..', 'types', 'results.schema.json'), 'utf8')))
// ajv is a devDependency of the package; tests resolve it from there.
const Ajv2020 = createRequire(join(here, '..', '..', 'bindings-node', 'package.json'))('ajv/dist/2020').default
const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true })
const validators = new Map()

/**
 * `value` after validating it against the declared result of `call` (its Python name in
 * tests/types/returns.json, e.g. 'classify_tables' or 'SloTracker.status'): every field
 * declared, none undeclared, every value of its type.
 */
export function checked(call, value) {
  if (!validators.has(call)) {
    const ret = resultsSchema.returns[call]
    assert.ok(ret, `no declared result for ${call}`)
    validators.set(call, ajv.compile({ $defs: resultsSchema.$defs, ...ret }))
  }
  const validate = validators.get(call)
  const ok = validate(value)
  assert.ok(ok, `${call} returned what its type does not declare: ${ajv.errorsText(validate.errors?.slice(0, 5))}`)
  return value
}

// snake_case keys -> camelCase, except inside maps keyed by data (class and level names).
export function camelKeys(value, keep = false) {
  if (Array.isArray(value)) return value.map((v) => camelKeys(v))
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [keep ? k : camel(k), camelKeys(v, k === 'classes' || k === 'levels' || k === 'alerts_by_tier')]),
  )
}

// Every key of `expected` must be in `actual` with an equal value (numbers to `tol`, relative).
export function assertMatches(expected, actual, path = '$', tol = 1e-6) {
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual) && actual.length === expected.length, `${path}: ${JSON.stringify(actual)}`)
    expected.forEach((e, i) => assertMatches(e, actual[i], `${path}[${i}]`, tol))
  } else if (expected !== null && typeof expected === 'object') {
    assert.ok(actual !== null && typeof actual === 'object', `${path}: expected an object, got ${actual}`)
    for (const [k, v] of Object.entries(expected)) {
      assert.ok(k in actual, `${path}.${k}: missing in ${JSON.stringify(actual)}`)
      assertMatches(v, actual[k], `${path}.${k}`, tol)
    }
  } else if (typeof expected === 'number') {
    assert.equal(typeof actual, 'number', `${path}: ${actual}`)
    assert.ok(Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)), `${path}: expected ${expected}, got ${actual}`)
  } else {
    assert.equal(actual, expected, path)
  }
}

// Registers one node:test per vector: the typed error it expects, or a result matching `expect`
// (after `expectOf` maps the expectation, e.g. to camelCase keys).
export function testCases(cases, run, expectOf = (c) => camelKeys(c.expect)) {
  for (const c of cases) {
    test(c.name, () => {
      if ('error' in c.expect) {
        assert.throws(() => run(c), (err) => {
          assert.equal(err.code, c.expect.error, err.message)
          return err instanceof Error
        })
      } else {
        assertMatches(expectOf(c), run(c), '$', c.rel_tol ?? 1e-6)
      }
    })
  }
}
