// SPDX-License-Identifier: MPL-2.0
// SSRF end to end: every textual form of an internal address, used where an attacker can put a host
// -- a self-made certificate's email domain and issuer posted to /verify, /wsapi/discovery,
// address_info, auth_with_assertion, and a support document's `authority` -- makes no connection,
// and the answers for a refused destination, a closed port, a reset, a non-TLS peer, an untrusted
// certificate and a timeout are the same text (only the domain asked about differs).
//
// The real reader, verifier and proxy (with MariaDB) run in process. Every guarded proxy connection
// is sent to one port P; each 127.0.0.x:P plays one kind of IdP, and 127.0.0.1:P and [::1]:P record
// any connection at all (none may arrive: loopback is never a legitimate destination).
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer as createTlsServer, type Server as TlsServer } from 'node:https'
import { createServer, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { after, before, describe, it } from 'node:test'
import {
  bundleAssertion,
  generateKeyPair,
  isValidHostname,
  type PublicKey,
  type SecretKey,
  signAssertion,
  signCertificate,
} from '@persona/browserid'
import { freePort } from '@persona/kit'
import { checkAddress } from '@persona/proxy/address-policy'
import { type Browser, field, SKIP, type Stack, startStack } from '../accounts/stack.ts'
import { addressForms, labelShaped } from '../fixtures/address-forms.ts'
import { selfSignedCert } from '../fixtures/tls/self-signed.ts'

const forms = addressForms()
const labelForms = [...labelShaped(forms), { host: '[127.0.0.1]', url: null, target: '127.0.0.1' }]

/** How each victim name fails; the address it resolves to is the listener that plays it. */
const VICTIMS = {
  'internal.example': '127.0.0.1', // refused by the address policy
  'closed.example': '127.0.0.2', // nothing listens
  'reset.example': '127.0.0.3',
  'plain.example': '127.0.0.4', // speaks HTTP, not TLS
  'badcert.example': '127.0.0.6', // a certificate nobody trusts
  'silent.example': '127.0.0.7', // accepts, never answers
} as const
const DELEGATOR = '127.0.0.5' // *.deleg.example: a good IdP whose documents delegate to each form

const recorded: string[] = []
const proxyEvents: string[] = []
const proxyLog = new Writable({
  write(chunk, _e, cb) {
    for (const l of String(chunk).split('\n').filter(Boolean)) {
      const event: unknown = JSON.parse(l).event
      if (typeof event === 'string' && event.startsWith('proxy.')) proxyEvents.push(event)
    }
    cb()
  },
})
const servers: (Server | TlsServer)[] = []
let port = 0
let dir = ''
let stack: Stack
let user: { publicKey: PublicKey; secretKey: SecretKey }
let rogue: { publicKey: PublicKey; secretKey: SecretKey }

async function listenOn(server: Server | TlsServer, host: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve())
  })
  servers.push(server)
}

function tcp(onSocket: (s: Socket) => void): Server {
  return createServer(onSocket)
}

/** An assertion from a self-made certificate: any email, any issuer, signed by a key of our own. */
function selfMade(email: string, issuer: string, audience: string): string {
  const now = Date.now()
  const cert = signCertificate(
    {
      issuer: isValidHostname(issuer) ? issuer : 'rogue.example',
      publicKey: user.publicKey,
      email,
      iat: now,
      exp: now + 3600_000,
    },
    rogue.secretKey,
  )
  return bundleAssertion([cert], signAssertion({ audience, exp: now + 120_000 }, user.secretKey))
}

