// fleetops/express at its edges, over real HTTP on loopback: requests that never get a response
// still count against the SLO, /health never shows a check's raw error, and rate-limit keys
// follow the client, not the address it happens to use.
import assert from 'node:assert/strict'
import http from 'node:http'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const require = createRequire(join(root, 'examples', 'express', 'package.json'))
const { sloMiddleware, healthRouter, rateLimit } = require('fleetops/express')
const { clientKey } = require('fleetops')
const express = require('express')

// A pinned service clock: no test reads the date.
const clock = () => Date.parse('2026-11-22T08:00:00Z')

const listen = (server) => new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
const stop = (server) => new Promise((resolve) => { server.closeAllConnections?.(); server.close(resolve) })

/** A GET that resolves when its socket is gone, whatever happened to it. */
function get(port, path, { abortAfterMs } = {}) {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode))
      res.on('error', () => resolve('error'))
    })
    req.on('error', () => resolve('aborted'))
    if (abortAfterMs !== undefined) setTimeout(() => req.destroy(), abortAfterMs)
  })
}

async function until(condition, what) {
  for (let i = 0; i < 200; i++) {
    if (condition()) return
    await sleep(10)
  }
  assert.fail(`never: ${what}`)
}

test('a request that ends without a response counts as bad, once', async () => {
  const slo = sloMiddleware({ clock })
  const hung = []
  const server = http.createServer((req, res) => {
    if (req.url === '/hang') hung.push(res) // never answered: the client gives up
    else if (req.url === '/destroy') req.socket.destroy()
    else if (req.url === '/slow') { /* answered by nobody: the server's timeout ends it */ }
    else { res.statusCode = 500; res.end() }
  })
  server.setTimeout(150) // no 'timeout' listener: Node destroys an idle socket after 150 ms
  slo.attach(server)
  await listen(server)
  const port = server.address().port
  try {
    const outcomes = await Promise.all([
      ...Array.from({ length: 5 }, () => get(port, '/hang', { abortAfterMs: 50 })),
      ...Array.from({ length: 5 }, () => get(port, '/destroy')),
      ...Array.from({ length: 5 }, () => get(port, '/fail')),
      ...Array.from({ length: 2 }, () => get(port, '/slow')),
    ])
    assert.equal(outcomes.filter((o) => o === 500).length, 5)
    await until(() => slo.status().recorded === 17, `17 recorded, have ${slo.status().recorded}`)
    const a = slo.status().objectives.find((o) => o.name === 'availability').budget
    assert.deepEqual([a.total, a.bad], [17, 17])
    // Answering a hung request after its client left records nothing more.
    for (const res of hung) res.end()
    await sleep(50)
    assert.equal(slo.status().recorded, 17)
  } finally {
    slo.close()
    await stop(server)
  }
})

test('/health shows a failed check as down with a fixed summary; its error goes to the log only', async () => {
  const logged = []
  const secret = 'postgres://fleet_admin:S3cr3t-pw@db.internal:5432/fleet'
  const app = express()
  app.use(healthRouter({
    clock,
    checks: { database: () => { throw new Error(`connect ECONNREFUSED ${secret}`) }, cache: () => ({ latencyMs: 3 }) },
    log: (name, err) => logged.push([name, String(err.message)]),
  }))
  const server = await listen(http.createServer(app))
  try {
    const res = await fetch(`http://127.0.0.1:${server.address().port}/health`)
    const text = await res.text()
    assert.equal(res.status, 503)
    assert.ok(!text.includes('S3cr3t') && !text.includes('postgres://'), text)
    const body = JSON.parse(text)
    assert.equal(body.checks.database.status, 'down')
    assert.equal(body.checks.database.message, 'database is down')
    assert.equal(body.checks.cache.status, 'ok')
    assert.deepEqual(logged, [['database', `connect ECONNREFUSED ${secret}`]])
  } finally {
    await stop(server)
  }
})

test('clientKey: one IPv6 host is one /64, an IPv4-mapped address is its IPv4', () => {
  assert.equal(clientKey('2001:db8:1:2:aaaa::1'), '2001:db8:1:2::/64')
  assert.equal(clientKey('2001:db8:1:2:ffff:ffff:ffff:ffff'), '2001:db8:1:2::/64')
  assert.equal(clientKey('2001:db8:1:2::1', 48), '2001:db8:1::/48')
  assert.equal(clientKey('::ffff:192.0.2.1'), '192.0.2.1')
  assert.equal(clientKey('192.0.2.1'), '192.0.2.1')
  assert.equal(clientKey('api-key-7'), 'api-key-7')
  assert.throws(() => clientKey('::1', 0), { code: 'INVALID_ARGUMENT' })
  assert.throws(() => rateLimit({ ipv6Prefix: 129 }), { code: 'INVALID_ARGUMENT' })
})

test('rateLimit keys IPv6 clients by /64 and mapped IPv4 as IPv4 (trust proxy set, addresses from X-Forwarded-For)', async () => {
  const app = express()
  app.set('trust proxy', true) // the test's client plays the balancer
  app.use(rateLimit({ limit: 60, period: '1m', clock }))
  app.get('/', (req, res) => res.send('ok'))
  const server = await listen(http.createServer(app))
  const base = `http://127.0.0.1:${server.address().port}/`
  const from = (ip) => fetch(base, { headers: { 'x-forwarded-for': ip } }).then(async (r) => { await r.text(); return r.status })
  try {
    // 1,000 addresses of one /64: one budget of 60 (the burst), then 429.
    const statuses = []
    for (let i = 0; i < 100; i++) statuses.push(await from(`2001:db8:7:7:${i.toString(16)}::1`))
    assert.equal(statuses.filter((s) => s === 200).length, 60)
    // Another /64 has its own budget.
    assert.equal(await from('2001:db8:7:8::1'), 200)
    // ::ffff:192.0.2.1 and 192.0.2.1 are one client.
    for (let i = 0; i < 30; i++) assert.equal(await from('192.0.2.1'), 200)
    for (let i = 0; i < 30; i++) assert.equal(await from('::ffff:192.0.2.1'), 200)
    assert.equal(await from('192.0.2.1'), 429)
  } finally {
    await stop(server)
  }
})
