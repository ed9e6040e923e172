// Runs neutral calls (cases.py) through the Node API, normalised as driver_py.py does: keys
// camelCase, typed arrays as arrays, bigints as strings, errors as {error: code}.
// Usage: node driver_node.mjs cases.json out.json
import { readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const fleetops = createRequire(import.meta.url)(join(here, '..', '..', 'bindings-node', 'fleetops.js'))
const codes = new Set(fleetops.errorCodes())

const camel = (key) => key.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase())

/** Neutral sentinels to JavaScript values (epochs in milliseconds, arrays for composite keys). */
function dec(v) {
  if (Array.isArray(v)) return v.map(dec)
  if (v === null || typeof v !== 'object') return v
  if ('$nan' in v) return NaN
  if ('$inf' in v) return Infinity
  if ('$epoch' in v) return v.$epoch * 1000
  if ('$tuple' in v) return v.$tuple.map(dec)
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, dec(x)]))
}

/** Option names as JavaScript writes them; `keep` names fields whose keys are data. */
function opts(v, keep = []) {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return v
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [camel(k), keep.includes(k) ? x : Array.isArray(x) ? x.map((i) => opts(i)) : opts(x)]))
}

function norm(v) {
  if (typeof v === 'bigint') return String(v)
  if (v instanceof BigUint64Array || v instanceof BigInt64Array) return Array.from(v, String)
  if (ArrayBuffer.isView(v)) return Array.from(v)
  if (Array.isArray(v)) return v.map(norm)
  if (v === undefined) return null
  if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf'
  if (v === null || typeof v !== 'object') return v
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [camel(k), norm(x)]))
}

function step(steps, f) {
  try {
    steps.push({ ok: norm(f()) })
    return true
  } catch (e) {
    steps.push({ error: codes.has(e?.code) ? e.code : `node:${e?.code ?? e?.name}` })
    return false
  }
}

function engine(steps, make, uses) {
  let it
  const made = step(steps, () => {
    it = make()
    return null
  })
  if (made) for (const use of uses) step(steps, () => use(it))
}

const pick = (a, ...names) => Object.fromEntries(names.filter((n) => n in a).map((n) => [camel(n), a[n]]))

// Tiers as the generator writes them, [name, maxAge] pairs: a form both languages take.
const policyOf = (spec) => new fleetops.FreshnessPolicy(opts(spec))

// Tables: a record keeps its names (data); a list of table records takes camelCase fields, and
// a schedule marked `instance` is made into a LoadSchedule (as the Python driver does).
function scheduleOf(s) {
  if (s === null || typeof s !== 'object' || Array.isArray(s)) return s
  const { instance, ...rest } = s
  return instance ? new fleetops.LoadSchedule(rest.cron, opts(Object.fromEntries(Object.entries(rest).filter(([k]) => k !== 'cron')))) : opts(rest)
}
const tablesOf = (t) =>
  Array.isArray(t) ? t.map((r) => (r !== null && typeof r === 'object' && 'schedule' in r ? { ...opts(r), schedule: scheduleOf(r.schedule) } : opts(r))) : t

function withPolicy(a, steps, then) {
  let p
  const made = step(steps, () => {
    p = policyOf(a.policy)
    return null
  })
  if (made) step(steps, () => then(p))
}

const one = (f) => (a, steps) => step(steps, () => f(a))
// Every parameter that takes a typed array takes a plain array too (as Python takes a list):
// every other case passes the typed form where the values fit it, the rest the plain one.
let typedForm = false
const typed = (Ctor, fits) => (xs) => (typedForm && Array.isArray(xs) && xs.every(fits) ? new Ctor(xs) : xs)
const uint16 = typed(Uint16Array, (x) => Number.isInteger(x) && x >= 0 && x <= 65535)
const float64 = typed(Float64Array, (x) => typeof x === 'number')
// Batches: epoch milliseconds (Python takes seconds), flags as a Uint8Array or booleans.
const ms = (rows) => float64(rows.map((r) => (typeof r[1] === 'number' ? Math.round(r[1] * 1000) : r[1])))
const flags = (rows) => (typedForm ? Uint8Array.from(rows.map((r) => (r[2] ? 1 : 0))) : rows.map((r) => r[2]))

