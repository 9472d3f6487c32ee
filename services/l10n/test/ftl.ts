// SPDX-License-Identifier: MPL-2.0
// Reads a locale's .ftl files with Fluent's own parser (@fluent/syntax) into what the tests compare:
// each message's variables, term references and plain text, and any syntax error as Junk.
import { type Expression, type Pattern, type PatternElement, parse } from '@fluent/syntax'
import { MESSAGE_FILES, type MessageFile } from '../src/bundles.ts'
import { readMessageFile } from '../src/catalog.ts'

export interface ParsedMessage {
  readonly id: string
  readonly file: MessageFile
  /** `$name` placeables, in every variant. */
  readonly variables: ReadonlySet<string>
  /** Attribute names (`.label`). */
  readonly attributes: readonly string[]
  /** The value's literal text, placeables left out (for glossary and "still English" checks). */
  readonly text: string
}

export interface ParsedLocale {
  readonly messages: ReadonlyMap<string, ParsedMessage>
  readonly junk: readonly string[]
  readonly duplicates: readonly string[]
}

function expressionVars(e: Expression, out: Set<string>, text: string[]): void {
  if (e.type === 'VariableReference') out.add(e.id.name)
  else if (e.type === 'SelectExpression') {
    expressionVars(e.selector, out, text)
    for (const v of e.variants) patternVars(v.value, out, text)
  } else if (e.type === 'Placeable') expressionVars(e.expression, out, text)
  else if (e.type === 'FunctionReference') {
    for (const a of e.arguments.positional) expressionVars(a, out, text)
  } else if (e.type === 'StringLiteral') text.push(e.value)
}

function patternVars(p: Pattern | null, out: Set<string>, text: string[]): void {
  for (const el of p?.elements ?? ([] as PatternElement[])) {
    if (el.type === 'TextElement') text.push(el.value)
    else expressionVars(el.expression, out, text)
  }
}

export function parseLocale(locale: string): ParsedLocale {
  const messages = new Map<string, ParsedMessage>()
  const junk: string[] = []
  const duplicates: string[] = []
  for (const file of MESSAGE_FILES) {
    const res = parse(readMessageFile(locale, file), { withSpans: false })
    for (const entry of res.body) {
      if (entry.type === 'Junk') junk.push(`${file}.ftl: ${entry.content.trim().slice(0, 80)}`)
      if (entry.type !== 'Message') continue
      const variables = new Set<string>()
      const text: string[] = []
      patternVars(entry.value, variables, text)
      for (const a of entry.attributes) patternVars(a.value, variables, [])
      if (messages.has(entry.id.name)) duplicates.push(entry.id.name)
      messages.set(entry.id.name, {
        id: entry.id.name,
        file,
        variables,
        attributes: entry.attributes.map((a) => a.id.name).sort(),
        text: text.join(''),
      })
    }
  }
  return { messages, junk, duplicates }
}
