// The binding reads every argument itself (napi converts none): a wrong one is
// `INVALID_ARGUMENT` in the core's words, naming the argument as JavaScript does
// ("latencyMs: expected a number, got a string"), never Rust's or napi-rs's ("Failed to convert
// napi value", "invalid type: unit value, expected struct DeduperSpec"), and the prefix once.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { fleetops, runAtFrozenClock } from './helpers.mjs'

const says = (fn, message) =>
  assert.throws(fn, (e) => e instanceof Error && e.code === 'INVALID_ARGUMENT' && e.message === message, message)

test('wrong arguments are worded by the core', () => {
  const { LatencyHistogram, Deduper, SloTracker, fingerprint, forecastBudget, escalationsDue } = fleetops
  says(() => new LatencyHistogram().record('x'), 'invalid argument: latencyMs: expected a number, got a string')
  says(() => new LatencyHistogram().record(), 'invalid argument: latencyMs: expected a number, got undefined')
  says(() => fingerprint(), 'invalid argument: labels: expected an object, got undefined')
  says(() => fingerprint(true), 'invalid argument: labels: expected an object, got a boolean')
  says(() => fingerprint([]), 'invalid argument: labels: expected an object, got an array')
  says(() => new Deduper(), 'invalid argument: expected options (a mapping of names to values), got null')
  says(() => new Deduper([]), 'invalid argument: expected options (a mapping of names to values), got a list')
  says(() => new Deduper({ horizon: true }), "invalid argument: horizon: expected a duration: seconds, text like '45m' or {count, period}, got true")
  says(() => forecastBudget(50, 1, { period: '30d' }), "invalid argument: missing option 'timeLeft'")
  says(() => new SloTracker().merge(5), 'invalid argument: other: expected a SloTracker, got a number')
  says(() => escalationsDue('x', 0), 'invalid argument: alerts: expected a list, got the string "x"')
  says(() => new fleetops.StormDetector({ window: true }), "invalid argument: window: expected a duration: seconds, text like '45m' or {count, period}, got true")
  says(() => fleetops.judgeRule({ window: '5m' }, []), "invalid argument: rule: missing option 'name'")
  says(() => new SloTracker().merge(new Deduper({ horizon: '1h' })), 'invalid argument: other: expected a SloTracker, got another kind of object')
  says(() => fingerprint({ ['\uD800']: 'x' }), 'invalid argument: a string that is not valid Unicode (a lone surrogate) at labels key')
  says(() => fleetops.clientKey('a\uDC00'), 'invalid argument: a string that is not valid Unicode (a lone surrogate) at address')
  says(() => fleetops.utcIso(1n), 'invalid argument: expected a Date, epoch milliseconds or an ISO-8601 string, got a bigint')
})

test('every export, given a wrong value at any of its first four arguments, throws in fleetops words', () => {
  // Run at a frozen clock: a call that accepts what it is given may default `now`.
  const out = runAtFrozenClock('2026-11-22 08:00:00', `
    const T = 1795334400000
    const wrong = { undefined: undefined, null: null, string: 'x', number: 5, boolean: true, object: {}, array: [], bigint: 1n, function: () => 1 }
    const instances = {
      FreshnessPolicy: fleetops.FreshnessPolicy.runbook(), LoadSchedule: new fleetops.LoadSchedule('0 6 * * *'),
      BurnPolicy: new fleetops.BurnPolicy(), LatencyHistogram: new fleetops.LatencyHistogram(),
      SloTracker: new fleetops.SloTracker(), Deduper: new fleetops.Deduper({ horizon: '1h' }),
      StormDetector: new fleetops.StormDetector(), RateLimiter: new fleetops.RateLimiter(), Grouper: new fleetops.Grouper(),
    }
    const codes = new Set(fleetops.errorCodes())
    const found = { calls: 0, thrown: 0, bad: [], missing: [] }
    const sweep = (name, call) => {
      for (let at = 0; at < 4; at++) for (const [kind, value] of Object.entries(wrong)) {
        const args = [T, T, T, T]
        args[at] = value
        found.calls++
        try { call(...args) } catch (e) {
          found.thrown++
          if (!(e instanceof Error) || !codes.has(e.code) || /rust|napi|serde|struct |invalid type|unit value|Failed to|Expect value|Option<|invalid argument: invalid argument/i.test(e.message)) {
            found.bad.push(name + ' argument ' + (at + 1) + ' = ' + kind + ': ' + (e && e.code) + ' ' + (e && e.message))
          }
        }
      }
    }
    for (const [name, value] of Object.entries(fleetops)) {
      if (typeof value !== 'function' || name.startsWith('_')) continue
      if (!/^[A-Z]/.test(name)) { sweep(name, value); continue }
      sweep(name, (...a) => new value(...a))
      for (const s of Object.getOwnPropertyNames(value)) {
        if (typeof value[s] === 'function' && !['length', 'name', 'prototype'].includes(s)) sweep(name + '.' + s, (...a) => value[s](...a))
      }
      const instance = instances[name]
      if (!instance) { found.missing.push(name); continue }
      const proto = Object.getPrototypeOf(instance)
      for (const m of Object.getOwnPropertyNames(proto)) {
        if (m !== 'constructor' && typeof Object.getOwnPropertyDescriptor(proto, m).value === 'function') sweep(name + '.' + m, (...a) => instance[m](...a))
      }
    }
    console.log(JSON.stringify(found))
  `)
  const found = JSON.parse(out)
  assert.deepEqual(found.missing, [], 'add an instance of each class to the sweep')
  assert.deepEqual(found.bad, [])
  assert.ok(found.calls > 2500 && found.thrown > 2000, JSON.stringify({ calls: found.calls, thrown: found.thrown }))
})
