// A batch large enough to be judged on two threads (65,536 alerts or more) gives what the same
// alerts give judged in smaller batches on one: actions, events, totals and saved state.
import assert from 'node:assert/strict'
import test from 'node:test'
import { checked, fleetops } from './helpers.mjs'

const N = 200_000
const T0 = Date.UTC(2025, 10, 22)

// 5,000 trucks alerting every 20 ms between them; every 40,000 alerts one truck storms (100
// alerts in 40 s), and 20 minutes later it alerts once more, which ends the storm; truck 42
// is muted from minute 16:40 to 30.
function stream() {
  const ids = new Float64Array(N)
  const atMs = new Float64Array(N)
  let x = 7
  for (let i = 0; i < N; i++) {
    x = (x * 1103515245 + 12345) % 2147483648
    ids[i] = x % 5000
    atMs[i] = T0 + i * 20
  }
  for (let start = 5000; start < N; start += 40_000) {
    for (let i = start; i < start + 2000; i += 20) ids[i] = 10_000 + start
    if (start + 60_000 < N) ids[start + 60_000] = 10_000 + start
  }
  ids[70_001] = 42 // at 23 min 20 s: muted
  return { ids, atMs }
}

function judged(batch) {
  const d = new fleetops.StormDetector()
  d.setMutes([{ id: 'ks-1', key: '42', startsAt: new Date(T0 + 1_000_000).toISOString(), endsAt: new Date(T0 + 1_800_000).toISOString(), reason: 'sensor' }])
  const { ids, atMs } = stream()
  const codes = new Uint8Array(N)
  const events = []
  for (let lo = 0; lo < N; lo += batch) {
    const r = d.observeBatch(ids.subarray(lo, lo + batch), atMs.subarray(lo, lo + batch))
    codes.set(r.actions, lo)
    events.push(...checked('StormDetector.observe_batch.events', r.events))
  }
  return { codes, events, stats: d.stats(), saved: d.toBytes() }
}

test('one large batch equals small batches', () => {
  const large = judged(N)
  const small = judged(40_000)
  assert.deepEqual(large.codes, small.codes)
  assert.deepEqual(large.events, small.events)
  assert.deepEqual(large.stats, small.stats)
  assert.ok(large.saved.equals(small.saved), 'saved state')
  const kinds = new Set(large.events.map((e) => e.event))
  assert.ok(kinds.has('storm_started') && kinds.has('storm_ended'), [...kinds].join())
  assert.ok(large.stats.counts.muted > 0)
})

test('a detector shows the configuration it saves, in camelCase (durations in ms)', () => {
  const d = new fleetops.StormDetector({ preset: 'task_failures', enterAbove: 1 })
  assert.equal(d.config.enterAbove, 1)
  assert.equal(d.config.window, 3_600_000)
  assert.deepEqual(fleetops.StormDetector.fromBytes(d.toBytes()).config, d.config)
})
