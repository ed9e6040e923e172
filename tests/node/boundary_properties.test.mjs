// Property tests at the Node boundary (fast-check, fixed seed: the same cases every run). Any
// value reaches every public constructor and method: wrong types, NaN and infinities, huge and
// negative numbers, lone surrogates, deep nesting, random bytes as saved state. Each call must
// return or throw an Error with a fleetops code (never napi's own, never none), and never
// panic: no abort of the process (which takes the test runner down) and no INTERNAL (a caught
// panic, a bug). FLEETOPS_PROPERTY_EXAMPLES sets how many examples each target gets (default 150).
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { test } from 'node:test'

import { fleetops } from './helpers.mjs'

// The binding's dev dependency, loaded from its node_modules as the other tests load theirs.
const fc = createRequire(new URL('../../bindings-node/package.json', import.meta.url))('fast-check')

const EXAMPLES = Number(process.env.FLEETOPS_PROPERTY_EXAMPLES ?? 150)
const NOW = '2026-11-22T08:00:00Z'
const { SloTracker, Deduper, StormDetector, RateLimiter, Grouper, LatencyHistogram, LoadSchedule } = fleetops

const numbers = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
  fc.constantFrom(0, -1, 2 ** 31, 2 ** 32, 2 ** 53 + 2, 2 ** 64, 1e15, 1e308, -0, 0.5, NaN, Infinity, -Infinity),
)
const texts = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('\ud800', 'a\udfffb', '', '45m', '1h30m', '-5m', '36526d', '1e15', 'month', NOW, '2026-11-22T08:00:00', 'Mars/Olympus'),
)
const scalars = fc.oneof(fc.constant(null), fc.constant(undefined), fc.boolean(), numbers, texts, fc.date(), fc.uint8Array({ maxLength: 16 }), fc.float64Array({ maxLength: 4 }))
const { anything } = fc.letrec((tie) => ({
  anything: fc.oneof({ depthSize: 'small' }, scalars, fc.array(tie('anything'), { maxLength: 4 }), fc.dictionary(fc.string({ maxLength: 6 }), tie('anything'), { maxKeys: 4 })),
}))
const nest = (n) => {
  let v = 1
  for (let i = 0; i < n; i++) v = [v]
  return v
}

// `now` arguments take any value but null / undefined, which would read the wall clock. An
// options argument keeps its other random fields but always carries a `now` (its own, if set):
// napi today takes a number or an array there as "no options", so a default `now` would read
// the wall clock (refusing them is the one options path's job).
const at = (now) => now ?? NOW
const isPlain = (o) => o !== null && typeof o === 'object' && Object.getPrototypeOf(o) === Object.prototype
const withNow = (o) => (isPlain(o) ? { ...o, now: o.now ?? NOW } : { now: NOW })

const CODES = new Set(fleetops.errorCodes())

function neverPanics(name, call) {
  try {
    call()
  } catch (e) {
    assert.notEqual(e?.code, 'INTERNAL', `${name} panicked: ${e?.message}`)
    assert.ok(e instanceof Error && CODES.has(e.code), `${name} threw without a fleetops code: ${e?.code} ${e?.message}`)
  }
}

const targets = {
  SloTracker: (a, b, c) => new SloTracker({ period: a, resolution: b, maxFuture: c }),
  'SloTracker.record': (a, b, c) => new SloTracker().record(a, b, c, NOW),
  'SloTracker.status': (a) => new SloTracker().status(at(a)),
  'SloTracker.evaluateRules': (a, b) => new SloTracker().evaluateRules(a, at(b)),
  Deduper: (a, b, c) => new Deduper({ horizon: a, maxKeys: b, allowedLateness: c }),
  'Deduper.bloom': (a, b, c) => new Deduper({ horizon: '1h', mode: 'bloom', expectedKeys: a, fpr: b, allowedLateness: c }),
  'Deduper.observe': (a, b, c) => new Deduper({ horizon: '1h' }).observe(a, b, c),
  'Deduper.observeBatch': (a, b) => new Deduper({ horizon: '1h' }).observeBatch(a, b),
  StormDetector: (a, b, c) => new StormDetector({ window: a, resolution: b, enterAbove: c }),
  'StormDetector.observe': (a, b, c) => new StormDetector().observe(a, b, c),
  RateLimiter: (a, b, c) => new RateLimiter({ limit: a, period: b, burst: c }),
  'RateLimiter.check': (a, b) => new RateLimiter().check(a, at(b)),
  'Grouper.due': (a) => {
    const g = new Grouper()
    g.add({ alertname: 'x' }, NOW)
    return g.due(at(a))
  },
  LatencyHistogram: (a, b) => new LatencyHistogram({ maxMs: a, significantFigures: b }),
  'LatencyHistogram.record': (a) => new LatencyHistogram().record(a),
  errorBudget: (a, b) => fleetops.errorBudget(a, b),
  periodWindow: (a, b) => fleetops.periodWindow(a, withNow(b)),
  classifyTables: (a, b, c) => fleetops.classifyTables(a, b, withNow(c)),
  checkCadence: (a, b) => fleetops.checkCadence(a, withNow(b)),
  escalationsDue: (a, b, c) => fleetops.escalationsDue(a, at(b), c),
  LoadSchedule: (a, b) => new LoadSchedule(a, b),
  fingerprint: (a) => fleetops.fingerprint(a),
  flapSeries: (a, b) => fleetops.flapSeries(a, b),
  keyHash: (a) => fleetops.keyHash(a),
  dedupMask: (a, b) => fleetops.dedupMask(a, b),
}

const seeded = (i) => ({ numRuns: EXAMPLES, seed: 20261201 + i })

Object.entries(targets).forEach(([name, target], i) => {
  test(`${name}: any arguments never panic`, () => {
    fc.assert(fc.property(anything, anything, anything, (a, b, c) => neverPanics(name, () => target(a, b, c))), seeded(i))
  })
  test(`${name}: deep nesting never panics`, () => {
    fc.assert(fc.property(fc.integer({ min: 50, max: 400 }), (n) => neverPanics(name, () => target(nest(n), nest(n), nest(n)))), { ...seeded(i), numRuns: 10 })
  })
})

const saved = { SloTracker, Deduper, StormDetector, RateLimiter, LatencyHistogram }
Object.entries(saved).forEach(([name, cls], i) => {
  test(`${name}.fromBytes: random bytes are refused, never panicked on`, () => {
    const bytes = fc.oneof(fc.uint8Array({ maxLength: 256 }), fc.uint8Array({ maxLength: 16 }).map((b) => Buffer.concat([Buffer.from('{"format":"fleetops.'), b])))
    fc.assert(fc.property(bytes, (b) => neverPanics(name, () => cls.fromBytes(Buffer.from(b)))), seeded(100 + i))
  })
})
