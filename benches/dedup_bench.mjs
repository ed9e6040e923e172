// Batch keep-first on 10M keys with ~20 % duplicates from Node: fleetops dedupMask on a
// BigUint64Array and a Float64Array vs a `Set` loop over the same numbers. Run with benches/run.
import { createRequire } from 'node:module'
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

function best(fn, runs = 3) {
  let min = Infinity
  let out
  for (let r = 0; r < runs; r++) {
    const t = process.hrtime.bigint()
    out = fn()
    min = Math.min(min, Number(process.hrtime.bigint() - t) / 1e9)
  }
  return [min, out]
}

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

const [tBig, mBig] = best(() => fleetops.dedupMask(bigs))
const [tNum] = best(() => fleetops.dedupMask(nums))
const [tSet, mSet] = best(() => setLoop(nums), 1)
const kept = (m) => m.reduce((a, b) => a + b, 0)
if (kept(mBig) !== kept(mSet)) throw new Error('results differ')
const line = (name, secs, extra = '') => console.log(`node    ${name.padEnd(44)} ${(N / secs / 1e6).toFixed(1).padStart(7)} M keys/s  ${extra}`)
line('fleetops dedupMask(BigUint64Array)', tBig, `${(tSet / tBig).toFixed(1)}x Set`)
line('fleetops dedupMask(Float64Array)', tNum, `${(tSet / tNum).toFixed(1)}x Set`)
line('Set loop over a Float64Array', tSet)
