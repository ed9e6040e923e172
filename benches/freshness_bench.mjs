// Classify 1M (table, age) pairs from Node: fleetops' batch call vs the same loop in pure JS.
// Run with benches/run (builds the release binding first).
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'

const { FreshnessPolicy } = createRequire(import.meta.url)('../bindings-node/index.js')

const N = 1_000_000
let x = 7
const rand = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648)
const ages = new Float64Array(N).map(() => rand() * 172_800)
const agesArray = Array.from(ages)
const policy = FreshnessPolicy.runbook()

// What a service author would write by hand: the runbook's tiers as an if-chain.
function pureJs(values) {
  const out = new Array(values.length)
  for (let i = 0; i < values.length; i++) {
    const age = values[i]
    out[i] = age < -300 ? 'FUTURE' : age <= 3600 ? 'EXCELLENT' : age <= 21600 ? 'GOOD' : age <= 43200 ? 'ACCEPTABLE' : 'POOR'
  }
  return out
}

function bestOf(fn, repeat = 5) {
  let best = Infinity
  for (let i = 0; i < repeat; i++) {
    const start = process.hrtime.bigint()
    fn()
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e9)
  }
  return best
}

assert.deepEqual(policy.classifyAges(ages), pureJs(agesArray), 'fleetops and the pure loop disagree')
const names = policy.classNames
assert.deepEqual(Array.from(policy.classifyAgeCodes(ages), (c) => names[c]), pureJs(agesArray))
const rows = [
  ['node    fleetops classifyAgeCodes(Float64Array)', bestOf(() => policy.classifyAgeCodes(ages))],
  ['node    fleetops classifyAges(Float64Array)', bestOf(() => policy.classifyAges(ages))],
  ['node    fleetops classifyAges(Array)       ', bestOf(() => policy.classifyAges(agesArray))],
  ['node    pure-JS if-chain loop              ', bestOf(() => pureJs(agesArray))],
]
const base = rows[rows.length - 1][1]
for (const [name, secs] of rows) {
  console.log(`${name}  ${(N / secs / 1e6).toFixed(1).padStart(7)} M events/s  ${(secs * 1e3).toFixed(1).padStart(7)} ms  x${(base / secs).toFixed(1).padStart(5)} vs pure`)
}
