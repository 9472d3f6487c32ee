// SPDX-License-Identifier: MPL-2.0
// The real web's shape for the browser tests: the relying site and Persona on different sites
// (https://rp.test and https://persona.test, both on the default port), reached through a TLS front
// that Chromium's --host-resolver-rules points both names at. One stack serves every run; each run
// launches Chromium with third-party cookies allowed or blocked (the user's own setting, written into
// a fresh profile), and with FedCM on or off.
//
// Certificates: one self-signed certificate names both sites, and Chromium trusts exactly its key
// (--ignore-certificate-errors-spki-list), nothing else: a page with any other certificate error still
// fails, and the pages are secure contexts (Secure cookies, SameSite=None, FedCM).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type BrowserContext, chromium } from 'playwright-core'
import { type Stack, startStack } from '../../scripts/dev/stack.ts'
import { startTlsFront, type TlsFront } from '../fixtures/tls/front.ts'
import { selfSignedCert, spkiFingerprint } from '../fixtures/tls/self-signed.ts'
import { chromiumEnv } from './network-changes.ts'

export const CHROMIUM = '/usr/bin/chromium'
export const PERSONA_HOST = 'persona.test'
export const RP_HOST = 'rp.test'
export const PERSONA = `https://${PERSONA_HOST}`
export const RP = `https://${RP_HOST}`

export type CookieMode = 'allowed' | 'blocked'

export interface BrowserMode {
  /** Third-party cookies: Chromium's "allow" or "block third-party cookies" setting. */
  readonly thirdPartyCookies: CookieMode
  /** navigator.credentials.get({identity}) present (Chromium's default) or not (other browsers). */
  readonly fedcm: boolean
}

/**
 * Chromium's own cookie setting (profile pref cookie_controls_mode): 0 allows third-party cookies,
 * 1 blocks them. Set in the profile, as a user would in chrome://settings/cookies: the DevTools
 * protocol's Network.setCookieControls does not reach out-of-process frames.
 */
const COOKIE_CONTROLS_MODE: Record<CookieMode, number> = { allowed: 0, blocked: 1 }

/**
 * Features turned off. This list replaces Playwright's default --disable-features (the last switch
 * wins), whose ThirdPartyStoragePartitioning entry would give frames unpartitioned storage that no
 * shipping browser gives: Chromium, Firefox and Safari all partition third-party storage.
 */
const DISABLED_FEATURES = [
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable',
  'MediaRouter',
  'PaintHolding',
  'OptimizationHints',
]

export interface CrossSite {
  readonly stack: Stack
  readonly front: TlsFront
  /** Persona as Node reaches it (nginx's local address), for calls the test makes itself. */
  readonly local: string
  /**
   * A new Chromium with its own fresh profile, like another person's computer. `thirdPartyCookiesOn`:
   * top-level sites where the user has allowed third-party cookies anyway (Chromium's per-site
   * exception, the eye icon's "allow third-party cookies" in the address bar).
   */
  launch(
    mode: BrowserMode,
    opts?: { readonly thirdPartyCookiesOn?: readonly string[] },
  ): Promise<BrowserContext>
  stop(): Promise<void>
}

export async function startCrossSite(opts: {
  readonly env?: Readonly<Record<string, string>>
}): Promise<CrossSite> {
  const dir = await mkdtemp(join(tmpdir(), 'persona-browser-'))
  const profiles: string[] = []
  let stack: Stack | undefined
  let front: TlsFront | undefined
  try {
    stack = await startStack({
      dir,
      web: 'always',
      logLevel: 'warn',
      publicOrigin: PERSONA,
      exampleRpOrigin: RP,
      ...(opts.env === undefined ? {} : { env: opts.env }),
    })
    const certDir = join(dir, 'tls')
    await mkdir(certDir, { recursive: true })
    const cert = selfSignedCert(certDir, PERSONA_HOST, [RP_HOST])
    front = await startTlsFront({
      ...cert,
      sites: { [PERSONA_HOST]: stack.ports.nginx, [RP_HOST]: stack.ports.exampleRp },
    })
    const hostRules = [PERSONA_HOST, RP_HOST].map((h) => `MAP ${h}:443 127.0.0.1:${front?.port}`).join(', ')
    const spki = spkiFingerprint(cert.certFile)
    const started: { stack: Stack; front: TlsFront } = { stack, front }
    return {
      ...started,
      local: stack.urls.public,
      launch: async (mode, launchOpts) => {
        const profile = await mkdtemp(join(tmpdir(), 'persona-chromium-'))
        profiles.push(profile)
        await mkdir(join(profile, 'Default'), { recursive: true })
        // Exceptions are keyed "<embedded>,<top-level>" as Chromium keeps them: any site under these.
        const cookies = Object.fromEntries(
          (launchOpts?.thirdPartyCookiesOn ?? []).map((h) => [`*,[*.]${h}`, { setting: 1 }]),
        )
        const prefs = {
          profile: {
            cookie_controls_mode: COOKIE_CONTROLS_MODE[mode.thirdPartyCookies],
            content_settings: { exceptions: { cookies } },
          },
        }
        await writeFile(join(profile, 'Default', 'Preferences'), JSON.stringify(prefs))
        const disabled = [...DISABLED_FEATURES, ...(mode.fedcm ? [] : ['FedCm'])]
        return chromium.launchPersistentContext(profile, {
          executablePath: CHROMIUM,
          headless: true,
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            `--host-resolver-rules=${hostRules}`,
            `--ignore-certificate-errors-spki-list=${spki}`,
            `--disable-features=${disabled.join(',')}`,
          ],
          viewport: { width: 900, height: 700 },
          // Blind to the machine's network changes: other tests create Docker networks meanwhile.
          env: chromiumEnv(),
        })
      },
      stop: async () => {
        await started.front.close()
        await started.stack.stop()
        for (const p of [...profiles, dir]) await rm(p, { recursive: true, force: true })
      },
    }
  } catch (e) {
    await front?.close()
    await stack?.stop()
    await rm(dir, { recursive: true, force: true })
    throw e
  }
}
