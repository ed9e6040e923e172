// Type-usage file: what a TypeScript user writes against fleetops, checked by
// `tsc -p bindings-node/tsconfig.json` in ./test (never run). A wrong declaration in index.d.ts
// or express.d.ts, or one drifted from these uses, fails the type check.
import express from 'express'
import {
  Deduper,
  FreshnessPolicy,
  LatencyHistogram,
  RateLimiter,
  SloTracker,
  StormDetector,
  classifyTables,
  errorCodes,
  keyHash,
  errorBudget,
  type Budget,
  type CadenceCheck,
  type FreshnessReport,
  type StormEvent,
  type TableFreshness,
  type TrackerStatus,
} from '../../../bindings-node/index.js'
import { healthRouter, rateLimit, sloMiddleware } from '../../../bindings-node/express.js'

const now = Date.parse('2026-11-22T08:00:00Z')

const tracker = new SloTracker({ period: 'month', timezone: 'UTC' })
tracker.record(now - 1000, true, 12.5, now)
const dropped: number = tracker.recordBatch(new Float64Array([now]), new Uint8Array([1]), null, now)
const problems: string[] = tracker.gateProblems(now, ['overspent', 'page'])
const counts: { good: number; total: number } = tracker.windowCounts('availability', '1h', now)
const p99: number | null = tracker.latency('5m', now).p99Ms
const restored: SloTracker = SloTracker.fromBytes(tracker.toBytes())

const dedup = new Deduper({ horizon: '1h', mode: 'bloom', expectedKeys: 10_000 })
const outcome: 'first' | 'duplicate' | 'late' | 'future' = dedup.observe('order-1', now, now)
const codes: Uint8Array = dedup.observeBatch(new BigUint64Array([keyHash('a')]), new Float64Array([now]))
const rate: number | null = dedup.stats().estimatedFpr

const histogram = new LatencyHistogram({ maxMs: 60_000 })
histogram.recordBatch(new Float64Array([1, 2, 3]))
const median: number | null = histogram.percentile(50)

const storms = new StormDetector()
const verdict = storms.observe('vehicle-7', now, { labels: { alertname: 'GpsLost' }, now })
const action: 'notify' | 'suppress' | 'mute' = verdict.action

const limiter = new RateLimiter({ limit: 60, period: '1m' })
const allowed: boolean = limiter.check('client-1', now).allowed

const report: FreshnessReport = classifyTables({ orders: '2026-11-22T07:00:00Z' }, FreshnessPolicy.runbook(), { now })
const first: TableFreshness | undefined = report.results[0]
const codesKnown: string[] = errorCodes()

const app = express()
const slo = sloMiddleware({ clock: () => now, badStatuses: [429] })
app.use(slo)
app.use(rateLimit({ slo, limit: 60, period: '1m' }))
app.use(healthRouter({ slo, checks: { database: () => ({ latencyMs: 3 }) } }))
const shown: string = slo.prometheus(now)

export const uses = [dropped, problems, counts, p99, restored, outcome, codes, rate, median, action, allowed, first, codesKnown, shown]

// Results are the generated types: tagged unions narrow on their tag, fields are camelCase.
const status: TrackerStatus = tracker.status(now)
const budget: Budget = status.objectives[0].budget
if (budget.status === 'ok') {
  const used: number = budget.usedPercent
  const minutes: number | null = budget.budgetMinutes
} else {
  // @ts-expect-error: a budget without data has no numbers
  const none = budget.usedPercent
}
const events: StormEvent[] = storms.advance(now)
for (const e of events) {
  if (e.event === 'storm_ended') {
    const suppressed: number = e.suppressed
  }
}
const cadence: CadenceCheck | null | undefined = first?.cadence
if (cadence?.status === 'learned') {
  const late: boolean = cadence.late
}
const summaryLevel: 'pass' | 'warn' | 'error' = report.summary.worstLevel
const spent = errorBudget(0.999, { good: 999, total: 1000 })
// @ts-expect-error: results are camelCase in JavaScript
const snake = spent.used_percent
