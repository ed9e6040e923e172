// fleetops/express: Express middleware and routes over the fleetops binding.
import type { RequestHandler, Router, Request } from 'express'
import type { SloTracker, SloTrackerOptions, RateLimiter, DurationLike, TimeLike } from './index'

export interface SloMiddleware extends RequestHandler {
  /** The tracker requests are recorded into. */
  tracker: SloTracker
  /** Hands buffered requests to the tracker now; returns how many it dropped. */
  flush(): number
  /**
   * Records every response of this Node http/https server, without an Express layer (Express's
   * own dispatch of a middleware costs 1-2 µs per request). Returns the server.
   */
  attach<S extends import('node:http').Server>(server: S): S
  /** Flushes and stops recording (unsubscribes from Node's response-finish channel). */
  close(): void
  /** The service's clock (epoch ms): `clock` if given, else the wall clock. */
  now(): number
  /** Flushes, then the tracker's status at `now` (default: this recorder's clock). */
  status(now?: TimeLike | null): ReturnType<SloTracker['status']>
  /** Flushes, then the Prometheus text at `now` (default: this recorder's clock). */
  prometheus(now?: TimeLike | null, prefix?: string | null): string
}

export interface SloMiddlewareOptions {
  /** A tracker to record into (default: a new one with `slo` options, the runbook's by default). */
  tracker?: SloTracker
  slo?: SloTrackerOptions
  /** Statuses that count as bad besides 5xx, e.g. `[429]`. */
  badStatuses?: number[]
  /** Requests buffered per call into the core (default 4096). */
  batchSize?: number
  /**
   * The service's epoch-ms clock: each request's timestamp, and the `now` of every status read
   * through this recorder, `healthRouter({slo})` and `rateLimit({slo})` (default: the wall clock).
   */
  clock?: () => number
}

/**
 * Records every request's outcome (5xx and `badStatuses` are bad) and latency, from Node's
 * request start to the response's end: as a middleware (`app.use(slo)`, the requests passing
 * through it) or for a whole server (`slo.attach(server)`). Node's http diagnostics channels
 * carry the measurements, so only requests served by a Node http/https server are recorded.
 */
export function sloMiddleware(options?: SloMiddlewareOptions): SloMiddleware

export interface CheckOutcome {
  details?: Record<string, any>
  message?: string
  latencyMs?: number
  degradedAboveMs?: number
}

export interface HealthRouterOptions {
  /** The SLO middleware whose tracker `/slo` and `/health/metrics` report, at its clock. */
  slo?: SloMiddleware
  /** Epoch-ms clock for `/health`'s timestamp and uptime and the status reads (default: `slo`'s). */
  clock?: () => number
  /** Dependency checks: throw when down; slower than `degradedAboveMs` (1000) is degraded. */
  checks?: Record<string, () => CheckOutcome | void | Promise<CheckOutcome | void>>
  /** Per-check timeout (default 5000 ms). */
  timeoutMs?: number
  version?: string
  environment?: string
  /** Metric name prefix (default `fleetops`). */
  prefix?: string
  /**
   * Where a failed check's error goes (default `console.error`); clients see only
   * `<name> is down`, never the error's text.
   */
  log?: (name: string, err: unknown) => void
}

/** `/health`, `/health/liveness`, `/health/readiness`, `/health/metrics`, `/slo`. */
export function healthRouter(options?: HealthRouterOptions): Router

export interface RateLimitOptions {
  limiter?: RateLimiter
  /** Requests per period (default 60). */
  limit?: number
  /** Default `'1m'`. */
  period?: DurationLike
  burst?: number
  maxKeys?: number
  /**
   * The client's key (default: `clientKey(req.ip, ipv6Prefix)`, IPv6 by network). With
   * Express's `trust proxy` set, `req.ip` comes from `X-Forwarded-For`: trust only your own hops.
   */
  key?: (req: Request) => string
  /** IPv6 clients are keyed by this many leading bits (default 64). */
  ipv6Prefix?: number
  /** The SLO recorder whose clock the limiter reads (one clock per service). */
  slo?: SloMiddleware
  /** Epoch-ms clock (default: `slo`'s, else the wall clock). */
  clock?: () => number
}

/** 429 with `Retry-After` past the limit (GCRA, per client). */
export function rateLimit(options?: RateLimitOptions): RequestHandler & { limiter: RateLimiter }
