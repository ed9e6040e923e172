// fleetops/express overhead: the example route served with and without the SLO middleware,
// side by side in one run (autocannon against a server in a child process), plus the
// middleware's own per-request cost measured directly.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { EventEmitter } from 'node:events'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const requireNode = createRequire(join(root, 'bindings-node', 'package.json'))
const autocannon = requireNode('autocannon')

if (process.argv[2] === 'serve') {
  const requireExample = createRequire(join(root, 'examples', 'express', 'package.json'))
  const express = requireExample('express')
  const { sloMiddleware } = requireExample('fleetops/express')
  const variant = process.argv[3]
  const app = express()
  // 'noop' is an empty middleware: what Express's own dispatch of one more layer costs.
  if (variant === 'noop') app.use((req, res, next) => next())
  if (variant === 'slo') app.use(sloMiddleware())
  app.get('/api/vehicles', (req, res) => res.json([{ id: 'TRK-001', status: 'on_route' }]))
  const server = app.listen(0, '127.0.0.1', () => process.send(server.address().port))
} else {
  const run = async (variant) => {
    // The server gets core 1 and autocannon core 0 (when taskset is there), so the two do not
    // trade places mid-run: the variants differ by a few µs, less than that noise otherwise.
    const args = [process.execPath, fileURLToPath(import.meta.url), 'serve', variant]
    const pinned = existsSync('/usr/bin/taskset')
    const child = spawn(pinned ? '/usr/bin/taskset' : args[0], pinned ? ['-c', '1', ...args] : args.slice(1), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    const port = await new Promise((resolve) => child.once('message', resolve))
    const url = `http://127.0.0.1:${port}/api/vehicles`
    await autocannon({ url, connections: 10, duration: 2 }) // warm-up
    const r = await autocannon({ url, connections: 10, duration: 5 })
    child.kill()
    return r.requests.average
  }
  const rounds = []
  for (let i = 0; i < 3; i++) rounds.push([await run('plain'), await run('noop'), await run('slo')])
  const [plain, noop, slo] = [0, 1, 2].map((k) => Math.max(...rounds.map((r) => r[k])))
  const us = (a, b) => (1e6 / a - 1e6 / b).toFixed(2)
  console.log(`express  plain route                 ${plain.toFixed(0)} req/s`)
  console.log(`express  + empty middleware          ${noop.toFixed(0)} req/s  (+${us(noop, plain)} µs/request: Express's layer dispatch)`)
  console.log(`express  + sloMiddleware             ${slo.toFixed(0)} req/s  (+${us(slo, plain)} µs/request vs plain, +${us(slo, noop)} µs vs an empty middleware)`)

  // The middleware alone: per request, a 'finish' listener, three array writes,
  // and one core call per 4096 requests.
  const { sloMiddleware } = createRequire(join(root, 'examples', 'express', 'package.json'))('fleetops/express')
  const mw = sloMiddleware()
  const n = 1_000_000
  const res = new EventEmitter()
  res.statusCode = 200
  const next = () => {}
  const t0 = process.hrtime.bigint()
  for (let i = 0; i < n; i++) {
    mw(null, res, next)
    res.emit('finish')
  }
  mw.flush()
  const ns = Number(process.hrtime.bigint() - t0) / n
  console.log(`express  sloMiddleware alone        ${(ns / 1000).toFixed(3)} µs/request (${n} requests, recorded ${mw.tracker.status().recorded})`)
}