async function verify(assertion: string, audience = 'https://rp.example'): Promise<Record<string, unknown>> {
  // A loaded machine can make the verifier shed load: then wait as it says, as a relying site would.
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(`${stack.verifierUrl}/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ assertion, audience }),
    })
    if (res.status === 503 && attempt < 20) {
      await res.arrayBuffer()
      await new Promise((r) => setTimeout(r, 1000 * Number(res.headers.get('retry-after') ?? 1)))
      continue
    }
    assert.equal(res.status, 200)
    return (await res.json()) as Record<string, unknown>
  }
}

/** Nothing that names a network error, an address class or the port connected to may reach a caller. */
const LEAK =
  /ECONN|EPROTO|EHOST|ENET|socket|TLS|SSL|certificate|self.signed|timed? ?out|handshake|loopback|linkLocal|private|reserved|unicast|resolves|:443\b/i

function noLeak(where: string, answer: unknown): void {
  const text = JSON.stringify(answer)
  assert.doesNotMatch(text, LEAK, where)
  assert.ok(!text.includes(`:${port}`), `${where}: names the port connected to`)
}

before(async () => {
  if (SKIP) return
  ;[user, rogue] = await Promise.all([generateKeyPair('DS128'), generateKeyPair('RS256')])
  dir = mkdtempSync(join(tmpdir(), 'ssrf-e2e-'))
  port = await freePort()
  const record = (s: Socket) => {
    recorded.push(`${s.remoteAddress} -> ${s.localAddress}`)
    s.destroy()
  }
  await listenOn(tcp(record), '127.0.0.1')
  await listenOn(tcp(record), '::1').catch(() => undefined) // hosts without IPv6 loopback
  await listenOn(
    tcp((s) => s.resetAndDestroy()),
    VICTIMS['reset.example'],
  )
  await listenOn(
    tcp((s) => s.end('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}')),
    VICTIMS['plain.example'],
  )
  await listenOn(
    tcp(() => undefined),
    VICTIMS['silent.example'],
  )
  const bad = selfSignedCert(mkdtempSync(join(dir, 'bad-')), 'badcert.example')
  await listenOn(
    createTlsServer({ key: readFileSync(bad.keyFile), cert: readFileSync(bad.certFile) }, (_q, r) =>
      r.end('{}'),
    ),
    VICTIMS['badcert.example'],
  )
  // d<i>.deleg.example delegates its authority to labelForms[i].
  const good = selfSignedCert(mkdtempSync(join(dir, 'good-')), '*.deleg.example')
  const ca = readFileSync(good.certFile, 'utf8')
  await listenOn(
    createTlsServer({ key: readFileSync(good.keyFile), cert: ca }, (req, res) => {
      const i = Number(/^d(\d+)\./.exec(req.headers.host ?? '')?.[1] ?? -1)
      const form = labelForms[i]
      if (req.url !== '/.well-known/browserid' || form === undefined) return void res.writeHead(404).end()
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ authority: form.host }))
    }),
    DELEGATOR,
  )
  const addresses: Record<string, string> = VICTIMS
  stack = await startStack({
    proxyEnv: { PROXY_TIMEOUT_MS: '600' },
    proxyDeps: {
      logger: { level: 'info', stream: proxyLog },
      fetcher: {
        ca,
        connectPort: port,
        // Our own DNS: the victims, the delegating IdP, and loopback for any other name.
        resolve: async (name) => [
          {
            address: addresses[name] ?? (name.endsWith('.deleg.example') ? DELEGATOR : '127.0.0.1'),
            family: 4,
          },
        ],
        // The listeners on 127.0.0.2-7 stand for public IdPs; everything else is judged for real.
        checkAddress: (a) => (/^127\.0\.0\.[2-7]$/.test(a) ? { allowed: true } : checkAddress(a)),
      },
    },
  })
})

after(async () => {
  if (SKIP) return
  await stack.stop()
  for (const s of servers) s.close()
  rmSync(dir, { recursive: true, force: true })
})

function checkNoConnection(): void {
  assert.deepEqual(recorded, [], 'a connection reached a loopback listener')
}

/** Proxy events logged by `run` other than refusals: a form that got as far as a socket shows here. */
async function networkEvents(run: () => Promise<void>): Promise<string[]> {
  const from = proxyEvents.length
  await run()
  return proxyEvents.slice(from).filter((e) => e !== 'proxy.refused')
}

describe('SSRF through the verifier', { skip: SKIP }, () => {
  it(`a self-made certificate for each of ${labelForms.length} address hosts: refused, nothing connected`, async () => {
    const events = await networkEvents(async () => {
      for (const f of labelForms) {
        const answer = await verify(selfMade(`u@${f.host}`, f.host, 'https://rp.example'))
        assert.equal(answer.status, 'failure', f.host)
        noLeak(f.host, answer)
      }
    })
    assert.deepEqual(events, [])
    checkNoConnection()
  })

  it('a support document delegating to each address host: refused, nothing connected', async () => {
    for (const [i, f] of labelForms.entries()) {
      const domain = `d${i}.deleg.example`
      const answer = await verify(selfMade(`u@${domain}`, f.host.toLowerCase(), 'https://rp.example'))
      assert.equal(answer.status, 'failure', f.host)
      const reason = String(answer.reason)
      // Fetched (and refused) as the authority, or not even a hostname to the document parser.
      assert.ok(
        reason.includes(`support document for '${f.host.toLowerCase()}'`) ||
          reason.endsWith('malformed authority'),
        `${f.host}: ${reason}`,
      )
      noLeak(f.host, answer)
    }
    checkNoConnection()
  })

  it('refused, closed, reset, not TLS, bad certificate and timeout answer the same', async () => {
    await sameAnswers(async (domain) => verify(selfMade(`u@${domain}`, domain, 'https://rp.example')))
  })
})

describe('SSRF through the reader (wsapi)', { skip: SKIP }, () => {
  let b: Browser
  before(async () => {
    b = stack.browser()
    await b.context()
  })

  it(`/wsapi/discovery with each of ${forms.length} address hosts: our own document, nothing connected`, async () => {
    const ours = await b.get('discovery', { domain: 'example.test' })
    assert.equal(ours.status, 200)
    const events = await networkEvents(async () => {
      for (const f of forms) {
        const r = await b.get('discovery', { domain: f.host })
        assert.ok(r.status === 200 || r.status === 400, `${f.host}: ${r.status} ${r.text}`)
        if (r.status === 200) assert.deepEqual(r.body, ours.body, f.host)
        noLeak(f.host, r.body)
      }
    })
    assert.deepEqual(events, [])
    checkNoConnection()
  })

  it('address_info and discovery of domains delegating to each address host: secondary, nothing connected', async () => {
    const events = await networkEvents(async () => {
      for (const [i, f] of labelForms.entries()) {
        const domain = `d${i}.deleg.example`
        const info = await b.get('address_info', { email: `u@${domain}` })
        assert.equal(info.status, 200, info.text)
        assert.equal(field(info, 'type'), 'secondary', f.host)
        noLeak(f.host, info.body)
        const direct = await b.get('address_info', { email: `u@${f.host}` })
        assert.ok(direct.status === 200 || direct.status === 400, direct.text)
        if (direct.status === 200) assert.equal(field(direct, 'type'), 'secondary', f.host)
        noLeak(f.host, direct.body)
      }
    })
    assert.deepEqual(events, [])
    checkNoConnection()
  })

  it('auth_with_assertion: refused, closed, reset, not TLS, bad certificate and timeout answer the same', async () => {
    await sameAnswers(async (domain) => {
      const r = await b.post('auth_with_assertion', {
        assertion: selfMade(`u@${domain}`, domain, stack.audience),
        ephemeral: true,
      })
      return { status: r.status, body: r.body }
    })
    for (const f of labelForms) {
      const r = await b.post('auth_with_assertion', {
        assertion: selfMade(`u@${f.host}`, f.host, stack.audience),
        ephemeral: true,
      })
      assert.equal(field(r, 'success'), false, f.host)
      noLeak(f.host, r.body)
    }
    checkNoConnection()
  })
})

/** Asks about each victim; the answers, with the victim's name blanked, must be one and the same. */
async function sameAnswers(ask: (domain: string) => Promise<unknown>): Promise<void> {
  const answers = new Map<string, string>()
  for (const domain of Object.keys(VICTIMS)) {
    const a = await ask(domain)
    noLeak(domain, a)
    answers.set(domain, JSON.stringify(a).replaceAll(domain, 'DOMAIN'))
  }
  const distinct = new Set(answers.values())
  assert.equal(distinct.size, 1, [...answers].map(([d, a]) => `${d}: ${a}`).join('\n'))
  assert.match([...distinct][0] ?? '', /could not reach DOMAIN/)
  checkNoConnection()
}
