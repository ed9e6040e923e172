// fleetops/express overhead: what recording adds to a real Express server under autocannon,
// side by side in one run, plus the recorder's own per-request cost measured directly.
//
// On these VMs one server process runs a few µs per request faster or slower than another
// running the same code, and throughput drifts over a minute by as much: more than the
// differences measured. So each server switches recording on and off while it runs (IPC
// between 1 s autocannon windows), and recording is judged by the median of the paired
// differences inside the same process; several processes per mode.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import diagnosticsChannel from 'node:diagnostics_channel'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const requireNode = createRequire(join(root, 'bindings-node', 'package.json'))
const autocannon = requireNode('autocannon')
const processes = Number(process.env.EXPRESS_BENCH_PROCESSES ?? 4)
const pairs = Number(process.env.EXPRESS_BENCH_PAIRS ?? 12)

if (process.argv[2] === 'serve') {
  const requireExample = createRequire(join(root, 'examples', 'express', 'package.json'))
  const express = requireExample('express')
  const { sloMiddleware } = requireExample('fleetops/express')
  const { SloTracker } = requireExample('fleetops')
  const mode = process.argv[3]
  const tracker = new SloTracker()
  let slo = null
  const app = express()
  // 'use': the recorder as a middleware; while off, the layer stays and just calls next(),
  // so the difference is recording, not Express's dispatch of one more layer.
  if (mode === 'use') app.use((req, res, next) => (slo === null ? next() : slo(req, res, next)))
  app.get('/api/vehicles', (req, res) => res.json([{ id: 'TRK-001', status: 'on_route' }]))
  const server = app.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }))
  let served = 0
  server.on('request', () => served++)
  process.on('message', (command) => {
    if (command === 'on' && slo === null) {
      slo = sloMiddleware({ tracker })
      if (mode === 'attach') slo.attach(server)
    } else if (command === 'off' && slo !== null) {
      slo.close()
      slo = null
    }
    if (slo !== null) slo.flush()
    const cpu = process.cpuUsage()
    process.send({ cpu: cpu.user + cpu.system, served, recorded: tracker.status().recorded })
  })
} else {
  const pinned = existsSync('/usr/bin/taskset')
  const send = (child, command) => new Promise((resolve) => { child.once('message', resolve); child.send(command) })
  // One server process (core 1; autocannon on core 0): `pairs` rounds of recording off then
  // on (the order alternating), each a 1 s autocannon window.
  const measure = async (mode) => {
    const args = [process.execPath, fileURLToPath(import.meta.url), 'serve', mode]
    const child = spawn(pinned ? '/usr/bin/taskset' : args[0], pinned ? ['-c', '1', ...args] : args.slice(1), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    const { port } = await new Promise((resolve) => child.once('message', resolve))
    const url = `http://127.0.0.1:${port}/api/vehicles`
    const window = async (command) => {
      const before = await send(child, command)
      const rps = (await autocannon({ url, connections: 10, duration: 1 })).requests.average
      const after = await send(child, '?')
      return { rps, cpu: (after.cpu - before.cpu) / (after.served - before.served), recorded: after.recorded - before.recorded, served: after.served - before.served }
    }
    await window('on') // warm-up, both paths
    await window('off')
    const rows = []
    for (let i = 0; i < pairs; i++) {
      const first = await window(i % 2 ? 'on' : 'off')
      const second = await window(i % 2 ? 'off' : 'on')
      rows.push(i % 2 ? { on: first, off: second } : { off: first, on: second })
    }
    child.kill()
    return rows
  }
  const median = (xs) => xs.slice().sort((a, b) => a - b)[xs.length >> 1]
  const sign = (x) => `${x >= 0 ? '+' : ''}${x.toFixed(2)}`
  // The median's 95 % confidence interval without assuming a distribution: the order
  // statistics k and n + 1 - k of the sorted differences, k from the binomial(n, 1/2) tail
  // (normal approximation). The quartiles say how noisy one window is; this says how well
  // the median of all of them is known.
  const medianInterval = (sorted) => {
    const n = sorted.length
    const k = Math.max(1, Math.floor(n / 2 - 0.98 * Math.sqrt(n)))
    return [sorted[k - 1], sorted[n - k]]
  }
  console.log(`express  ${processes} server processes per mode, ${pairs} off/on pairs of 1 s windows each; medians`)
  for (const [mode, what] of [['attach', 'slo.attach(server)'], ['use', 'app.use(slo)']]) {
    const rows = []
    for (let p = 0; p < processes; p++) rows.push(...(await measure(mode)))
    for (const r of rows) {
      if (r.on.recorded !== r.on.served || r.off.recorded !== 0) throw new Error(`${mode}: recorded ${r.on.recorded} of ${r.on.served} (and ${r.off.recorded} while off)`)
    }
    const off = median(rows.map((r) => r.off.rps))
    const on = median(rows.map((r) => r.on.rps))
    const diffs = rows.map((r) => 1e6 / r.on.rps - 1e6 / r.off.rps).sort((a, b) => a - b)
    const us = median(diffs)
    const [q1, q3] = [diffs[diffs.length >> 2], diffs[(3 * diffs.length) >> 2]]
    const [lo, hi] = medianInterval(diffs)
    const cpus = rows.map((r) => r.on.cpu - r.off.cpu).sort((a, b) => a - b)
    const [cpuLo, cpuHi] = medianInterval(cpus)
    const baseline = mode === 'use' ? 'an empty middleware' : 'no recording'
    console.log(`express  ${what.padEnd(20)} ${on.toFixed(0).padStart(6)} req/s vs ${off.toFixed(0)} with ${baseline}: ${sign(us)} µs/request (95 % CI ${sign(lo)}, ${sign(hi)}; window quartiles ${sign(q1)}, ${sign(q3)}); server CPU ${sign(median(cpus))} µs/request (95 % CI ${sign(cpuLo)}, ${sign(cpuHi)})`)
  }

  // The recorder alone: per request, the start stamp and the finish message as Node publishes
  // them, three array writes, and one core call per 4096 requests.
  const { sloMiddleware } = createRequire(join(root, 'examples', 'express', 'package.json'))('fleetops/express')
  const slo = sloMiddleware()
  const server = {}
  slo.attach(server)
  const start = diagnosticsChannel.channel('http.server.request.start')
  const finish = diagnosticsChannel.channel('http.server.response.finish')
  const n = 1_000_000
  const t0 = process.hrtime.bigint()
  const socket = {}
  for (let i = 0; i < n; i++) {
    const request = {}
    const response = { statusCode: 200 }
    start.publish({ request, response, socket, server })
    finish.publish({ request, response, socket, server })
  }
  slo.close()
  const ns = Number(process.hrtime.bigint() - t0) / n
  console.log(`express  recorder alone               ${(ns / 1000).toFixed(3)} µs/request (${n} requests, recorded ${slo.tracker.status().recorded})`)
}
