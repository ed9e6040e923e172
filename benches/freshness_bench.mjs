// Classify 1M (table, age) pairs from Node: fleetops' batch call vs the same loop in pure JS.
// Round-robin, median of 5 with min-max. Run with benches/run (builds the release binding first).
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { rounds } from './measure.mjs'

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

assert.deepEqual(policy.classifyAges(ages), pureJs(agesArray), 'fleetops and the pure loop disagree')
const names = policy.classNames
assert.deepEqual(Array.from(policy.classifyAgeCodes(ages), (c) => names[c]), pureJs(agesArray))
await rounds([
  { name: 'fleetops classifyAgeCodes(Float64Array)', run: () => policy.classifyAgeCodes(ages), events: N },
  { name: 'fleetops classifyAges(Float64Array)', run: () => policy.classifyAges(ages), events: N },
  { name: 'fleetops classifyAges(Array)', run: () => policy.classifyAges(agesArray), events: N },
  { name: 'pure-JS if-chain loop', run: () => pureJs(agesArray), events: N },
])
