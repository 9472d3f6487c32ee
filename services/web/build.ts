// SPDX-License-Identifier: MPL-2.0
// Builds Persona's browser code into services/web/dist/ for the static service: hashed bundles and CSS
// under assets/, the pages (HTML referencing them, no inline script or style), pages.json (route, file,
// frame policy), the unhashed public scripts include.js, provisioning_api.js, authentication_api.js,
// and .br/.gz siblings of the larger files. Run: node services/web/build.ts
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { basename, dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
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
  readonly title: string
  /** Entry bundle name (key of ENTRIES). */
  readonly script: keyof typeof ENTRIES
  readonly layout: 'dialog' | 'page' | 'bare'
}

/** Hashed page bundles. */
const ENTRIES = {
  dialog: 'dialog/dialog.ts',
  account: 'pages/account.ts',
  verify: 'pages/verify.ts',
  communication_iframe: 'comm/communication-iframe.ts',
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
    title: 'Your Persona account',
    script: 'account',
    layout: 'page',
  },
  {
    route: '/sign_in',
    file: 'sign_in.html',
    frame: 'deny',
    title: 'Sign in · Persona',
    script: 'dialog',
    layout: 'dialog',
  },
  {
    route: '/communication_iframe',
    file: 'communication_iframe.html',
    frame: 'any',
    title: 'Persona',
    script: 'communication_iframe',
    layout: 'bare',
  },
  ...(
    [
      ['/verify_email_address', 'verify_email_address.html', 'Confirm your address'],
      ['/confirm', 'confirm.html', 'Confirm your address'],
      ['/add_email_address', 'add_email_address.html', 'Confirm your address'],
      ['/complete_transition', 'complete_transition.html', 'Confirm your address'],
      ['/reset_password', 'reset_password.html', 'Reset your password'],
    ] as const
  ).map(
    ([route, file, title]): Page => ({
      route,
      file,
      frame: 'deny',
      title: `${title} · Persona`,
      script: 'verify',
      layout: 'page',
    }),
  ),
]

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

function html(page: Page, script: string, css: string): string {
  const head = [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="origin">',
    `<title>${escapeHtml(page.title)}</title>`,
    page.layout === 'bare' ? '' : `<link rel="stylesheet" href="/assets/${css}">`,
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
      '<header class="site"><p class="eyebrow">Sign in to</p><h1 id="site-name">…</h1><p class="origin" id="site-origin"></p></header>',
      '<div class="card">',
      '<main id="screen" aria-live="off"></main>',
      status,
      '</div>',
      '<footer>Persona · your email is your identity</footer>',
      '</div>',
      '</body>',
    ].join('\n')
  } else {
    body = [
      '<body>',
      '<div class="wrap">',
      '<p class="brand"><a href="/">Persona</a></p>',
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
const NOT_FOUND_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Not found · Persona</title><link rel="stylesheet" href="/assets/STYLES"></head>
<body><div class="wrap"><p class="brand"><a href="/">Persona</a></p><div class="card"><main>
<h1>Page not found</h1><p>There is nothing at this address. <a href="/">Go to your Persona account</a>.</p>
</main></div></div></body></html>
`

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
    if (/\.(br|gz|map)$/.test(entry.name) || !/\.(js|css|html|json)$/.test(entry.name)) continue
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

  for (const page of PAGES) {
    await writeFile(join(DIST, page.file), html(page, assetFor(ENTRIES[page.script]), css))
  }
  await writeFile(join(DIST, '404.html'), NOT_FOUND_HTML.replace('STYLES', css))
  const manifest = PAGES.map(({ route, file, frame }) => ({ route, file, frame }))
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
