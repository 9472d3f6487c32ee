// SPDX-License-Identifier: MPL-2.0
// docs/security.md stays true: its tables of ports, connections and secrets are the topology's own
// (rendered by scripts/security-doc.ts), every secret of the topology is discussed, every issue-15
// item names the tests that prove it (or says it is open), and every test it cites exists under that
// title in that file.
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { SECRET_NAMES } from '@persona/kit'
import { SECURITY_DOC, withTopologyBlock } from '../../scripts/security-doc.ts'

const ROOT = join(import.meta.dirname, '..', '..')
const doc = readFileSync(SECURITY_DOC, 'utf8')
const oneLine = (s: string) => s.replace(/\s+/g, ' ')

/** The text between a heading and the next heading of the same or a higher level. */
function section(heading: string): string {
  const start = doc.indexOf(`\n${heading}\n`)
  assert.ok(start >= 0, `no "${heading}" in docs/security.md`)
  const level = heading.indexOf(' ')
  const rest = doc.slice(start + heading.length + 2)
  const next = rest.search(new RegExp(`\\n#{1,${level}} `))
  return next < 0 ? rest : rest.slice(0, next)
}

/** Each cited test file with the titles cited for it: `path.test.ts` › "title", "title". */
function citations(text: string): { file: string; titles: string[] }[] {
  const out: { file: string; titles: string[] }[] = []
  for (const m of oneLine(text).matchAll(/`([\w./-]+\.test\.ts)`([^`]*)/g)) {
    const file = m[1] ?? ''
    const quoted = /^[^›"]*›\s*((?:"[^"]+"(?:,\s*)?)+)/.exec(m[2] ?? '')?.[1] ?? ''
    out.push({ file, titles: [...quoted.matchAll(/"([^"]+)"/g)].map((q) => q[1] ?? '') })
  }
  return out
}

test('its tables of ports, connections and secrets are the topology rendered (node scripts/security-doc.ts)', () => {
  assert.equal(doc, withTopologyBlock(doc), 'docs/security.md is stale: run node scripts/security-doc.ts')
})

test('says what every secret of the topology protects and what its theft gives', () => {
  const secrets = section('## What each secret protects, and what its theft gives')
  for (const name of SECRET_NAMES) assert.match(secrets, new RegExp(`^- .*\`${name}\``, 'm'), name)
  for (const h of ['### A stolen session cookie', '### The signing key', '### A copy of the database'])
    assert.ok(section(h).trim().length > 200, h)
})

test('every item of issue 15 says how it is defended and names its tests, or says it is open', () => {
  const items = section('## Issue 15, item by item')
    .split(/\n(?=\d+\. )/)
    .filter((p) => /^\d+\. /.test(p))
  assert.deepEqual(
    items.map((p) => Number.parseInt(p, 10)),
    [1, 2, 3, 4, 5, 6, 7, 8, 9],
  )
  for (const item of items) {
    const cited = citations(item).filter((c) => c.titles.length > 0)
    assert.ok(cited.length > 0 || /\bOpen\b/.test(item), `item ${Number.parseInt(item, 10)} cites no test`)
  }
})

test('every test it cites exists, with every title cited', () => {
  const all = citations(doc)
  assert.ok(all.length >= 20, `only ${all.length} citations found`)
  for (const { file, titles } of all) {
    const path = join(ROOT, file)
    assert.ok(existsSync(path), `${file} does not exist`)
    const source = oneLine(readFileSync(path, 'utf8'))
    for (const title of titles) assert.ok(source.includes(title), `${file} has no test "${title}"`)
  }
})
