// SPDX-License-Identifier: MPL-2.0
// Builds Persona's browser code into services/web/dist/ for the static service: hashed bundles and CSS
// under assets/, the pages (HTML referencing them, no inline script or style), pages.json (route, file,
// frame policy), the unhashed public scripts include.js, provisioning_api.js, authentication_api.js,
// and .br/.gz siblings of the larger files. Every page is written once per locale (<locale>/<file>,
// with lang, dir and the shell's text in that language; static picks one per request) and each
// locale's messages become hashed .ftl assets the page's script fetches. Run: node services/web/build.ts
import { createHash } from 'node:crypto'
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { basename, dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import { ALL_LOCALES, type BundleName, DEFAULT_LOCALE, type Messages } from '@persona/l10n'
import { bundleSource, Catalog } from '@persona/l10n/catalog'
import * as esbuild from 'esbuild'

const HERE = dirname(fileURLToPath(import.meta.url))
const SRC = join(HERE, 'src')
const DIST = process.env.WEB_DIST_DIR ?? join(HERE, 'dist')
const ASSETS = join(DIST, 'assets')
/** Files above this size get precompressed siblings. */
const COMPRESS_MIN_BYTES = 1024

type Frame = 'deny' | 'sameorigin' | 'any'

interface Page {
  readonly route: string
  readonly file: string
  readonly frame: Frame
  /** Message id of the page's title. */
  readonly title: string
  /** Entry bundle name (key of ENTRIES). */
  readonly script: keyof typeof ENTRIES
  readonly layout: 'dialog' | 'page' | 'bare'
}

/** The messages each page's script fetches (the communication iframe shows no text). */
const MESSAGES_OF: Readonly<Record<keyof typeof ENTRIES, BundleName | undefined>> = {
  dialog: 'dialog',
  account: 'account',
  verify: 'link',
  communication_iframe: undefined,
  provision: undefined,
  auth: 'idp',
  check_idp: 'idp',
}

/** Hashed page bundles. */
const ENTRIES = {
  dialog: 'dialog/dialog.ts',
  account: 'pages/account.ts',
  verify: 'pages/verify.ts',
  communication_iframe: 'comm/communication-iframe.ts',
  provision: 'idp/provision.ts',
  auth: 'idp/auth.ts',
  check_idp: 'pages/check-idp.ts',
} as const

/** Public entry points at the dist root, linked by other sites, so never hashed. */
const PUBLIC_SCRIPTS = {
  'include.js': 'include/include.ts',
  'provisioning_api.js': 'provisioning-api.ts',
  'authentication_api.js': 'authentication-api.ts',
} as const

export const PAGES: readonly Page[] = [
  {
    route: '/',
    file: 'index.html',
    frame: 'deny',
    title: 'page-title-account',
    script: 'account',
    layout: 'page',
  },
  {
    route: '/sign_in',
    file: 'sign_in.html',
    frame: 'deny',
    title: 'page-title-sign-in',
    script: 'dialog',
    layout: 'dialog',
  },
  {
    route: '/communication_iframe',
    file: 'communication_iframe.html',
    frame: 'any',
    title: 'shell-brand',
    script: 'communication_iframe',
    layout: 'bare',
  },
  // Persona's own IdP pages, named by /.well-known/browserid and discovery: the provisioning page is
  // framed by our dialog only.
  {
    route: '/provision',
    file: 'provision.html',
    frame: 'sameorigin',
    title: 'shell-brand',
    script: 'provision',
    layout: 'bare',
  },
  {
    route: '/auth',
    file: 'auth.html',
    frame: 'deny',
    title: 'page-title-sign-in',
    script: 'auth',
    layout: 'page',
  },
  // For those who run an identity provider: what is wrong with a domain's support document.
  {
    route: '/check_idp',
    file: 'check_idp.html',
    frame: 'deny',
    title: 'page-title-check-idp',
    script: 'check_idp',
    layout: 'page',
  },
  ...(
    [
      ['/verify_email_address', 'verify_email_address.html', 'page-title-confirm'],
      ['/confirm', 'confirm.html', 'page-title-confirm'],
      ['/add_email_address', 'add_email_address.html', 'page-title-confirm'],
      ['/complete_transition', 'complete_transition.html', 'page-title-confirm'],
      ['/reset_password', 'reset_password.html', 'page-title-reset'],
    ] as const
  ).map(
    ([route, file, title]): Page => ({
      route,
      file,
      frame: 'deny',
      title,
      script: 'verify',
      layout: 'page',
    }),
  ),
]

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

/** Text of the shell, in the page's language; bidi isolation marks are for live text only. */
function shellText(m: Messages, id: string): string {
  return escapeHtml(m.format(id).replace(/[\u2068\u2069]/g, ''))
}

/** The page's locale and where its script finds each locale's messages (a JSON data block). */
function l10nBlock(locale: string, assets: Readonly<Record<string, string>> | undefined): string {
  if (assets === undefined) return ''
  // Inside <script>, "</" would end the element: JSON allows escaping the slash.
  const json = JSON.stringify({ locale, assets }).replace(/<\//g, '<\\/')
  return `<script type="application/json" id="persona-l10n">${json}</script>`
}

function html(
  page: Page,
  m: Messages,
  script: string,
  css: string,
  assets: Readonly<Record<string, string>> | undefined,
): string {
  const own = assets?.[m.locale]
  const head = [
    '<!doctype html>',
    `<html lang="${m.locale}" dir="${m.dir}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="origin">',
    `<title>${shellText(m, page.title)}</title>`,
    page.layout === 'bare' ? '' : `<link rel="stylesheet" href="/assets/${css}">`,
    own === undefined ? '' : `<link rel="preload" href="${own}" as="fetch" crossorigin>`,
    l10nBlock(m.locale, assets),
    `<script src="/assets/${script}" defer></script>`,
    '</head>',
  ]
  const status = '<p id="status" class="status" role="status" aria-live="polite"></p>'
  let body: string
  if (page.layout === 'bare') body = '<body></body>'
  else if (page.layout === 'dialog') {
    body = [
      '<body class="dialog-page">',
      '<div class="wrap dialog">',
      `<header class="site"><img id="site-logo" class="site-logo" alt="" hidden><div class="site-text"><p class="eyebrow">${shellText(m, 'shell-sign-in-to')}</p><h1 id="site-name">…</h1><p class="origin" id="site-origin" dir="ltr"></p></div></header>`,
      '<div class="card">',
      '<main id="screen" aria-live="off"></main>',
      status,
      '</div>',
      `<footer>${shellText(m, 'shell-footer')}</footer>`,
      '</div>',
      '</body>',
    ].join('\n')
  } else {
    body = [
      '<body>',
      '<div class="wrap">',
      `<p class="brand"><a href="/">${shellText(m, 'shell-brand')}</a></p>`,
      '<div class="card">',
      '<main id="screen"></main>',
      status,
      '</div>',
      '</div>',
      '</body>',
    ].join('\n')
  }
  return `${head.filter(Boolean).join('\n')}\n${body}\n</html>\n`
}

/** Static's not-found page: no script, just the stylesheet. */
function notFoundHtml(m: Messages, css: string): string {
  return `<!doctype html>
<html lang="${m.locale}" dir="${m.dir}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${shellText(m, 'page-title-not-found')}</title><link rel="stylesheet" href="/assets/${css}"></head>
<body><div class="wrap"><p class="brand"><a href="/">${shellText(m, 'shell-brand')}</a></p><div class="card"><main>
<h1>${shellText(m, 'not-found-heading')}</h1><p>${shellText(m, 'not-found-body')} <a href="/">${shellText(m, 'not-found-link')}</a></p>
</main></div></div></body></html>
`
}

/**
 * Each locale's messages of each page bundle as a hashed .ftl under assets/l10n/ (the pseudo-locale
 * shares English's file: its accents are applied when the text is formatted). Returns bundle ->
 * locale -> URL.
 */
async function writeMessageAssets(): Promise<Map<BundleName, Record<string, string>>> {
  await mkdir(join(ASSETS, 'l10n'), { recursive: true })
  const out = new Map<BundleName, Record<string, string>>()
  for (const bundle of new Set(Object.values(MESSAGES_OF))) {
    if (bundle === undefined) continue
    const urls: Record<string, string> = {}
    for (const locale of ALL_LOCALES) {
      const text = bundleSource(locale, bundle)
      const hash = createHash('sha256').update(text).digest('hex').slice(0, 10)
      const name = `l10n/${bundle}.${locale}-${hash}.ftl`
      await writeFile(join(ASSETS, name), text)
      urls[locale] = `/assets/${name}`
    }
    out.set(bundle, urls)
  }
  return out
}

const COMMON: esbuild.BuildOptions = {
  bundle: true,
  minify: true,
  sourcemap: 'linked',
  target: ['es2022', 'chrome100', 'firefox100', 'safari15'],
  format: 'iife',
  platform: 'browser',
  legalComments: 'none',
  logLevel: 'warning',
}

async function compressTree(dir: string): Promise<number> {
  let count = 0
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) {
      count += await compressTree(path)
      continue
    }
    if (/\.(br|gz|map)$/.test(entry.name) || !/\.(js|css|html|json|ftl)$/.test(entry.name)) continue
    if ((await stat(path)).size < COMPRESS_MIN_BYTES) continue
    const data = await readFile(path)
    await writeFile(
      `${path}.br`,
      brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
    )
    await writeFile(`${path}.gz`, gzipSync(data, { level: 9 }))
    count++
  }
  return count
}

export async function build(): Promise<{ dist: string; pages: number }> {
  await rm(DIST, { recursive: true, force: true })
  await mkdir(ASSETS, { recursive: true })

  const hashed = await esbuild.build({
    ...COMMON,
    entryPoints: {
      ...Object.fromEntries(Object.entries(ENTRIES).map(([k, v]) => [k, join(SRC, v)])),
      styles: join(SRC, 'styles.css'),
    },
    outdir: ASSETS,
    entryNames: '[name]-[hash]',
    metafile: true,
  })
  const outputs = new Map<string, string>()
  for (const [out, meta] of Object.entries(hashed.metafile.outputs)) {
    if (!meta.entryPoint) continue
    const name = basename(meta.entryPoint).replace(/\.(ts|css)$/, '')
    outputs.set(meta.entryPoint.endsWith('.css') ? 'styles' : name, basename(out))
  }
  const assetFor = (entry: string): string => {
    const file = basename(entry).replace(/\.ts$/, '')
    const out = outputs.get(file)
    if (!out) throw new Error(`no bundle for ${entry}`)
    return out
  }
  const css = outputs.get('styles')
  if (!css) throw new Error('no stylesheet')

  for (const [file, entry] of Object.entries(PUBLIC_SCRIPTS)) {
    await esbuild.build({ ...COMMON, entryPoints: [join(SRC, entry)], outfile: join(DIST, file) })
  }

  const messageAssets = await writeMessageAssets()
  const shells = new Catalog('page', (locale, id) => {
    throw new Error(`${locale}: page shell message ${id} is missing`)
  })
  for (const locale of ALL_LOCALES) {
    const m = shells.get(locale)
    await mkdir(join(DIST, locale), { recursive: true })
    for (const page of PAGES) {
      const bundle = MESSAGES_OF[page.script]
      const assets = bundle === undefined ? undefined : messageAssets.get(bundle)
      await writeFile(
        join(DIST, locale, page.file),
        html(page, m, assetFor(ENTRIES[page.script]), css, assets),
      )
    }
    await writeFile(join(DIST, locale, '404.html'), notFoundHtml(m, css))
  }
  // Unlocalized names keep working for anything that reads dist/ directly.
  for (const page of PAGES) {
    await writeFile(join(DIST, page.file), await readFile(join(DIST, DEFAULT_LOCALE, page.file)))
  }
  await writeFile(join(DIST, '404.html'), await readFile(join(DIST, DEFAULT_LOCALE, '404.html')))
  const manifest = PAGES.map(({ route, file, frame }) => ({ route, file, frame, locales: ALL_LOCALES }))
  await writeFile(join(DIST, 'pages.json'), `${JSON.stringify(manifest, null, 2)}\n`)
  const compressed = await compressTree(DIST)
  console.log(
    `web: built ${PAGES.length} pages, ${outputs.size} assets, ${compressed} precompressed, in ${relative(process.cwd(), DIST) || DIST}`,
  )
  return { dist: DIST, pages: PAGES.length }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await build()
}
