// Every case of tests/vectors/slo_maintenance.json through maintenanceWindows and SloTracker
// (maintenance windows, corrections, save and restore).
import { camelKeys, checked, fleetops, loadCases, testCases } from './helpers.mjs'

const { SloTracker, maintenanceWindows } = fleetops
const cases = loadCases('slo_maintenance.json')

function traffic(c) {
  const at = []
  const ok = []
  for (const run of c.traffic) {
    const start = Date.parse(run.from)
    for (let k = 0; k < run.count; k++) {
      at.push(start + k * run.every_s * 1000)
      ok.push(run.ok ? 1 : 0)
    }
  }
  return [new Float64Array(at), new Uint8Array(ok)]
}

testCases(cases, (c) => {
  if (c.op === 'windows') return checked('maintenance_windows', maintenanceWindows(camelKeys(c.windows), c.start, c.end))
  let t = new SloTracker(camelKeys(c.tracker))
  const [at, ok] = traffic(c)
  t.recordBatch(at, ok, null, c.now)
  for (const step of c.steps ?? []) {
    if (step.restore) t = SloTracker.fromBytes(t.toBytes())
    else t.correct(step.correct.start, step.correct.end, step.correct.reason, c.now)
  }
  checked('SloTracker.corrections', t.corrections())
  return checked('SloTracker.status', t.status(c.now))
})
