// SPDX-License-Identifier: MPL-2.0
// The static service (Persona's `static` process): the built front end from dist/. Pages listed in
// pages.json get no-cache and their framing rules, hashed assets are cached for a year, entry points
// (include.js) briefly; precompressed .br/.gz siblings are served when the browser accepts them; any
// other path gets a real HTML 404 page. Pages and the 404 page go out in the locale negotiated from
// Accept-Language (English when nothing matches).
import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import fastifyStatic from '@fastify/static'
import { API_DESCRIPTION_PATH, createService, type ServiceOptions } from '@persona/kit'
import { negotiateHeader } from '@persona/l10n'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { StaticConfig } from './config.ts'
import { assetCacheControl, pageHeaders } from './headers.ts'
import { describeApi } from './openapi.ts'
import { loadPages } from './pages.ts'

export interface StaticDeps {
  readonly logger?: ServiceOptions['logger']
}

const FALLBACK_404 = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Page not found - Persona</title></head>
<body><main><h1>Page not found</h1><p>The page you asked for does not exist.</p><p><a href="/">Go to the Persona home page</a></p></main></body>
</html>
`

/** Files in dist/ never served by path: HTML goes out only through its pages.json route. */
function isHidden(rel: string): boolean {
  return rel.endsWith('.html') || rel === 'pages.json' || rel.endsWith('.html.br') || rel.endsWith('.html.gz')
}

/** The dist-relative path a URL names, or undefined for anything odd (dot segments, NUL, bad escapes). */
export function relativePathOf(url: string): string | undefined {
  const pathname = url.split('?')[0] ?? ''
  let decoded: string
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    return undefined
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined
  const segments = decoded.split('/').slice(1)
  if (segments.length === 0 || segments.some((s) => s === '' || s.startsWith('.'))) return undefined
  return segments.join('/')
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile()
  } catch {
    return false
  }
}

export async function buildApp(cfg: StaticConfig, deps: StaticDeps = {}) {
  const app = createService({
    name: 'static',
    logLevel: cfg.logLevel,
    trustProxy: cfg.trustProxy,
    ...(deps.logger === undefined ? {} : { logger: deps.logger }),
    deepChecks: [
      {
        name: 'dist',
        check: async () => {
          if (!(await isFile(join(cfg.distDir, 'pages.json'))))
            throw new Error('web build missing (no pages.json)')
        },
      },
    ],
  })
  const pages = await loadPages(cfg.distDir)
  // Every locale any page was built in; the not-found page exists in each of them.
  const locales = [...new Set(pages.flatMap((p) => p.locales))]
  const notFoundHtml = new Map<string, string>()
  for (const locale of locales) {
    const text = await readFile(join(cfg.distDir, locale, '404.html'), 'utf8').catch(() => undefined)
    if (text !== undefined) notFoundHtml.set(locale, text)
  }
  const defaultNotFound = await readFile(join(cfg.distDir, '404.html'), 'utf8').catch(() => FALLBACK_404)
  const notFoundHeaders = { ...pageHeaders('deny', []), 'cache-control': 'no-store' }

  await app.register(fastifyStatic, {
    root: cfg.distDir,
    serve: false,
    preCompressed: true,
    cacheControl: false,
    dotfiles: 'deny',
    index: false,
  })

  function notFound(req: FastifyRequest, reply: FastifyReply) {
    const locale = negotiateHeader(req.headers['accept-language'], locales)
    return reply
      .code(404)
      .headers({ ...notFoundHeaders, vary: 'Accept-Language' })
      .type('text/html; charset=utf-8')
      .send(notFoundHtml.get(locale) ?? defaultNotFound)
  }

  for (const page of pages) {
    const headers = pageHeaders(page.frame, cfg.frameSources)
    app.get(page.route, async (req, reply) => {
      let file = page.file
      if (page.locales.length > 0) {
        const locale = negotiateHeader(req.headers['accept-language'], page.locales)
        file = `${locale}/${page.file}`
        reply.header('content-language', locale)
      }
      if (!(await isFile(join(cfg.distDir, file)))) return notFound(req, reply)
      // Shared caches must keep one copy per language.
      reply.headers({ ...headers, vary: 'Accept-Language' })
      return reply.sendFile(`/${file}`)
    })
  }

  // The public API's description for relying sites; anyone may read it, from any origin.
  const description = JSON.stringify(await describeApi())
  app.get(API_DESCRIPTION_PATH, async (_req, reply) => {
    reply.headers({
      'cache-control': 'public, max-age=300',
      'access-control-allow-origin': '*',
      'x-content-type-options': 'nosniff',
    })
    return reply.type('application/json; charset=utf-8').send(description)
  })

  app.get('/*', async (req, reply) => {
    const rel = relativePathOf(req.url)
    if (rel === undefined || isHidden(rel) || !(await isFile(join(cfg.distDir, rel))))
      return notFound(req, reply)
    reply.header('cache-control', assetCacheControl(rel, cfg.entryMaxAge))
    reply.header('x-content-type-options', 'nosniff')
    return reply.sendFile(`/${rel}`)
  })
  return app
}
