// 10M alerts over 100k keys through the storm detector from Node: StormDetector.observeBatch
// (typed arrays, one call) vs a Map + array sliding window. The data storms: in every other
// stretch of 1M alerts, 20 keys take three alerts in ten, so storms start, last and end (the
// count is printed). Round-robin, median of 5 with min-max. Run with benches/run.
import { createRequire } from 'node:module'
import { rounds } from './measure.mjs'

const fleetops = createRequire(import.meta.url)('../bindings-node/index.js')

const N = 10_000_000
const WINDOW = 300_000 // the detector's defaults: 5 min, more than 20 alerts
const ENTER = 20
let x = 0x2545f491
const ids = new Float64Array(N)
const at = new Float64Array(N)
for (let i = 0; i < N; i++) {
  x ^= x << 13
  x ^= x >>> 17
  x ^= x << 5
  const storming = Math.floor(i / 1_000_000) % 2 === 0 && i % 10 < 3
  ids[i] = storming ? i % 20 : 20 + ((x >>> 0) % 100000)
  at[i] = 1763798400000 + i * 60
}

function loop() {
  const windows = new Map()
  const out = new Uint8Array(N)
  for (let i = 0; i < N; i++) {
    const k = ids[i]
    const t = at[i]
    let w = windows.get(k)
    if (w === undefined) windows.set(k, (w = []))
    w.push(t)
    while (w[0] <= t - WINDOW) w.shift()
    if (w.length > ENTER) out[i] = 1
  }
  return out
}

const d = new fleetops.StormDetector()
const { actions, events } = d.observeBatch(ids, at)
const count = (kind) => events.filter((e) => e.event === kind).length
console.log(`node    data: ${count('storm_started')} storms started, ${count('storm_ended')} ended, ${actions.filter((c) => c === 1).length} alerts suppressed`)
await rounds([
  { name: 'fleetops StormDetector.observeBatch(Float64Array)', run: () => new fleetops.StormDetector().observeBatch(ids, at), events: N },
  { name: 'Map + array sliding-window loop', run: loop, events: N },
])
