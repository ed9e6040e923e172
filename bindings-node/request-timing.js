'use strict'
// When each HTTP request started and ended, for fleetops/express's SLO recorders.
//
// Node's http server publishes every request's start and its response's end on diagnostics
// channels; one subscriber per channel serves every recorder, so a request costs no 'finish'
// listener (a closure, a once-wrapper and a listener array: ~1 µs in a real server). Nothing
// is added to `req` or `res` either: a new property on them costs 0.6 to 1.5 µs there (Express
// re-prototypes both, and its later property work slows down). Both measured with
// benches/express_bench.mjs.
//
// Start times wait instead in a small queue on the socket (one property per connection) as
// [start message, start, claims] triples. HTTP/1.1 answers a connection's requests in order, so
// a response's start is at the head of its socket's queue. `claims` has one bit per listener
// whose middleware the request passed through (past 31 live listeners, a symbol in
// `res.locals` instead: a dictionary Express makes per request anyway).
//
// A request that never gets a response (the client gave up, the socket was destroyed, the
// server timed it out) is still in its socket's queue when the socket closes: each such
// request is reported once then, with `aborted` set, so a timeout outage is counted.

const diagnosticsChannel = require('node:diagnostics_channel')

const REQUEST_START = 'http.server.request.start'
const RESPONSE_FINISH = 'http.server.response.finish'
const kStarts = Symbol('fleetops.requestStarts')

/**
 * @typedef {import('node:http').IncomingMessage} Request
 * @typedef {import('node:http').ServerResponse & { locals?: Record<symbol, unknown> }} Response
 * @typedef {import('node:net').Socket & { [kStarts]?: Array<unknown> }} Socket
 * @typedef {{ request: Request, response: Response, socket: Socket, server?: unknown }} FinishMessage
 * @typedef {(message: FinishMessage, startMs: number, endMs: number, claimed: boolean, aborted: boolean) => void} Listener
 * @typedef {{ listener: Listener, bit: number, symbol: symbol }} Entry
 */

/** @type {Entry[]} */
const listeners = []
let usedBits = 0

/** @param {unknown} message `{request, response, socket, server}` from Node's http server */
function onRequestStart(message) {
  const { socket } = /** @type {FinishMessage} */ (message)
  let queue = socket[kStarts]
  if (queue === undefined) {
    socket[kStarts] = queue = []
    socket.once('close', onSocketClose)
  }
  queue.push(message, performance.now(), 0)
}

/**
 * Where `request`'s entry stands in `queue`, or -1.
 * @param {Array<unknown>} queue @param {Request} request
 */
function find(queue, request) {
  for (let i = 0; i < queue.length; i += 3) {
    if (/** @type {FinishMessage} */ (queue[i]).request === request) return i
  }
  return -1
}

/**
 * Tells every listener about one request.
 * @param {FinishMessage} message @param {number} start @param {number} claims @param {boolean} aborted
 */
function report(message, start, claims, aborted) {
  const end = performance.now()
  for (let i = 0; i < listeners.length; i++) {
    const l = listeners[i]
    const claimed = l.bit !== 0 ? (claims & l.bit) !== 0 : message.response.locals?.[l.symbol] === true
    l.listener(message, start, end, claimed, aborted)
  }
}

/** @param {unknown} published Node's `{request, response, socket, server}` */
function onResponseFinish(published) {
  const message = /** @type {FinishMessage} */ (published)
  const queue = message.socket[kStarts]
  if (queue === undefined) return
  let at = 0
  if (/** @type {FinishMessage} */ (queue[0]).request !== message.request) {
    at = find(queue, message.request)
    if (at === -1) return // started before anything listened
  }
  const start = /** @type {number} */ (queue[at + 1])
  const claims = /** @type {number} */ (queue[at + 2])
  // Entries ahead of this one ended while nothing listened. One request at a time on the
  // connection (the usual case) empties the queue in place, without a new array.
  if (queue.length === at + 3) queue.length = 0
  else queue.splice(0, at + 3)
  report(message, start, claims, false)
}

/** Every request still waiting on a closed socket ended without a response. @this {Socket} */
function onSocketClose() {
  const queue = this[kStarts]
  if (queue === undefined || queue.length === 0) return
  const pending = queue.splice(0, queue.length)
  for (let i = 0; i < pending.length; i += 3) {
    report(/** @type {FinishMessage} */ (pending[i]), /** @type {number} */ (pending[i + 1]), /** @type {number} */ (pending[i + 2]), true)
  }
}

/**
 * Calls `listener(message, startMs, endMs, claimed, aborted)` when each response ends, or its
 * socket closes without one (`aborted`), from now until the returned `stop()`: `message` is
 * Node's `{request, response, socket, server}`, the times come from `performance.now()`, and
 * `claimed` says whether the request went through the returned `claim(req, res)`.
 * @param {Listener} listener
 * @returns {{ claim: (req: Request, res: Response) => void, stop: () => void }}
 */
function listen(listener) {
  if (listeners.length === 0) {
    diagnosticsChannel.subscribe(REQUEST_START, onRequestStart)
    diagnosticsChannel.subscribe(RESPONSE_FINISH, onResponseFinish)
  }
  const bit = usedBits === 0x7fffffff ? 0 : ~usedBits & (usedBits + 1)
  usedBits |= bit
  const entry = { listener, bit, symbol: Symbol('fleetops.claimed') }
  listeners.push(entry)

  /** @param {Request} req @param {Response} res */
  function claim(req, res) {
    if (bit === 0) {
      const locals = res.locals ?? (res.locals = Object.create(null)) // plain http / connect
      locals[entry.symbol] = true
      return
    }
    const queue = /** @type {Socket | undefined} */ (req.socket)?.[kStarts]
    if (queue === undefined) return // started before anything listened
    const at = /** @type {FinishMessage} */ (queue[0])?.request === req ? 0 : find(queue, req)
    if (at !== -1) queue[at + 2] = /** @type {number} */ (queue[at + 2]) | bit
  }

  let stopped = false
  function stop() {
    if (stopped) return
    stopped = true
    usedBits &= ~bit
    listeners.splice(listeners.indexOf(entry), 1)
    if (listeners.length !== 0) return
    diagnosticsChannel.unsubscribe(REQUEST_START, onRequestStart)
    diagnosticsChannel.unsubscribe(RESPONSE_FINISH, onResponseFinish)
  }
  return { claim, stop }
}

module.exports = { listen }
