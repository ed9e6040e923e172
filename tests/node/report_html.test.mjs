// The HTML report opens in headless Chromium (Debian's package) without errors or network
// requests, and shows its charts: a screenshot is taken and the chart elements are checked.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, statSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { createRequire } from 'node:module'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const { chromium } = createRequire(join(root, 'bindings-node', 'package.json'))('playwright-core')

test('the HTML report renders in headless Chromium with its charts', { timeout: 600_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fleetops-html-'))
  const page = join(dir, 'report.html')
  execFileSync('cargo', ['run', '--release', '-q', '-p', 'fleetops', '--features', 'cli', '--', 'report', '--exit-zero', '--html', page], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] })
  assert.ok(!/<script|https?:\/\/(?!www\.w3\.org\/2000\/svg)/.test(readFileSync(page, 'utf8')), 'self-contained: no scripts, no remote URLs')

  // The browser is not under test: it runs on the real clock even in the time-travel step
  // (libfaketime in every Chromium process made this one test take 40 s), while the report
  // above was written under the fake one.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'LD_PRELOAD' && !k.startsWith('FAKETIME')))
  const browser = await chromium.launch({
    env,
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
  try {
    const tab = await browser.newPage({ viewport: { width: 1100, height: 900 } })
    const problems = []
    tab.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
    tab.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`))
    tab.on('request', (r) => r.url().startsWith('file:') || problems.push(`fetch: ${r.url()}`))
    tab.on('requestfailed', (r) => problems.push(`failed: ${r.url()}`))
    const response = await tab.goto(pathToFileURL(page).href, { waitUntil: 'load' })
    assert.ok(response === null || response.ok())

    const shot = join(dir, 'report.png')
    await tab.screenshot({ path: shot, fullPage: true })
    assert.ok(statSync(shot).size > 50_000, 'a real screenshot, not a blank page')

    const counts = await tab.evaluate(() => ({
      budget: document.querySelectorAll('svg#budget-chart path.series').length,
      burn: document.querySelectorAll('svg#burn-chart path.series').length,
      refs: document.querySelectorAll('svg#burn-chart line.ref').length,
      bars: document.querySelectorAll('svg#storm-chart rect.bar').length,
      bands: document.querySelectorAll('svg#storm-chart rect.band').length,
      tables: document.querySelectorAll('table#freshness-table tbody tr').length,
      poor: [...document.querySelectorAll('table#freshness-table tbody tr')].filter((r) => r.textContent.includes('POOR')).map((r) => r.cells[0].textContent),
      findings: document.querySelectorAll('#findings li').length,
      chartWidth: document.querySelector('svg#budget-chart').getBoundingClientRect().width,
    }))
    assert.equal(counts.budget, 4, 'one budget line per runbook objective')
    assert.equal(counts.burn, 5, 'one line per burn window (5m, 30m, 1h, 6h, 3d)')
    assert.equal(counts.refs, 3, 'the three tier factors')
    assert.ok(counts.bars > 100, `alerts per hour drawn (${counts.bars} bars)`)
    assert.equal(counts.bands, 2, 'the storm and the flapping sensor marked')
    assert.equal(counts.tables, 20)
    assert.deepEqual(counts.poor, ['trip_events'])
    assert.equal(counts.findings, 7)
    assert.ok(counts.chartWidth > 800)
    assert.deepEqual(problems, [])
  } finally {
    await browser.close()
  }
})
