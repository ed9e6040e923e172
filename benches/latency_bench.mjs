// Record 10M latencies and read p50/p95/p99/p99.9 from Node: fleetops' batch call vs
// hdr-histogram-js (pure JS and WebAssembly). Run with benches/run.
import { createRequire } from 'node:module'

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

function time(fn) {
  const start = process.hrtime.bigint()
  const out = fn()
  return [Number(process.hrtime.bigint() - start) / 1e9, out]
}

function report(name, [secs, qs]) {
  const rate = (N / secs / 1e6).toFixed(1).padStart(8)
  const ns = ((secs * 1e9) / N).toFixed(2).padStart(6)
  console.log(`node    ${name.padEnd(42)} ${rate} M events/s  ${ns} ns/event  p50/95/99/99.9 = ${qs.map((q) => q.toFixed(1)).join(', ')} ms`)
}

function hdrLoop(useWebAssembly) {
  const h = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3, useWebAssembly })
  for (let i = 0; i < N; i++) h.recordValue(micros[i])
  const qs = PS.map((p) => h.getValueAtPercentile(p) / 1000)
  if (useWebAssembly) h.destroy()
  return qs
}

const best = (fn) => [0, 1, 2].map(() => time(fn)).reduce((a, b) => (a[0] <= b[0] ? a : b))
report('fleetops LatencyHistogram.recordBatch', best(() => {
  const h = new LatencyHistogram()
  h.recordBatch(latencies)
  return PS.map((p) => h.percentile(p))
}))
report('hdr-histogram-js recordValue loop (JS)', time(() => hdrLoop(false)))
await hdr.initWebAssembly()
report('hdr-histogram-js recordValue loop (WASM)', time(() => hdrLoop(true)))