const RUN = {
  'FreshnessPolicy.classify': (a, s) => withPolicy(a, s, (p) => p.classify(a.last, { now: a.now, ...pick(a, 'table') })),
  'FreshnessPolicy.class_names': (a, s) => withPolicy(a, s, (p) => p.classNames),
  'FreshnessPolicy.classify_ages': (a, s) => withPolicy(a, s, (p) => p.classifyAges(float64(a.ages))),
  classify_tables: one((a) =>
    fleetops.classifyTables(tablesOf(a.tables), 'policy' in a ? (a.policy === null ? null : policyOf(a.policy)) : undefined, { now: a.now, ...('cadence' in a ? { cadence: opts(a.cadence) } : {}) }),
  ),
  dbt_sources: one((a) => fleetops.dbtSources(tablesOf(a.tables), 'policy' in a ? (a.policy === null ? null : policyOf(a.policy)) : undefined, { now: a.now, ...pick(a, 'source') })),
  check_cadence: one((a) =>
    fleetops.checkCadence(a.history, { now: a.now, ...pick(a, 'min_intervals', 'spread_factor', 'min_slack_ratio', 'clock_skew_tolerance') }),
  ),
  'LoadSchedule.check': (a, s) =>
    engine(s, () => new fleetops.LoadSchedule(a.cron, pick(a, 'timezone', 'allowed_delay', 'maintenance')), [(sch) => sch.check(a.last, { now: a.now })]),
  // No counts at all is passed as null: "not given", as Python's left-out keywords.
  error_budget: one((a) => {
    const counts = pick(a, 'good', 'bad', 'total', 'period_minutes')
    return fleetops.errorBudget(a.objective, Object.keys(counts).length ? counts : null)
  }),
  error_budget_gate: one((a) => fleetops.errorBudgetGate(a.objective, pick(a, 'good', 'bad', 'total'), a.fail_on)),
  period_window: one((a) => fleetops.periodWindow(a.period, { now: a.now, ...pick(a, 'timezone', 'objective') })),
  timeslice_budget: one((a) =>
    fleetops.timesliceBudget(a.objective, a.slices, { sliceTarget: a.slice_target, slice: a.slice, period: a.period, ...pick(a, 'empty') }),
  ),
  forecast_budget: one((a) => fleetops.forecastBudget(a.remaining, a.burn, { period: a.period, timeLeft: a.time_left })),
  BurnPolicy: (a, s) => {
    const uses = [(p) => p.tiers, (p) => p.minEvents]
    if (a.windows != null) uses.push((p) => p.evaluate(a.objective, Object.fromEntries(a.windows.map((w) => [w[0], [w[1], w[2]]]))))
    engine(s, () => new fleetops.BurnPolicy(opts(a.options)), uses)
  },
  LatencyHistogram: (a, s) =>
    engine(s, () => new fleetops.LatencyHistogram(pick(a, 'max_ms', 'significant_figures')), [
      (h) => h.recordBatch(float64(a.values)),
      (h) => h.summary(),
      (h) => h.percentile(a.p),
      (h) => h.fractionUnder(a.threshold),
      (h) => h.count,
    ]),
  SloTracker: (a, s) => {
    const uses = a.announcements.map((m) => (t) => t.announceMaintenance(m[0], m[1], { name: m[2], notice: m[3] }, a.now))
    uses.push(...a.events.map((e) => (t) => t.record(e[0], e[1], e.length > 2 ? e[2] : null, a.now)))
    uses.push(...a.corrections.map((c) => (t) => t.correct(c[0], c[1], c[2], a.now)))
    uses.push((t) => t.recordBatch(ms(a.batch), flags(a.batch), float64(a.batch.map((r) => r[3])), a.now))
    uses.push(
      (t) => t.corrections(),
      (t) => t.announcedMaintenance(),
      (t) => t.prometheusRules(a.prefix),
      (t) => t.toOpenslo(a.prefix),
      (t) => t.status(a.now),
      (t) => t.windowCounts('availability', a.window, a.now),
      (t) => t.latency(a.window, a.now),
      (t) => t.evaluateRules(a.rules, a.now),
      (t) => t.gateProblems(a.now, a.fail_on),
      (t) => t.prometheus(a.now, a.prefix),
    )
    engine(s, () => new fleetops.SloTracker(opts(a.options)), uses)
  },
  maintenance_windows: one((a) => fleetops.maintenanceWindows(opts(a.windows), a.start, a.end)),
  read_openslo: one((a) => fleetops.readOpenslo(a.text)),
  assess_health: one((a) => fleetops.assessHealth(a.checks.map((c) => opts(c)))),
  runbook_rules: one(() => fleetops.runbookRules()),
  judge_rule: one((a) => fleetops.judgeRule(typeof a.rule === 'string' ? a.rule : opts(a.rule), a.stats.map((x) => opts(x)), pick(a, 'resolution'))),
  key_hash: one((a) => fleetops.keyHash(a.key)),
  key_hashes: one((a) => fleetops.keyHashes(a.columns)),
  dedup_mask: one((a) => fleetops.dedupMask(float64(a.keys), pick(a, 'keep'))),
  dedup_indices: one((a) => {
    const options = pick(a, 'keep', 'order_by')
    if (options.orderBy) options.orderBy = float64(options.orderBy)
    return fleetops.dedupIndices(float64(a.keys), options)
  }),
  Deduper: (a, s) => {
    const uses = a.events.map((e) => (d) => d.observe(e[0], e[1], e.length > 2 ? e[2] : null))
    uses.push((d) => Array.from(d.observeBatch(float64(a.batch.map((x) => x[0])), ms(a.batch))))
    uses.push((d) => {
      const { memoryBytes, ...rest } = d.stats()
      return rest
    })
    const options = { horizon: a.horizon, ...pick(a, 'allowed_lateness', 'max_future', 'max_keys', 'mode', 'expected_keys', 'fpr', 'horizn') }
    engine(s, () => new fleetops.Deduper(options), uses)
  },
  fingerprint: one((a) => fleetops.fingerprint(a.labels)),
  label_matches: one((a) => fleetops.labelMatches(a.matcher, a.labels)),
  duration_seconds: one((a) => fleetops.durationSeconds(a.duration)),
  utc_iso: one((a) => fleetops.utcIso(a.instant)),
  flap_series: one((a) => fleetops.flapSeries(a.states, pick(a, 'high', 'low'))),
  escalations_due: one((a) => fleetops.escalationsDue(a.alerts.map((x) => opts(x)), a.now, opts(a.policy))),
  StormDetector: (a, s) => {
    const uses = a.alerts.map((x) => (d) => d.observe(x[0], x[1], { labels: x.length > 3 ? x[2] : undefined, firing: x[x.length - 1], ...pick(a, 'now') }))
    uses.push((d) => {
      const r = d.observeBatch(a.batch.map((x) => x[0]), ms(a.batch), flags(a.batch))
      return { actions: Array.from(r.actions), events: r.events }
    })
    uses.push((d) => d.advance(a.advance), (d) => d.stats(), (d) => d.config)
    engine(s, () => new fleetops.StormDetector(opts(a.options)), uses)
  },
  RateLimiter: (a, s) => engine(s, () => new fleetops.RateLimiter(opts(a.options)), a.requests.map((x) => (r) => r.check(x[0], x[1]))),
  Grouper: (a, s) => {
    const uses = a.alerts.map((x) => (g) => g.add(x[0], x[1], x[2]))
    for (const t of a.due) uses.push((g) => g.due(t))
    engine(s, () => new fleetops.Grouper(opts(a.options)), uses)
  },
  http_outcomes: one((a) => fleetops.httpOutcomes(uint16(a.status), a.bad_statuses)),
}

const cases = JSON.parse(readFileSync(process.argv[2], 'utf8'))
const out = cases.map((c, i) => {
  const steps = []
  typedForm = i % 2 === 0
  RUN[c.fn](dec(c.a), steps)
  return steps
})
writeFileSync(process.argv[3], JSON.stringify(out))
