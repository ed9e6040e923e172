// The example fleet API (examples/express) on a loopback port, driven over real HTTP with fetch:
// fleetops/express records the SLO, serves the runbook's health endpoints and rate-limits.
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const require = createRequire(join(root, 'examples', 'express', 'package.json'))
const { createApp } = require('./server.js')
const parsePrometheus = createRequire(join(root, 'bindings-node', 'package.json'))('parse-prometheus-text-format')

async function serve(options) {
  const app = createApp(options)
  const server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s))
  })
  const base = `http://127.0.0.1:${server.address().port}`
  return { app, base, close: () => new Promise((resolve) => server.close(resolve)) }
}

const availability = (status) => status.objectives.find((o) => o.name === 'availability').budget

test('error responses move the budget by exactly their count; client errors do not', async () => {
  const api = await serve()
  try {
    const before = availability(await (await fetch(`${api.base}/slo`)).json())
    const statuses = []
    for (let i = 0; i < 20; i++) statuses.push((await fetch(`${api.base}/api/vehicles`)).status)
    for (let i = 0; i < 5; i++) statuses.push((await fetch(`${api.base}/api/reports/fuel`)).status)
    for (let i = 0; i < 3; i++) statuses.push((await fetch(`${api.base}/api/vehicles/TRK-999`)).status)
    assert.deepEqual(statuses.filter((s) => s === 500).length, 5)
    assert.deepEqual(statuses.filter((s) => s === 404).length, 3)
    const after = availability(await (await fetch(`${api.base}/slo`)).json())
    // 28 API requests and the first /slo call itself (recorded when it finished).
    assert.equal(after.total - (before.total ?? 0), 29)
    assert.equal(after.bad - (before.bad ?? 0), 5)
    assert.ok(Math.abs(after.remainingEvents - (after.budgetEvents - after.bad)) < 1e-9)
  } finally {
    await api.close()
  }
})

test('the 61st request in a minute gets 429 with a correct Retry-After', async () => {
  let now = Date.parse('2026-11-22T08:00:00Z')
  const api = await serve({ clock: () => now })
  try {
    for (let i = 1; i <= 60; i++) {
      const r = await fetch(`${api.base}/api/vehicles`)
      assert.equal(r.status, 200, `request ${i}`)
      assert.equal(r.headers.get('ratelimit-remaining'), String(60 - i))
    }
    const denied = await fetch(`${api.base}/api/vehicles`)
    assert.equal(denied.status, 429)
    // GCRA at 60/min with a burst of 60: after 60 at one instant the next is allowed 1 s later.
    assert.equal(denied.headers.get('retry-after'), '1')
    assert.equal((await denied.json()).retryAfter, 1)
    now += 999
    assert.equal((await fetch(`${api.base}/api/vehicles`)).status, 429, 'still too early at 999 ms')
    now += 1
    assert.equal((await fetch(`${api.base}/api/vehicles`)).status, 200, 'allowed after Retry-After')
    // Probes are never limited.
    assert.equal((await fetch(`${api.base}/health/liveness`)).status, 200)
    // The 429s are client errors: not against the availability budget.
    const slo = await (await fetch(`${api.base}/slo`)).json()
    assert.equal(availability(slo).bad, 0)
  } finally {
    await api.close()
  }
})

test('/health/metrics parses as Prometheus text with the SLO metrics', async () => {
  const api = await serve()
  try {
    for (let i = 0; i < 10; i++) await fetch(`${api.base}/api/vehicles`)
    await fetch(`${api.base}/api/reports/fuel`)
    const res = await fetch(`${api.base}/health/metrics`)
    assert.equal(res.status, 200)
    assert.match(res.headers.get('content-type'), /^text\/plain; version=0\.0\.4/)
    const families = Object.fromEntries(parsePrometheus(await res.text()).map((f) => [f.name, f]))
    for (const name of ['fleetops_slo_sli', 'fleetops_slo_error_budget_remaining_ratio', 'fleetops_slo_burn_rate', 'fleetops_slo_burn_alert_firing', 'fleetops_request_latency_ms', 'fleetops_requests_recorded_total']) {
      assert.ok(families[name], `${name} missing`)
    }
    assert.equal(families.fleetops_requests_recorded_total.type, 'COUNTER')
    const sli = families.fleetops_slo_sli.metrics.find((m) => m.labels.objective === 'availability')
    assert.equal(Number(sli.value), 10 / 11)
    const windows = families.fleetops_slo_burn_rate.metrics.filter((m) => m.labels.objective === 'availability').map((m) => m.labels.window)
    assert.deepEqual(windows.sort(), ['1h', '30m', '3d', '5m', '6h'])
    const quantiles = families.fleetops_request_latency_ms.metrics.map((m) => m.labels.quantile)
    assert.deepEqual(quantiles, ['0.5', '0.95', '0.99', '0.999'])
  } finally {
    await api.close()
  }
})

test('/health is healthy, degraded when the database is slow, down (503) when it fails', async () => {
  const api = await serve()
  const db = api.app.locals.db
  try {
    let res = await fetch(`${api.base}/health`)
    let body = await res.json()
    assert.equal(res.status, 200)
    assert.equal(body.status, 'healthy')
    assert.equal(body.checks.database.status, 'ok')
    assert.deepEqual(body.checks.database.details, { totalConnections: 10, idleConnections: 8, waitingConnections: 0 })
    db.pingMs = 1200
    body = await (await fetch(`${api.base}/health`)).json()
    assert.equal(body.status, 'degraded')
    assert.equal(body.checks.database.latency, 1200)
    db.up = false
    res = await fetch(`${api.base}/health`)
    assert.equal(res.status, 503)
    assert.equal((await res.json()).status, 'down')
    assert.equal((await fetch(`${api.base}/health/readiness`)).status, 503)
    assert.equal((await fetch(`${api.base}/health/liveness`)).status, 200)
  } finally {
    await api.close()
  }
})
