// SPDX-License-Identifier: MPL-2.0
// The page table the web build writes to dist/pages.json: which route serves which HTML file, how it
// may be framed, and in which locales (`<locale>/<file>`). Read once at start; a malformed table stops
// the service with a clear message.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { FRAME_RULES, type FrameRule } from './headers.ts'

export interface Page {
  readonly route: string
  readonly file: string
  readonly frame: FrameRule
  /** Locales the page was built in; empty when only `file` exists. */
  readonly locales: readonly string[]
}

const ROUTE = /^\/[A-Za-z0-9_./-]*$/
const FILE = /^[A-Za-z0-9_-][A-Za-z0-9_./-]*\.html$/
const LOCALE = /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/

function isFrameRule(v: unknown): v is FrameRule {
  return FRAME_RULES.some((r) => r === v)
}

/** Validates one parsed pages.json; throws naming the bad entry. */
export function parsePages(raw: unknown): Page[] {
  if (!Array.isArray(raw)) throw new Error('pages.json: expected an array')
  const seen = new Set<string>()
  return raw.map((e: unknown, i) => {
    if (typeof e !== 'object' || e === null) throw new Error(`pages.json[${i}]: expected an object`)
    const route = 'route' in e ? e.route : undefined
    const file = 'file' in e ? e.file : undefined
    const frame = 'frame' in e ? e.frame : 'deny'
    if (typeof route !== 'string' || !ROUTE.test(route) || route.includes('..')) {
      throw new Error(`pages.json[${i}]: bad route`)
    }
    if (typeof file !== 'string' || !FILE.test(file) || file.split('/').some((s) => s.startsWith('.'))) {
      throw new Error(`pages.json[${i}]: bad file`)
    }
    if (!isFrameRule(frame))
      throw new Error(`pages.json[${i}]: frame must be one of ${FRAME_RULES.join(', ')}`)
    if (seen.has(route)) throw new Error(`pages.json[${i}]: duplicate route ${route}`)
    seen.add(route)
    const locales = 'locales' in e ? e.locales : []
    if (!Array.isArray(locales) || !locales.every((l) => typeof l === 'string' && LOCALE.test(l))) {
      throw new Error(`pages.json[${i}]: locales must be language tags`)
    }
    return { route, file, frame, locales }
  })
}

/** The pages of a dist dir; none when the build has not run (the 404 page still works). */
export async function loadPages(distDir: string): Promise<Page[]> {
  let text: string
  try {
    text = await readFile(join(distDir, 'pages.json'), 'utf8')
  } catch (e) {
    if (e instanceof Error && 'code' in e && e.code === 'ENOENT') return []
    throw e
  }
  return parsePages(JSON.parse(text))
}
