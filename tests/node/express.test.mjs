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

// Every test runs on a pinned clock (no test reads the date): `clock.now` is the service's one
// clock, for the recorder, the routes and the rate limiter alike.
function fakeClock(iso) {
  let t = Date.parse(iso)
  return { now: () => t, advance: (ms) => { t += ms } }
}

async function serve(options = {}) {
  const app = createApp({ clock: fakeClock('2026-11-22T08:00:00Z').now, ...options })
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
  const clock = fakeClock('2026-11-22T08:00:00Z')
  const api = await serve({ clock: clock.now })
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
    clock.advance(999)
    assert.equal((await fetch(`${api.base}/api/vehicles`)).status, 429, 'still too early at 999 ms')
    clock.advance(1)
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
    // The counters the generated Prometheus rules read (fleetops rules), per objective.
    assert.equal(families.fleetops_slo_events_total.type, 'COUNTER')
    const counted = (family) => Number(families[family].metrics.find((m) => m.labels.objective === 'availability').value)
    assert.equal(counted('fleetops_slo_events_total'), 11)
    assert.equal(counted('fleetops_slo_good_events_total'), 10)
    assert.equal(Number(families.fleetops_slo_maintenance.metrics[0].value), 0)
  } finally {
    await api.close()
  }
})

test('/health is healthy, degraded when the database is slow, down (503) when it fails', async () => {
  const clock = fakeClock('2026-11-22T08:00:00Z')
  const api = await serve({ clock: clock.now })
  const db = api.app.locals.db
  try {
    clock.advance(90_500)
    let res = await fetch(`${api.base}/health`)
    let body = await res.json()
    assert.equal(res.status, 200)
    assert.equal(body.status, 'healthy')
    // Timestamp and uptime come from the service's clock, the one its recorder uses.
    assert.equal(body.timestamp, '2026-11-22T08:01:30.500Z')
    assert.equal(body.uptime, 90)
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

const { sloMiddleware } = require('fleetops/express')
const express = require('express')
const http = require('node:http')

const listen = (handler) =>
  new Promise((resolve) => {
    const server = http.createServer(handler)
    server.listen(0, '127.0.0.1', () => resolve(server))
  })
const stop = (server) => new Promise((resolve) => server.close(resolve))
const url = (server, path) => `http://127.0.0.1:${server.address().port}${path}`

test('slo.attach(server) records every response of any Node http server, latency included', async () => {
  const slo = sloMiddleware({ clock: fakeClock('2026-11-22T08:00:00Z').now })
  const server = await listen((req, res) => {
    const status = Number(req.url.slice(1))
    setTimeout(() => { res.statusCode = status; res.end() }, status === 503 ? 60 : 0)
  })
  const other = await listen((req, res) => res.end()) // not attached: not recorded
  try {
    assert.equal(slo.attach(server), server)
    for (const path of ['/200', '/201', '/503', '/404']) await (await fetch(url(server, path))).text()
    await (await fetch(url(other, '/200'))).text()
    const status = slo.status()
    assert.equal(status.recorded, 4)
    assert.equal(availability(status).total, 4)
    assert.equal(availability(status).bad, 1)
    assert.equal(status.latency.count, 4)
    // The 503 was held 60 ms by the handler; its latency runs from the request's start. Node's timers
    // may fire a little early against a clock read later in the loop, so leave them 10 ms of slack.
    assert.ok(status.latency.p999Ms >= 50, `slowest ${status.latency.p999Ms} ms`)
  } finally {
    slo.close()
    await stop(server)
    await stop(other)
  }
})

test('app.use(slo) records only the requests that pass through it; close() stops recording', async () => {
  const clock = fakeClock('2026-11-22T08:00:00Z')
  const all = sloMiddleware({ clock: clock.now })
  const api = sloMiddleware({ clock: clock.now })
  const app = express()
  app.use(all)
  app.use('/api', api)
  app.get('/api/ok', (req, res) => res.json({ ok: true }))
  app.get('/api/fail', (req, res) => res.status(502).json({ ok: false }))
  app.get('/home', (req, res) => res.send('home'))
  const server = await listen(app)
  try {
    for (const path of ['/api/ok', '/api/fail', '/home', '/home', '/missing']) await (await fetch(url(server, path))).text()
    assert.deepEqual([availability(all.status()).total, availability(all.status()).bad], [5, 1])
    assert.deepEqual([availability(api.status()).total, availability(api.status()).bad], [2, 1])
    api.close()
    await (await fetch(url(server, '/api/ok'))).text()
    assert.equal(all.status().recorded, 6)
    assert.equal(api.status().recorded, 2)
  } finally {
    all.close()
    api.close()
    await stop(server)
  }
})

test('more recorders than claim bits still record exactly what passed through each', async () => {
  const app = express()
  const clock = fakeClock('2026-11-22T08:00:00Z')
  const recorders = Array.from({ length: 40 }, () => sloMiddleware({ clock: clock.now }))
  recorders.forEach((slo, i) => app.use(`/r${i}`, slo))
  app.use((req, res) => res.send('ok'))
  const server = await listen(app)
  try {
    for (const i of [0, 5, 30, 31, 39, 39]) await (await fetch(url(server, `/r${i}/x`))).text()
    const counts = recorders.map((slo) => slo.status().recorded)
    const expected = recorders.map((_, i) => [0, 5, 30, 31, 39, 39].filter((j) => j === i).length)
    assert.deepEqual(counts, expected)
  } finally {
    recorders.forEach((slo) => slo.close())
    await stop(server)
  }
})

test('pipelined requests on one connection get their own start times', async () => {
  const slo = sloMiddleware({ clock: fakeClock('2026-11-22T08:00:00Z').now })
  const server = await listen((req, res) => {
    // The first request is answered last: its response still goes out first (HTTP/1.1 order).
    setTimeout(() => { res.statusCode = req.url === '/slow' ? 500 : 200; res.end('x') }, req.url === '/slow' ? 80 : 0)
  })
  slo.attach(server)
  try {
    const net = require('node:net')
    const socket = net.connect(server.address().port, '127.0.0.1')
    await new Promise((resolve) => socket.once('connect', resolve))
    let received = ''
    socket.on('data', (d) => { received += d })
    socket.write('GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET /fast HTTP/1.1\r\nHost: x\r\n\r\nGET /fast HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
    await new Promise((resolve) => socket.once('close', resolve))
    assert.equal(received.match(/HTTP\/1.1 /g).length, 3)
    const status = slo.status()
    assert.equal(status.recorded, 3)
    assert.equal(availability(status).bad, 1)
    // All three waited for the slow one, which was held 80 ms from its own start (slack for early timers).
    assert.ok(status.latency.p50Ms >= 60, `median ${status.latency.p50Ms} ms`)
  } finally {
    slo.close()
    await stop(server)
  }
})

test('a service on a clock in a past month serves /slo and /health/metrics for that month', async () => {
  // The bug this pins: /slo and /health/metrics judged at the wall clock, so a recorder on a
  // clock in another calendar month served an empty month. Both must read the recorder's clock.
  const clock = fakeClock('2026-10-15T12:00:00Z')
  const api = await serve({ clock: clock.now })
  try {
    for (let i = 0; i < 9; i++) await fetch(`${api.base}/api/vehicles`)
    await fetch(`${api.base}/api/reports/fuel`)
    clock.advance(60_000)
    const slo = await (await fetch(`${api.base}/slo`)).json()
    assert.equal(slo.period.start, '2026-10-01T00:00:00Z')
    assert.equal(slo.period.end, '2026-11-01T00:00:00Z')
    assert.deepEqual([availability(slo).total, availability(slo).bad], [10, 1])
    const families = Object.fromEntries(parsePrometheus(await (await fetch(`${api.base}/health/metrics`)).text()).map((f) => [f.name, f]))
    const sli = families.fleetops_slo_sli.metrics.find((m) => m.labels.objective === 'availability')
    // The ten API requests and the /slo call before this scrape: 10 good of 11.
    assert.equal(Number(sli.value), 10 / 11)
    assert.equal(Number(families.fleetops_requests_recorded_total.metrics[0].value), 11)
    // An explicit instant is accepted wherever a status is read: the same month, the day after.
    const later = api.app.locals.slo.status('2026-10-16T12:00:00Z')
    assert.equal(later.period.start, '2026-10-01T00:00:00Z')
    assert.equal(availability(later).total, 12)
  } finally {
    await api.close()
  }
})

test('idle gaps longer than every tolerance, then errors: the budget moves by exactly their count', async () => {
  // The service's clock jumps past maxFuture (5 min), the fast burn windows (1 h), the slow one
  // (3 d) and more; after each gap five 500s must count as five bad requests, no fewer.
  const clock = fakeClock('2026-11-02T08:00:00Z')
  const api = await serve({ clock: clock.now })
  const read = async () => availability(await (await fetch(`${api.base}/slo`)).json())
  try {
    let before = await read()
    for (const gap of [6 * 60_000, 2 * 3_600_000, 3 * 86_400_000 + 1, 10 * 86_400_000]) {
      clock.advance(gap)
      for (let i = 0; i < 5; i++) assert.equal((await fetch(`${api.base}/api/reports/fuel`)).status, 500)
      const after = await read()
      assert.equal(after.bad - (before.bad ?? 0), 5, `after a ${gap} ms gap`)
      // The five and the previous /slo read (recorded as it finished).
      assert.equal(after.total - (before.total ?? 0), 6, `after a ${gap} ms gap`)
      before = after
    }
    const status = api.app.locals.slo.status()
    assert.equal(status.dropped.future + status.dropped.tooOld, 0)
  } finally {
    await api.close()
  }
})
