// SPDX-License-Identifier: MPL-2.0
// The message files as a whole: every locale has every message English has and no other, with the
// same placeables; each file parses; every message is used by the code and every id the code uses
// exists; each language follows its glossary; translations are not English left in place.
import assert from 'node:assert/strict'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { LOCALES } from '../src/locales.ts'
import { type ParsedLocale, parseLocale } from './ftl.ts'

const ROOT = join(import.meta.dirname, '..', '..', '..')
const EN = parseLocale('en')
const OTHERS = LOCALES.map((l) => l.code).filter((c) => c !== 'en')
const PARSED = new Map<string, ParsedLocale>(OTHERS.map((l) => [l, parseLocale(l)]))

/** Where messages are used: the browser code and its build, static, the writer's mail, the IdP tools. */
const SOURCE_ROOTS = [
  'services/web/src',
  'services/web/build.ts',
  'services/static/src',
  'services/writer/src',
  'services/reader/src',
  'scripts',
]

function sources(): Map<string, string> {
  const out = new Map<string, string>()
  const walk = (rel: string): void => {
    const abs = join(ROOT, rel)
    let st: ReturnType<typeof statSync>
    try {
      st = statSync(abs)
    } catch {
      return
    }
    if (st.isDirectory()) {
      for (const e of readdirSync(abs)) if (e !== 'node_modules') walk(join(rel, e))
    } else if (/\.ts$/.test(rel)) out.set(rel, readFileSync(abs, 'utf8'))
  }
  for (const r of SOURCE_ROOTS) walk(r)
  return out
}

const SOURCES = sources()
const ALL_SOURCE = [...SOURCES.values()].join('\n')

/** The string literals in the message-id argument of every call that formats a message. */
function idsUsedIn(text: string): Set<string> {
  const ids = new Set<string>()
  const call = /\b(?:t|tNodes|tLabel|format|attribute|shellText|mailText)\(\s*(?:m,\s*|messages,\s*)?/g
  for (const m of text.matchAll(call)) {
    let depth = 0
    let end = m.index + m[0].length
    for (; end < text.length; end++) {
      const c = text[end]
      if (c === '(' || c === '[' || c === '{') depth++
      else if (c === ')' || c === ']' || c === '}') {
        if (depth === 0) break
        depth--
      } else if (c === ',' && depth === 0) break
    }
    const arg = text.slice(m.index + m[0].length, end)
    // Message ids always have a prefix (`dialog-`); other literals here are conditions (`'new'`).
    for (const lit of arg.matchAll(/'([a-z]+(?:-[a-z0-9]+)+)'/g)) if (lit[1]) ids.add(lit[1])
  }
  // The web build's page table names its titles by id.
  for (const m of text.matchAll(/\btitle: '([a-z][a-z0-9-]*)'/g)) if (m[1]) ids.add(m[1])
  for (const m of text.matchAll(/\['\/[a-z_]*', '[a-z_]+\.html', '([a-z][a-z0-9-]*)'\]/g))
    if (m[1]) ids.add(m[1])
  return ids
}

describe('message files', () => {
  it('parse without errors or duplicate ids, in every locale', () => {
    for (const [locale, parsed] of [['en', EN] as const, ...PARSED]) {
      assert.deepEqual(parsed.junk, [], `${locale}: syntax errors`)
      assert.deepEqual(parsed.duplicates, [], `${locale}: duplicate ids`)
    }
    assert.ok(EN.messages.size > 100, `English has ${EN.messages.size} messages`)
  })

  it('every locale has exactly the messages English has, in the same file', () => {
    for (const [locale, parsed] of PARSED) {
      const missing = [...EN.messages.keys()].filter((id) => !parsed.messages.has(id))
      const extra = [...parsed.messages.keys()].filter((id) => !EN.messages.has(id))
      assert.deepEqual(missing, [], `${locale} lacks these messages`)
      assert.deepEqual(extra, [], `${locale} has messages English does not`)
      for (const [id, m] of parsed.messages) {
        assert.equal(m.file, EN.messages.get(id)?.file, `${locale}: ${id} is in the wrong file`)
      }
    }
  })

  it('placeables and attributes match English in every message', () => {
    for (const [locale, parsed] of PARSED) {
      for (const [id, m] of parsed.messages) {
        const en = EN.messages.get(id)
        if (!en) continue
        assert.deepEqual([...m.variables].sort(), [...en.variables].sort(), `${locale}: ${id} placeables`)
        assert.deepEqual(m.attributes, en.attributes, `${locale}: ${id} attributes`)
      }
    }
  })

  it('every message is used by the code (no unused ids)', () => {
    // Formatted directly, or named in a table the code formats from (errors.ts maps reasons to ids).
    const used = idsUsedIn(ALL_SOURCE)
    const unused = [...EN.messages.keys()].filter((id) => !used.has(id) && !ALL_SOURCE.includes(`'${id}'`))
    assert.deepEqual(unused, [], 'messages no code formats')
  })

  it('every id the code formats exists in English', () => {
    const missing: string[] = []
    for (const [file, text] of SOURCES) {
      for (const id of idsUsedIn(text)) if (!EN.messages.has(id)) missing.push(`${file}: ${id}`)
    }
    assert.deepEqual(missing, [], 'ids the code uses that no message file defines')
  })

  it('translations are not English left in place', () => {
    for (const [locale, parsed] of PARSED) {
      const same = [...parsed.messages.values()].filter((m) => {
        const en = EN.messages.get(m.id)
        // Messages made only of placeables (a brand name) are the same everywhere.
        return en !== undefined && /[A-Za-z]{3,}/.test(en.text) && m.text === en.text
      })
      assert.deepEqual(
        same.map((m) => m.id),
        [],
        `${locale}: messages identical to English`,
      )
    }
  })
})

interface GlossaryTerm {
  readonly use: string
  readonly match: string
}
interface Glossary {
  readonly register: string
  readonly terms: Readonly<Record<string, GlossaryTerm>>
  readonly exceptions?: Readonly<Record<string, Readonly<Record<string, string>>>>
}
interface EnglishGlossary {
  readonly terms: Readonly<Record<string, { readonly pattern: string; readonly note: string }>>
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(join(import.meta.dirname, '..', 'src', 'locales', path), 'utf8'))
}

