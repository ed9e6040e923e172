// Batch keep-first on 10M keys with ~20 % duplicates from Node: fleetops dedupMask on a
// BigUint64Array and a Float64Array vs a `Set` loop over the same numbers; and the streaming
// Deduper from empty with late and future events. Round-robin, median of 5. Run with benches/run.
import { createRequire } from 'node:module'
import { rounds } from './measure.mjs'

const fleetops = createRequire(import.meta.url)('../bindings-node/index.js')

const N = 10_000_000
let x = 0x2545f491
const rnd = () => {
  x ^= x << 13
  x ^= x >>> 17
  x ^= x << 5
  return x >>> 0
}
const nums = new Float64Array(N)
for (let i = 0; i < N; i++) {
  nums[i] = i > 0 && rnd() % 5 === 0 ? nums[rnd() % i] : rnd() * 2097152 + (rnd() % 2097152) // < 2^53
}
const bigs = BigUint64Array.from(nums, (v) => BigInt(v))

function setLoop(values) {
  const seen = new Set()
  const keep = new Uint8Array(values.length)
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (!seen.has(v)) {
      seen.add(v)
      keep[i] = 1
    }
  }
  return keep
}

const kept = (m) => m.reduce((a, b) => a + b, 0)
if (kept(fleetops.dedupMask(bigs)) !== kept(setLoop(nums))) throw new Error('results differ')
await rounds([
  { name: 'fleetops dedupMask(BigUint64Array)', run: () => fleetops.dedupMask(bigs), events: N, unit: 'keys' },
  { name: 'fleetops dedupMask(Float64Array)', run: () => fleetops.dedupMask(nums), events: N, unit: 'keys' },
  { name: 'Set loop over a Float64Array', run: () => setLoop(nums), events: N, unit: 'keys' },
])

// Streaming from empty: the same keys, 10 events per ms, a 20-minute horizon, 1 % of events
// two hours late and 0.5 % an hour ahead of now.
const at = new Float64Array(N)
for (let i = 0; i < N; i++) {
  const r = rnd() % 1000
  at[i] = 1763798400000 + i / 10 - (r < 10 ? 7_200_000 : 0)
}
const now = at[N - 1]
for (let i = 0; i < N; i++) if (rnd() % 1000 < 5) at[i] = now + 3_600_000
const codes = new fleetops.Deduper({ horizon: '20m', expectedKeys: N }).observeBatch(bigs, at, now)
const outcome = [0, 0, 0, 0]
codes.forEach((c) => outcome[c]++)
console.log(`node    stream outcomes: first ${outcome[0]}, duplicate ${outcome[1]}, late ${outcome[2]}, future ${outcome[3]}`)
await rounds([
  { name: 'fleetops Deduper.observeBatch, expectedKeys=10M', run: () => new fleetops.Deduper({ horizon: '20m', expectedKeys: N }).observeBatch(bigs, at, now), events: N },
  { name: 'fleetops Deduper.observeBatch, growing from empty', run: () => new fleetops.Deduper({ horizon: '20m' }).observeBatch(bigs, at, now), events: N },
])
