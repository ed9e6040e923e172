// Shared by the Node benchmarks: contenders run round-robin (each run of each sees the same
// machine state), and every row reports its median rate with the min-max of the runs and the
// first contender's ratio to it. Best-of-N would hide the spread.
export const RUNS = 5

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

// Before each run: a full collection when node runs with --expose-gc (benches/run does), then
// a few ms of event loop, where V8 runs the finalizers of native objects (never inside a
// synchronous loop). Without it, no run's garbage is freed before the next: a loop of five
// runs each building a 250 MB table held 1.5 GB and every run paid for fresh pages.
async function settle() {
  globalThis.gc?.()
  await new Promise((resolve) => setTimeout(resolve, 10))
}

// rows: [{ name, run: () => any, events, unit? }]; resolves to { name: median rate }.
export async function rounds(rows, runs = RUNS) {
  const rates = Object.fromEntries(rows.map((r) => [r.name, []]))
  for (let i = 0; i < runs; i++) {
    for (const r of rows) {
      await settle()
      const start = process.hrtime.bigint()
      r.run()
      rates[r.name].push(r.events / (Number(process.hrtime.bigint() - start) / 1e9))
    }
  }
  const medians = Object.fromEntries(rows.map((r) => [r.name, median(rates[r.name])]))
  const first = medians[rows[0].name]
  for (const r of rows) {
    const xs = rates[r.name]
    const spread = `${(medians[r.name] / 1e6).toFixed(1).padStart(8)} M ${r.unit ?? 'events'}/s (min ${(Math.min(...xs) / 1e6).toFixed(1)}, max ${(Math.max(...xs) / 1e6).toFixed(1)})`
    const tail = r === rows[0] ? `median of ${runs}` : `${(first / medians[r.name]).toFixed(2).padStart(7)}x as fast: fleetops`
    console.log(`node    ${r.name.padEnd(50)} ${spread}  ${tail}`)
  }
  return medians
}
