// Every case of tests/vectors/storm.json through fleetops' storm API.
import assert from 'node:assert/strict'

import { camelKeys, checked, fleetops, loadCases, testCases } from './helpers.mjs'

const { StormDetector, RateLimiter, Grouper, fingerprint, labelMatches, flapSeries, escalationsDue } = fleetops
const cases = loadCases('storm.json')
const labelsOf = (v) => (Array.isArray(v) ? Object.fromEntries(v) : v ?? {})

function run(c) {
  switch (c.op) {
    case 'detector': {
      let d = new StormDetector(camelKeys(c.config))
      if (c.mutes) d.setMutes(camelKeys(c.mutes))
      const actions = []
      const events = []
      for (const a of c.alerts) {
        const v = checked('StormDetector.observe', d.observe(a.key, a.at, { labels: a.labels, firing: a.status !== 'resolved', now: c.now }))
        assert.ok(v.reason)
        actions.push(v.action)
        events.push(...v.events)
      }
      d = StormDetector.fromBytes(d.toBytes())
      checked('StormDetector.config', d.config)
      const advanceEvents = c.advance ? checked('StormDetector.advance', d.advance(c.advance)) : []
      return { actions, events, advanceEvents, counts: checked('StormDetector.stats', d.stats()).counts }
    }
    case 'fingerprint':
      return { fingerprint: String(fingerprint(labelsOf(c.labels))) }
    case 'matcher':
      return { matches: labelMatches(c.matcher, c.labels) }
    case 'flap':
      return checked('flap_series', flapSeries(c.states))
    case 'limit': {
      const limiter = new RateLimiter(camelKeys(c.config))
      return { decisions: c.requests.map(([k, at]) => checked('RateLimiter.check', limiter.check(k, at))) }
    }
    case 'escalation':
      return { due: checked('escalations_due', escalationsDue(camelKeys(c.alerts), c.now, camelKeys(c.policy))) }
    case 'group': {
      const g = new Grouper(camelKeys(c.config))
      const out = []
      let i = 0
      for (const due of c.due) {
        while (i < c.alerts.length && c.alerts[i][1] <= due) {
          g.add(c.alerts[i][0], c.alerts[i][1], c.alerts[i][2])
          i++
        }
        out.push(checked('Grouper.due', g.due(due)))
      }
      return { notifications: out }
    }
    default:
      throw new Error(`unknown op ${c.op}`)
  }
}

// Expectations in camelCase, except label maps (`group`), which are data.
const expectOf = (c) => {
  const e = camelKeys(c.expect)
  if (c.op === 'group') e.notifications = c.expect.notifications.map((n) => n.map((x) => ({ ...camelKeys(x), group: x.group })))
  return e
}
testCases(cases, run, expectOf)
