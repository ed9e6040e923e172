// Writes option-keys.json: for every export of index.d.ts, the option names each object
// argument may have, read from the declarations napi generated from the Rust option types (so
// the list cannot drift from them). fleetops.js refuses any other name, as Python does, where
// napi would ignore it. `node scripts/option-keys.mjs --check` fails when the file is stale.
//
// The table: { "<function>" | "<Class>.<method>" | "<Class>" (constructor): [shape per
// argument] }, a shape being null (not an options object), {fields: {name: shape}} or
// {items: shape} (an array of options objects). Records (`Record<...>`) hold data, not options.
import { readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..')
const ts = createRequire(join(root, 'package.json'))('typescript')

const file = join(root, 'index.d.ts')
const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true)

/** @type {Map<string, import('typescript').TypeElement[]>} */
const interfaces = new Map()
for (const node of source.statements) {
  if (ts.isInterfaceDeclaration(node)) interfaces.set(node.name.text, [...node.members])
}

/** The options shape of a type node, or null when it is not an options object. */
function shape(type, seen = new Set()) {
  if (!type) return null
  if (ts.isUnionTypeNode(type)) {
    const parts = type.types.map((t) => shape(t, seen)).filter(Boolean)
    return parts.length === 1 ? parts[0] : null
  }
  if (ts.isParenthesizedTypeNode(type)) return shape(type.type, seen)
  if (ts.isTypeLiteralNode(type)) return fields(type.members, seen)
  if (ts.isArrayTypeNode(type)) {
    const item = shape(type.elementType, seen)
    return item ? { items: item } : null
  }
  if (ts.isTypeReferenceNode(type)) {
    const name = type.typeName.getText(source)
    if (name === 'Array' && type.typeArguments?.length === 1) {
      const item = shape(type.typeArguments[0], seen)
      return item ? { items: item } : null
    }
    if (interfaces.has(name) && !seen.has(name)) return fields(interfaces.get(name), new Set([...seen, name]))
  }
  return null
}

function fields(members, seen) {
  const out = {}
  for (const m of members) {
    if (ts.isPropertySignature(m) && m.name) out[m.name.getText(source)] = shape(m.type, seen)
  }
  return { fields: out }
}

const params = (node) => node.parameters.map((p) => shape(p.type))
const table = {}
for (const node of source.statements) {
  if (ts.isFunctionDeclaration(node) && node.name) table[node.name.text] = params(node)
  if (ts.isClassDeclaration(node) && node.name) {
    const cls = node.name.text
    for (const m of node.members) {
      if (ts.isConstructorDeclaration(m)) table[cls] = params(m)
      if (ts.isMethodDeclaration(m) && m.name) table[`${cls}.${m.name.getText(source)}`] = params(m)
    }
  }
}
for (const key of Object.keys(table)) if (table[key].every((s) => s === null)) delete table[key]

const text = JSON.stringify(table, null, 1) + '\n'
const out = join(root, 'option-keys.json')
if (process.argv.includes('--check')) {
  if (readFileSync(out, 'utf8') !== text) {
    console.error('option-keys.json is stale: run node scripts/option-keys.mjs in bindings-node/')
    process.exit(1)
  }
} else {
  writeFileSync(out, text)
}
