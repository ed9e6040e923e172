// Every case of tests/vectors/slo_maintenance.json through maintenanceWindows and SloTracker
// (maintenance windows, corrections, save and restore).
import { camelKeys, checked, fleetops, loadCases, testCases } from './helpers.mjs'

const { SloTracker, maintenanceWindows } = fleetops
const cases = loadCases('slo_maintenance.json')

function traffic(c) {
  const at = []
  const ok = []
  const latency = []
  for (const run of c.traffic) {
    const start = Date.parse(run.from)
    for (let k = 0; k < run.count; k++) {
      at.push(start + k * run.every_s * 1000)
      ok.push(run.ok ? 1 : 0)
      latency.push(run.latency_ms ?? NaN)
    }
  }
  return [new Float64Array(at), new Uint8Array(ok), new Float64Array(latency)]
}

function announce(t, a) {
  checked('SloTracker.announce_maintenance', t.announceMaintenance(a.start, a.end, { name: a.name, notice: a.notice }, a.at))
}

testCases(cases, (c) => {
  if (c.op === 'windows') return checked('maintenance_windows', maintenanceWindows(camelKeys(c.windows), c.start, c.end))
  let t = new SloTracker(camelKeys(c.tracker))
  for (const a of c.announce ?? []) announce(t, a)
  const [at, ok, latency] = traffic(c)
  t.recordBatch(at, ok, latency, c.now)
  for (const step of c.steps ?? []) {
    if (step.restore) t = SloTracker.fromBytes(t.toBytes())
    else if (step.announce) announce(t, step.announce)
    else t.correct(step.correct.start, step.correct.end, step.correct.reason, c.now)
  }
  checked('SloTracker.corrections', t.corrections())
  checked('SloTracker.announced_maintenance', t.announcedMaintenance())
  return checked('SloTracker.status', t.status(c.now))
})
