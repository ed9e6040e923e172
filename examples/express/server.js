// The fleet API of the runbooks (the fleet API runbook), as an Express service a backend engineer would
// write, with fleetops recording its SLO, serving its health endpoints and rate-limiting
// clients to the runbook's 60 requests a minute.
'use strict'

const express = require('express')
const { sloMiddleware, healthRouter, rateLimit } = require('fleetops/express')

/** A stand-in for the database: a few vehicles, and a ping that can be made slow or fail. */
function fakeDatabase() {
  const vehicles = new Map([
    ['TRK-001', { id: 'TRK-001', status: 'on_route' }],
    ['TRK-002', { id: 'TRK-002', status: 'depot' }],
  ])
  return {
    vehicles,
    pingMs: 15,
    up: true,
    ping() {
      if (!this.up) throw new Error('connection refused')
      return { latencyMs: this.pingMs, details: { totalConnections: 10, idleConnections: 8, waitingConnections: 0 } }
    },
  }
}

function createApp(options = {}) {
  const db = options.db ?? fakeDatabase()
  const slo = sloMiddleware({ clock: options.clock, badStatuses: options.badStatuses })
  const app = express()
  app.set('trust proxy', false)
  app.use(slo)
  // Health and metrics are not rate limited: probes and scrapers must always get through.
  app.use(healthRouter({ slo, checks: { database: () => db.ping() }, version: '1.0.0', environment: options.environment ?? 'development', log: options.log }))
  // The limiter reads the recorder's clock: one clock for the whole service.
  app.use('/api', rateLimit({ limit: options.limit ?? 60, period: '1m', slo }))
  app.get('/api/vehicles', (req, res) => res.json([...db.vehicles.values()]))
  app.get('/api/vehicles/:id', (req, res) => {
    const v = db.vehicles.get(req.params.id)
    if (!v) return res.status(404).json({ error: 'unknown vehicle' })
    res.json(v)
  })
  app.get('/api/reports/fuel', (req, res) => res.status(500).json({ error: 'report service unavailable' }))
  app.locals.db = db
  app.locals.slo = slo
  return app
}

module.exports = { createApp, fakeDatabase }

if (require.main === module) {
  const port = Number(process.env.PORT ?? 3000)
  createApp().listen(port, () => console.log(`fleet API on http://localhost:${port} (try /health, /slo, /health/metrics)`))
}