describe('glossaries', () => {
  const english = readJson('en/glossary.json') as EnglishGlossary

  it('every language has a glossary covering every English term', () => {
    for (const locale of OTHERS) {
      const g = readJson(`${locale}/glossary.json`) as Glossary
      assert.ok(g.register.length > 0, `${locale}: say which register (formal, informal) is used`)
      for (const term of Object.keys(english.terms)) {
        const t = g.terms[term]
        assert.ok(t && t.use.length > 0 && t.match.length > 0, `${locale}: glossary lacks "${term}"`)
      }
    }
  })

  it('every message with a glossary term uses the language’s word for it', () => {
    const problems: string[] = []
    for (const locale of OTHERS) {
      const g = readJson(`${locale}/glossary.json`) as Glossary
      const parsed = PARSED.get(locale)
      for (const [term, { pattern }] of Object.entries(english.terms)) {
        const en = new RegExp(pattern, 'i')
        const tr = g.terms[term]
        if (!tr) continue
        const want = new RegExp(tr.match, 'iu')
        for (const m of EN.messages.values()) {
          if (!en.test(m.text)) continue
          if (g.exceptions?.[term]?.[m.id] !== undefined) continue
          const text = parsed?.messages.get(m.id)?.text ?? ''
          if (!want.test(text)) problems.push(`${locale} ${m.id}: "${text}" lacks ${term} (${tr.use})`)
        }
      }
      for (const [term, ids] of Object.entries(g.exceptions ?? {})) {
        for (const [id, why] of Object.entries(ids)) {
          assert.ok(EN.messages.has(id), `${locale}: glossary exception for unknown message ${id}`)
          assert.ok(why.length > 10, `${locale}: glossary exception ${term}/${id} needs a reason`)
        }
      }
    }
    assert.deepEqual(problems, [])
  })
})
