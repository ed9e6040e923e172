'use strict'
// fleetops/express: Express middleware and routes on top of the binding. Every judgement
// (what counts as bad, budgets, burn rates, health, rate limits, the Prometheus text) is made
// by the Rust core; this file only measures requests, batches them and answers HTTP.

const {
  SloTracker,
  RateLimiter,
  httpOutcomes,
  assessHealth,
  clientKey,
  healthCheckFailedMessage,
  CLOCK_RESYNC_MS,
  DEFAULT_CHECK_TIMEOUT_MS,
  DEFAULT_RECORD_BATCH,
  NO_RESPONSE_STATUS,
} = require('./fleetops.js')
const requestTiming = require('./request-timing.js')

/**
 * Records every request's outcome and latency into an SloTracker. Requests are buffered in
 * typed arrays and handed to the core in one call per `batchSize` requests (and before every
 * read through `flush()`), so recording costs a few array writes per request.
 *
 * Use it as a middleware (`app.use(slo)`: the requests that pass through it) or attach it to a
 * server (`slo.attach(server)`: every request the server answers, with no Express layer to
 * dispatch). Latency runs from Node's request start to the response's end. A request that ends
 * without a response (the client gave up, the socket was destroyed, the server timed it out)
 * is recorded once, as bad, when its connection closes. Only requests served by Node's
 * http/https server are recorded (not a mocked `res`). `close()` flushes and stops recording.
 */
function sloMiddleware(options = {}) {
  const tracker = options.tracker ?? new SloTracker(options.slo)
  const badStatuses = options.badStatuses ?? []
  const batchSize = options.batchSize ?? DEFAULT_RECORD_BATCH
  const clock = options.clock
  // The service's one clock: every timestamp recorded and every status served reads it.
  const now = clock ?? Date.now
  const at = new Float64Array(batchSize)
  const status = new Uint16Array(batchSize)
  const latency = new Float64Array(batchSize)
  const servers = []
  let n = 0
  // Wall-clock time as performance.now() plus an offset re-read from Date.now() at most once a
  // second, so one clock read per request serves both the timestamp and the latency and the
  // monotonic clock never drifts from the wall clock (NTP, steps) for longer than that.
  let synced = performance.now()
  let offset = Date.now() - synced

  function flush() {
    if (n === 0) return 0
    const ok = httpOutcomes(status.subarray(0, n), badStatuses)
    // Judged at the service's clock: "future" is ahead of it, never of the last request.
    const dropped = tracker.recordBatch(at.subarray(0, n), ok, latency.subarray(0, n), now())
    n = 0
    return dropped
  }

  function record(message, start, end, claimed, aborted) {
    const res = message.response
    if (!claimed && !servers.includes(message.server)) return
    if (end - synced > CLOCK_RESYNC_MS) {
      synced = end
      offset = Date.now() - end
    }
    at[n] = clock === undefined ? offset + end : clock()
    status[n] = aborted ? NO_RESPONSE_STATUS : res.statusCode
    latency[n] = end - start
    if (++n === batchSize) flush()
  }
  const timing = requestTiming.listen(record)

  function middleware(req, res, next) {
    timing.claim(req, res)
    next()
  }
  middleware.tracker = tracker
  middleware.flush = flush
  middleware.now = () => now()
  middleware.status = (at) => {
    flush()
    return tracker.status(at ?? now())
  }
  middleware.prometheus = (at, prefix) => {
    flush()
    return tracker.prometheus(at ?? now(), prefix)
  }
  middleware.attach = (server) => {
    if (!servers.includes(server)) servers.push(server)
    return server
  }
  middleware.close = () => {
    flush()
    timing.stop()
  }
  return middleware
}

/**
 * Times one dependency check: `{name, ok, latencyMs, message?, details?}` for assessHealth. A
 * failure's own words go to `log` only: a driver's error often holds a connection string.
 */
async function runCheck(name, check, timeoutMs, log) {
  const start = process.hrtime.bigint()
  let timer
  try {
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs)
    })
    const result = (await Promise.race([Promise.resolve().then(check), timeout])) ?? {}
    const latencyMs = Number(process.hrtime.bigint() - start) / 1e6
    return { name, ok: true, latencyMs: result.latencyMs ?? latencyMs, degradedAboveMs: result.degradedAboveMs, message: result.message, details: result.details }
  } catch (err) {
    log(name, err)
    return { name, ok: false }
  } finally {
    clearTimeout(timer)
  }
}

