// SPDX-License-Identifier: MPL-2.0
// Run inside a network namespace of its own (network-changes.test.ts starts it with `unshare -n`): a
// page on a loopback server, a request under way, then a new interface with an address comes up in
// this namespace only. Prints what Chromium noticed as JSON. `guarded` launches Chromium as the browser
// tests do (chromiumEnv); `bare` as Chromium comes.
import { execFileSync } from 'node:child_process'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { chromium } from 'playwright-core'
import { CHROMIUM } from './harness.ts'
import { chromiumEnv } from './network-changes.ts'

const guarded = process.argv[2] === 'guarded'
execFileSync('ip', ['link', 'set', 'lo', 'up'])
const server = createServer((req, res) => {
  res.setHeader('content-type', 'text/html; charset=utf-8')
  if (req.url === '/slow') setTimeout(() => res.end('ok'), 2000)
  else res.end('<!doctype html><title>probe</title>')
})
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
const env: Record<string, string> = {}
for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'LD_PRELOAD') env[k] = v
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run'],
  env: guarded ? chromiumEnv((line) => console.error(line)) : env,
})
try {
  const page = await browser.newPage()
  await page.goto(`${origin}/`)
  const onLineBefore = await page.evaluate(() => {
    const seen: string[] = []
    Reflect.set(window, 'seen', seen)
    for (const type of ['online', 'offline']) addEventListener(type, () => seen.push(type))
    return navigator.onLine
  })
  const slow = page.evaluate(() =>
    fetch('/slow').then(
      (r) => r.text(),
      (e: unknown) => `failed: ${e}`,
    ),
  )
  await new Promise((r) => setTimeout(r, 300))
  // What Docker does when it creates a network: a new link, an address on it, up.
  execFileSync('ip', ['link', 'add', 'probe0', 'type', 'veth', 'peer', 'name', 'probe1'])
  execFileSync('ip', ['addr', 'add', '10.254.0.1/24', 'dev', 'probe0'])
  execFileSync('ip', ['link', 'set', 'probe0', 'up'])
  execFileSync('ip', ['link', 'set', 'probe1', 'up'])
  const request = await slow
  await new Promise((r) => setTimeout(r, 2000))
  const after = await page.evaluate(() => ({ onLine: navigator.onLine, events: Reflect.get(window, 'seen') }))
  console.log(JSON.stringify({ onLineBefore, onLineAfter: after.onLine, events: after.events, request }))
} finally {
  await browser.close()
  server.close()
}
