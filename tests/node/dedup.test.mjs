// De-duplication from Node: typed-array inputs, replay after restore, bad input that leaves
// the state untouched, merge, and the key cap.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { fleetops } from './helpers.mjs'

const { Deduper, dedupMask, dedupIndices, keyHash, keyHashes } = fleetops
const T0 = Date.parse('2026-11-22T08:00:00Z')

function telemetry(n = 20000) {
  let x = 0x2545f491n
  const rnd = () => {
    x = (x * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn
    return x
  }
  const keys = new BigUint64Array(n)
  const times = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const r = rnd()
    if (i > 100 && r % 5n === 0n) {
      const j = i - 1 - Number(rnd() % 100n)
      keys[i] = keys[j]
      times[i] = times[j]
    } else {
      keys[i] = rnd()
      times[i] = T0 + i * 250 - Number(rnd() % 60000n)
    }
  }
  return { keys, times }
}

const firsts = (codes, offset = 0) => [...codes].flatMap((c, i) => (c === 0 ? [i + offset] : []))

test('restart from saved state and replay from the start: nothing twice, nothing lost', () => {
  const { keys, times } = telemetry()
  const once = new Deduper({ horizon: '30m', allowedLateness: '2m' })
  const expected = firsts(once.observeBatch(keys, times))
  const cut = 12345
  const before = new Deduper({ horizon: '30m', allowedLateness: '2m' })
  const emitted = firsts(before.observeBatch(keys.subarray(0, cut), times.subarray(0, cut)))
  const after = Deduper.fromBytes(before.toBytes())
  const replayed = firsts(after.observeBatch(keys, times))
  assert.ok(replayed.every((i) => i >= cut))
  assert.deepEqual([...emitted, ...replayed], expected)
})

test('BigUint64Array, BigInt64Array, Float64Array and plain arrays agree', () => {
  const ids = [5, 3, 5, 9, 3, 0, 0]
  const want = [1, 1, 0, 1, 0, 1, 0]
  assert.deepEqual([...dedupMask(new BigUint64Array(ids.map(BigInt)))], want)
  assert.deepEqual([...dedupMask(new BigInt64Array(ids.map(BigInt)))], want)
  assert.deepEqual([...dedupMask(new Float64Array(ids))], want)
  assert.deepEqual([...dedupMask(ids)], want)
  assert.deepEqual([...dedupIndices(ids, { keep: 'last' })], [2, 3, 4, 6])
  assert.ok(dedupIndices(ids) instanceof Uint32Array)
})

test('staging table: the latest _loaded_at wins', () => {
  const packageId = ['P1', 'P2', 'P1', 'P3', 'P2']
  const loadedAt = new Float64Array(['06:00', '06:00', '07:00', '06:00', '05:00'].map((h) => Date.parse(`2026-11-22T${h}:00Z`)))
  assert.deepEqual([...dedupIndices(packageId, { keep: 'last', orderBy: loadedAt })], [1, 2, 3])
})

test('composite keys: keyHashes over columns equals keyHash of a row', () => {
  const h = keyHashes([['TRK-1', 'TRK-1', 'TRK-2'], [1763798400, 1763798460, 1763798400]])
  assert.ok(h instanceof BigUint64Array)
  assert.equal(h[0], keyHash(['TRK-1', 1763798400]))
  assert.equal(keyHash(7), 7n)
  assert.equal(keyHash(2n ** 64n - 1n), 2n ** 64n - 1n)
  assert.equal(new Set(h).size, 3)
})

