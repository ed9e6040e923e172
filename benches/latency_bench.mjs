// Record 10M latencies and read p50/p95/p99/p99.9 from Node: fleetops' batch call against
// hdr-histogram-js (WebAssembly and pure JS) on the same latencies, round-robin. Run with
// benches/run.
import { createRequire } from 'node:module'
import { rounds } from './measure.mjs'

const require = createRequire(import.meta.url)
const { LatencyHistogram } = require('../bindings-node/index.js')
const hdr = require('./node_modules/hdr-histogram-js')

const N = 10_000_000
let seed = 11
const uniform = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) + 1) / 2147483649
// Log-normal latencies in ms (median ~90 ms), by Box-Muller.
const latencies = new Float64Array(N).map(() => Math.exp(4.5 + 0.6 * Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform())))
const micros = latencies.map((v) => Math.round(v * 1000))
const PS = [50, 95, 99, 99.9]

function hdrLoop(useWebAssembly) {
  const h = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3, useWebAssembly })
  for (let i = 0; i < N; i++) h.recordValue(micros[i])
  const qs = PS.map((p) => h.getValueAtPercentile(p) / 1000)
  if (useWebAssembly) h.destroy()
  return qs
}

function fleetops() {
  const h = new LatencyHistogram()
  h.recordBatch(latencies)
  return PS.map((p) => h.percentile(p))
}

await hdr.initWebAssembly()
const [ours, wasm] = [fleetops(), hdrLoop(true)]
ours.forEach((q, i) => {
  if (Math.abs(q - wasm[i]) > wasm[i] * 0.002 + 0.002) throw new Error(`p${PS[i]}: ${q} vs ${wasm[i]}`)
})
await rounds([
  { name: 'fleetops LatencyHistogram.recordBatch(Float64Array)', run: fleetops, events: N },
  { name: 'hdr-histogram-js recordValue loop (WebAssembly)', run: () => hdrLoop(true), events: N },
  { name: 'hdr-histogram-js recordValue loop (JS)', run: () => hdrLoop(false), events: N },
])