/**
 * The runbook's health endpoints (the fleet API runbook) and the SLO: `/health` (healthy / degraded / down
 * with each check), `/health/liveness`, `/health/readiness`, `/health/metrics` (Prometheus
 * text), and `/slo` (the tracker's status as JSON).
 *
 * `checks` maps a name to a function (sync or async) that throws when the dependency is down
 * and may return `{details, message, latencyMs, degradedAboveMs}`. A check that throws shows
 * clients only `<name> is down`; the error itself goes to `log(name, err)` (default
 * `console.error`), the server's log.
 */
function healthRouter(options = {}) {
  const express = require('express')
  const slo = options.slo
  // One clock per service: the recorder's, so /slo and /health/metrics judge the requests at
  // the time they were recorded by, and /health's timestamp and uptime agree with them.
  const clock = options.clock ?? (slo ? slo.now : Date.now)
  const checks = Object.entries(options.checks ?? {})
  const timeoutMs = options.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS
  const started = clock()
  const prefix = options.prefix // undefined: the core's default
  const log = options.log ?? ((name, err) => console.error(healthCheckFailedMessage(name), err))
  const router = express.Router()

  async function health() {
    const results = await Promise.all(checks.map(([name, check]) => runCheck(name, check, timeoutMs, log)))
    return assessHealth(results)
  }

  router.get('/health', async (req, res, next) => {
    try {
      const h = await health()
      const at = clock()
      res.status(h.httpStatus).json({
        status: h.status,
        timestamp: new Date(at).toISOString(),
        uptime: Math.floor((at - started) / 1000),
        version: options.version,
        environment: options.environment,
        checks: h.checks,
      })
    } catch (err) {
      next(err)
    }
  })
  router.get('/health/liveness', (req, res) => res.status(200).json({ status: 'alive' }))
  router.get('/health/readiness', async (req, res, next) => {
    try {
      const h = await health()
      res.status(h.httpStatus).json({ status: h.status })
    } catch (err) {
      next(err)
    }
  })
  router.get('/health/metrics', (req, res) => {
    if (!slo) return res.status(404).type('text/plain').send('no SLO tracker\n')
    res.type('text/plain; version=0.0.4; charset=utf-8').send(slo.prometheus(clock(), prefix))
  })
  router.get('/slo', (req, res) => {
    if (!slo) return res.status(404).json({ error: 'no SLO tracker' })
    res.json(slo.status(clock()))
  })
  return router
}

/**
 * Per-client rate limit (GCRA; the runbook's 60 requests a minute by default): allowed
 * requests get `RateLimit-*` headers, the rest a 429 with `Retry-After` in whole seconds.
 * `clock` (epoch ms) defaults to the clock of `slo`, the service's SLO recorder, if given.
 *
 * Clients are keyed by `req.ip` through the core's `clientKey`: IPv6 by its `/ipv6Prefix`
 * network (default 64: one host holds a whole /64), an IPv4-mapped address as its IPv4.
 * `req.ip` is the socket's peer unless Express's `trust proxy` is set; with it set, `req.ip`
 * comes from `X-Forwarded-For`, which a client can write itself: trust only the hops your own
 * balancers add (`app.set('trust proxy', 1)` or their addresses), never `true` on a server
 * reachable directly. A custom `key(req)` is used as it returns.
 */
function rateLimit(options = {}) {
  // Options left out are the core's defaults (the runbook's 60 requests a minute).
  const { limit, period, burst, maxKeys } = options
  const limiter = options.limiter ?? new RateLimiter({ limit, period, burst, maxKeys })
  const ipv6Prefix = options.ipv6Prefix
  clientKey('::1', ipv6Prefix) // a bad prefix fails here, at setup, not on every request
  const keyOf = options.key ?? ((req) => clientKey(req.ip ?? req.socket?.remoteAddress ?? 'unknown', ipv6Prefix))
  // The service's clock: the SLO recorder's when one is given, so all of it reads one clock.
  const clock = options.clock ?? (options.slo ? options.slo.now : Date.now)
  function middleware(req, res, next) {
    const d = limiter.check(String(keyOf(req)), clock())
    res.set('RateLimit-Limit', String(d.limit))
    res.set('RateLimit-Remaining', String(d.remaining))
    if (d.allowed) return next()
    res.set('Retry-After', String(d.retryAfterHeader))
    res.status(429).json({ error: 'Too Many Requests', retryAfter: d.retryAfterHeader })
  }
  middleware.limiter = limiter
  return middleware
}

module.exports = { sloMiddleware, healthRouter, rateLimit }