test('bad input throws with a code and leaves the state untouched', () => {
  const d = new Deduper({ horizon: 3600 })
  d.observeBatch(new BigUint64Array([1n, 2n]), new Float64Array([T0, T0 + 1]))
  const before = d.toBytes()
  const cases = [
    [() => d.observeBatch(new BigUint64Array([1n, 2n, 3n]), new Float64Array([T0, T0])), 'INVALID_ARGUMENT'],
    [() => d.observeBatch(new BigUint64Array([5n, 6n]), new Float64Array([T0, NaN])), 'INVALID_TIMESTAMP'],
    [() => d.observeBatch(new BigUint64Array([5n, 6n]), new Float64Array([T0, -1])), 'INVALID_TIMESTAMP'],
    [() => d.observeBatch(new BigInt64Array([5n, -6n]), new Float64Array([T0, T0])), 'INVALID_ARGUMENT'],
    [() => d.observeBatch(new Float64Array([5.5, 6]), new Float64Array([T0, T0])), 'INVALID_ARGUMENT'],
    [() => d.observeBatch([5, { x: 1 }], new Float64Array([T0, T0])), 'INVALID_ARGUMENT'],
    [() => d.observeBatch('nope', new Float64Array([T0])), 'INVALID_ARGUMENT'],
    [() => d.observe(-1n, T0), 'INVALID_ARGUMENT'],
    [() => d.observe(true, T0), 'INVALID_ARGUMENT'],
    [() => d.observe(1, '2026-11-22T08:00:00'), 'NAIVE_TIMESTAMP'],
  ]
  for (const [call, code] of cases) {
    assert.throws(call, (err) => err instanceof Error && err.code === code)
    assert.deepEqual(d.toBytes(), before)
  }
  for (const horizon of [0, -5, '0s', null]) {
    assert.throws(() => new Deduper({ horizon }), { code: 'INVALID_DURATION' })
  }
  assert.throws(() => Deduper.fromBytes(before.subarray(0, before.length - 1)), { code: 'INVALID_STATE' })
  assert.throws(() => dedupMask([1, 2], { keep: 'last', orderBy: new Float64Array([1]) }), { code: 'INVALID_ARGUMENT' })
})

test('merged partitions answer like one de-duplicator', () => {
  const { keys, times } = telemetry()
  const head = 10000
  const idx = [...Array(head).keys()]
  const even = idx.filter((i) => keys[i] % 2n === 0n)
  const odd = idx.filter((i) => keys[i] % 2n === 1n)
  const pick = (ix) => [new BigUint64Array(ix.map((i) => keys[i])), new Float64Array(ix.map((i) => times[i]))]
  const opts = { horizon: '30m', allowedLateness: '2m' }
  const [a, b, one] = [new Deduper(opts), new Deduper(opts), new Deduper(opts)]
  a.observeBatch(...pick(even))
  b.observeBatch(...pick(odd))
  one.observeBatch(keys.subarray(0, head), times.subarray(0, head))
  a.merge(b)
  assert.equal(a.watermark, one.watermark)
  assert.deepEqual(a.observeBatch(keys.subarray(head), times.subarray(head)), one.observeBatch(keys.subarray(head), times.subarray(head)))
  assert.throws(() => a.merge(new Deduper({ horizon: '1h' })), { code: 'INVALID_ARGUMENT' })
})

test('a key cap bounds memory and counts evictions', () => {
  const d = new Deduper({ horizon: '1d', maxKeys: 1000 })
  const n = 100000
  const keys = new BigUint64Array(n).map((_, i) => BigInt(i))
  d.observeBatch(keys, new Float64Array(n).map((_, i) => T0 + i))
  const s = d.stats()
  assert.ok(s.liveKeys <= 1000)
  assert.equal(s.counts.evicted + s.liveKeys, n)
  assert.ok(d.memoryBytes < 1000 * 20)
})

test('one call and a batch round sub-millisecond times alike (the nearest millisecond)', () => {
  const one = new Deduper({ horizon: '1s' })
  assert.deepEqual([one.observe(7, 1_000_000), one.observe(7, 1_001_000.6)], ['first', 'first'])
  const batch = new Deduper({ horizon: '1s' }).observeBatch(new BigUint64Array([7n, 7n]), new Float64Array([1_000_000, 1_001_000.6]))
  assert.deepEqual([...batch], [0, 0])
  const two = new Deduper({ horizon: '1s' })
  assert.deepEqual([two.observe(7, 1_000_000), two.observe(7, 1_001_000.4)], ['first', 'duplicate'])
})

test('bloom mode holds its rate far past expectedKeys (it grows by slices)', () => {
  const d = new Deduper({ horizon: '24h', mode: 'bloom', expectedKeys: 10000, fpr: 0.01 })
  const n = 200000
  const keys = new BigUint64Array(n).map((_, i) => BigInt(i))
  const times = new Float64Array(n).map((_, i) => T0 + i * 10)
  d.observeBatch(keys, times)
  const fresh = new BigUint64Array(20000).map((_, i) => BigInt(10000000 + i))
  const codes = d.observeBatch(fresh, new Float64Array(20000).fill(T0 + n * 10))
  const falseDuplicates = codes.filter((c) => c === 1).length
  assert.ok(falseDuplicates <= 20000 * 0.01 * 1.2, `${falseDuplicates} of 20000 new keys called duplicates`)
  const { estimatedFpr, counts } = d.stats()
  assert.ok(estimatedFpr > 0.001 && estimatedFpr < 0.01, String(estimatedFpr))
  assert.equal(counts.evicted, 0)
})
