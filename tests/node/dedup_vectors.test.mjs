// Every case of tests/vectors/dedup.json through Deduper, dedupMask/dedupIndices, keyHash.
import assert from 'node:assert/strict'

import { camelKeys, checked, fleetops, loadCases, testCases } from './helpers.mjs'

const { Deduper, dedupMask, dedupIndices, keyHash } = fleetops
const cases = loadCases('dedup.json')
const NAMES = ['first', 'duplicate', 'late', 'future']

const nan = (v) => (v === 'NaN' ? NaN : v)
const keyOf = (k) => (Array.isArray(k) ? k.map(nan) : k)
// Vector times: ISO text or epoch seconds; JS takes epoch ms. Naive text has no epoch.
const epochMs = (t) => {
  if (t === 'NaN') return NaN
  if (typeof t === 'number') return t * 1000
  return /(Z|[+-]\d\d:\d\d)$/.test(t) ? Date.parse(t) : null
}
const timeOf = (t) => (typeof t === 'number' ? t * 1000 : nan(t))

function deduper(config) {
  const c = camelKeys(config)
  return new Deduper({ ...c, horizon: c.horizon ?? null })
}

// Event by event; and through observeBatch on a restored copy, which must agree.
function feed(d, events, now) {
  const copy = Deduper.fromBytes(d.toBytes())
  const times = events.map(([, t]) => epochMs(t))
  const outcomes = events.map(([k, t]) => d.observe(keyOf(k), timeOf(t), now))
  if (times.every((t) => t !== null)) {
    const codes = copy.observeBatch(events.map(([k]) => keyOf(k)), new Float64Array(times), now)
    assert.deepEqual([...codes].map((c) => NAMES[c]), outcomes)
  }
  return outcomes
}

function run(c) {
  switch (c.op) {
    case 'stream': {
      const d = deduper(c.config)
      return { outcomes: feed(d, c.events, c.now), counts: checked('Deduper.stats', d.stats()).counts }
    }
    case 'batch': {
      const keys = c.keys.map(keyOf)
      const options = { keep: c.keep, orderBy: c.order_by ? new Float64Array(c.order_by.map(nan)) : undefined }
      const mask = dedupMask(keys, options)
      const indices = dedupIndices(keys, options)
      assert.deepEqual([...indices], [...mask].flatMap((m, i) => (m ? [i] : [])))
      return { indices: [...indices], mask: [...mask].map(Boolean) }
    }
    case 'key_hash':
      return { hash: String(keyHash(keyOf(c.key))) }
    case 'merge': {
      const a = deduper(c.config)
      const b = deduper(c.config_b ?? c.config)
      feed(a, c.a)
      feed(b, c.b)
      a.merge(b)
      return { outcomes: feed(a, c.then), watermark: a.watermark }
    }
    case 'replay': {
      const before = deduper(c.config)
      feed(before, c.events.slice(0, c.cut))
      return { outcomes: feed(Deduper.fromBytes(before.toBytes()), c.events) }
    }
    case 'restore':
      Deduper.fromBytes(Buffer.from(c.bytes_hex, 'hex'))
      return {}
    default:
      throw new Error(`unknown op ${c.op}`)
  }
}

testCases(cases, run, (c) => c.expect)
