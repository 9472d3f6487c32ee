// SPDX-License-Identifier: MPL-2.0
// Persona as a FedCM identity provider (W3C Federated Credential Management, the browser's own
// successor of navigator.id): the well-known file and config file, the accounts endpoint (the signed-in
// user's addresses), the ID assertion endpoint (a backed BrowserID assertion for the asking site, which
// the site's backend verifies at /verify unchanged), client metadata and disconnect; and the Login
// Status API's Set-Login header whenever a request signs the browser in or out.
//
// The credentialed endpoints live under /wsapi/ because Persona's session cookie has always been
// scoped to that path. Every FedCM fetch carries Sec-Fetch-Dest: webidentity (no page can set it), and
// the assertion and disconnect endpoints answer only the origin that asked, with CORS for it.
import { bundleAssertion, domainFromEmail, generateKeyPair, signAssertion } from '@persona/browserid'
import { PersonaError } from '@persona/kit'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { type Static, Type } from 'typebox'
import { certify } from './certify.ts'
import type { ReaderServices } from './context.ts'
import { authOf, loadSession } from './session.ts'

/** Where each FedCM piece is served; the config file names the others relative to itself. */
export const FEDCM_PATHS = {
  wellKnown: '/.well-known/web-identity',
  config: '/fedcm/config.json',
  clientMetadata: '/fedcm/client_metadata',
  accounts: '/wsapi/fedcm/accounts',
  assertion: '/wsapi/fedcm/assertion',
  disconnect: '/wsapi/fedcm/disconnect',
  /** The sign-in dialog in its FedCM mode: signs in to Persona, then hands back to the browser. */
  login: '/sign_in?fedcm=login',
  /** The dialog finishing a token the server cannot make (origin and email added). */
  continuation: '/sign_in?fedcm=continue',
} as const

/** How long a FedCM token is good for: the site's backend verifies it right away. */
export const ASSERTION_LIFETIME_MS = 2 * 60 * 1000
/** DS128: a fresh key per token costs microseconds (an RSA key would cost tens of milliseconds). */
const TOKEN_KEY_ALGORITHM = 'DS128'

const ErrorBody = Type.Object({
  success: Type.Literal(false),
  code: Type.String(),
  reason: Type.String(),
  error: Type.Optional(Type.Object({ code: Type.String() })),
})

const WellKnown = Type.Object({
  provider_urls: Type.Array(Type.String()),
  accounts_endpoint: Type.String(),
  login_url: Type.String(),
})

const Config = Type.Object({
  accounts_endpoint: Type.String(),
  client_metadata_endpoint: Type.String(),
  id_assertion_endpoint: Type.String(),
  disconnect_endpoint: Type.String(),
  login_url: Type.String(),
  supports_use_other_account: Type.Boolean(),
  branding: Type.Object({ name: Type.String(), background_color: Type.String(), color: Type.String() }),
})

const Account = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  login_hints: Type.Array(Type.String()),
  domain_hints: Type.Array(Type.String()),
})

/** The browser's form fields; browsers add fields as the spec grows, so others pass unchecked. */
const AssertionForm = Type.Object(
  {
    client_id: Type.String({ minLength: 1, maxLength: 2048 }),
    account_id: Type.String({ minLength: 3, maxLength: 254 }),
    is_auto_selected: Type.Optional(Type.String({ maxLength: 8 })),
    disclosure_text_shown: Type.Optional(Type.String({ maxLength: 8 })),
    nonce: Type.Optional(Type.String({ maxLength: 2048 })),
    params: Type.Optional(Type.String({ maxLength: 4096 })),
  },
  { additionalProperties: true },
)
type AssertionFormT = Static<typeof AssertionForm>

const DisconnectForm = Type.Object(
  {
    client_id: Type.String({ minLength: 1, maxLength: 2048 }),
    account_hint: Type.String({ minLength: 1, maxLength: 254 }),
  },
  { additionalProperties: true },
)
type DisconnectFormT = Static<typeof DisconnectForm>

const ClientMetadataQuery = Type.Object(
  { client_id: Type.String({ minLength: 1, maxLength: 2048 }) },
  { additionalProperties: true },
)

/** FedCM's error member, so the browser can say why (OAuth's codes), beside Persona's own. */
function fedcmError(code: 'ERR_UNAUTHORIZED' | 'ERR_FORBIDDEN' | 'ERR_BAD_REQUEST', reason: string) {
  const oauth = code === 'ERR_BAD_REQUEST' ? 'invalid_request' : 'access_denied'
  return new PersonaError(code, reason, { body: { error: { code: oauth } } })
}

/** Only the browser's FedCM fetches carry this header; a page's fetch() cannot set it. */
function requireWebIdentity(req: FastifyRequest): void {
  if (req.headers['sec-fetch-dest'] !== 'webidentity') {
    throw fedcmError('ERR_FORBIDDEN', 'FedCM requests only (Sec-Fetch-Dest: webidentity)')
  }
}

/**
 * The asking site's origin. Persona's client id is the site's origin itself (BrowserID's audience),
 * so the Origin header must be exactly the client_id: a site can get tokens only for itself.
 */
function requestingOrigin(req: FastifyRequest, clientId: string): string {
  const origin = req.headers.origin
  if (typeof origin !== 'string' || origin === 'null') throw fedcmError('ERR_FORBIDDEN', 'no Origin header')
  let parsed: URL
  try {
    parsed = new URL(clientId)
  } catch {
    throw fedcmError('ERR_BAD_REQUEST', 'client_id must be the site origin')
  }
  if (parsed.origin !== clientId.replace(/\/$/, '') || parsed.origin !== origin) {
    throw fedcmError('ERR_FORBIDDEN', 'client_id is not the requesting origin')
  }
  return origin
}

function allowOrigin(reply: FastifyReply, origin: string): void {
  reply.header('access-control-allow-origin', origin)
  reply.header('access-control-allow-credentials', 'true')
  reply.header('vary', 'Origin')
}

/** The signed-in user, or a FedCM error (and the browser told the user is signed out). */
function signedIn(req: FastifyRequest, reply: FastifyReply, now: number): { userid: number; level: string } {
  const auth = authOf(loadSession(req.session), now)
  if (auth === undefined) {
    reply.header('set-login', 'logged-out')
    throw fedcmError('ERR_UNAUTHORIZED', 'not signed in to Persona')
  }
  return auth
}

/** A backed assertion for `audience`: a fresh key, certified for `email`, signing for `audience`. */
export async function mintToken(
  env: Pick<ReaderServices, 'certifier' | 'cfg'>,
  now: number,
  email: string,
  audience: string,
  requestId: string,
): Promise<string> {
  const { publicKey, secretKey } = await generateKeyPair(TOKEN_KEY_ALGORITHM)
  const cert = await certify(env, {
    email,
    pubkey: JSON.stringify(publicKey.toJSON()),
    ephemeral: true,
    unverified: false,
    requestId,
  })
  const assertion = signAssertion({ audience, iat: now, exp: now + ASSERTION_LIFETIME_MS }, secretKey)
  return bundleAssertion([cert], assertion)
}

/** The FedCM routes on the reader's app (which already decodes the session cookie). */
export function registerFedcm(app: FastifyInstance, env: ReaderServices, now: () => number): void {
  const origin = env.own.origin
  const at = (path: string) => `${origin}${path}`

  app.get(FEDCM_PATHS.wellKnown, { schema: { response: { 200: WellKnown } } }, async (_req, reply) => {
    reply.header('cache-control', 'public, max-age=300')
    return {
      provider_urls: [at(FEDCM_PATHS.config)],
      accounts_endpoint: at(FEDCM_PATHS.accounts),
      login_url: at(FEDCM_PATHS.login),
    }
  })

  app.get(FEDCM_PATHS.config, { schema: { response: { 200: Config } } }, async (_req, reply) => {
    reply.header('cache-control', 'public, max-age=300')
    return {
      accounts_endpoint: FEDCM_PATHS.accounts,
      client_metadata_endpoint: FEDCM_PATHS.clientMetadata,
      id_assertion_endpoint: FEDCM_PATHS.assertion,
      disconnect_endpoint: FEDCM_PATHS.disconnect,
      login_url: FEDCM_PATHS.login,
      supports_use_other_account: true,
      branding: { name: 'Persona', background_color: '#0b57d0', color: '#ffffff' },
    }
  })

  // Persona keeps no list of sites: there is nothing to say about one beyond what it says itself.
  app.get(
    FEDCM_PATHS.clientMetadata,
    { schema: { querystring: ClientMetadataQuery, response: { 200: Type.Object({}), '4xx': ErrorBody } } },
    async (req) => {
      requireWebIdentity(req)
      return {}
    },
  )

  app.get(
    FEDCM_PATHS.accounts,
    {
      schema: {
        response: { 200: Type.Object({ accounts: Type.Array(Account) }), '4xx': ErrorBody },
      },
    },
    async (req, reply) => {
      requireWebIdentity(req)
      reply.header('cache-control', 'no-store')
      const auth = signedIn(req, reply, now())
      const rows = await env.replica.addressesOf(auth.userid)
      const accounts = rows
        .filter((r) => r.verified)
        .map((r) => ({
          id: r.address,
          email: r.address,
          name: r.address,
          login_hints: [r.address],
          domain_hints: [domainFromEmail(r.address)],
        }))
      reply.header('set-login', accounts.length > 0 ? 'logged-in' : 'logged-out')
      return { accounts }
    },
  )

  app.post<{ Body: AssertionFormT }>(
    FEDCM_PATHS.assertion,
    {
      schema: {
        body: AssertionForm,
        response: {
          200: Type.Union([
            Type.Object({ token: Type.String() }),
            Type.Object({ continue_on: Type.String() }),
          ]),
          '4xx': ErrorBody,
        },
      },
    },
    async (req, reply) => {
      requireWebIdentity(req)
      const site = requestingOrigin(req, req.body.client_id)
      allowOrigin(reply, site)
      reply.header('cache-control', 'no-store')
      const auth = signedIn(req, reply, now())
      const row = await env.replica.address(req.body.account_id)
      if (row === undefined || row.userId !== auth.userid || !row.verified) {
        throw fedcmError('ERR_FORBIDDEN', 'that address is not one of yours')
      }
      // Persona vouches only for the addresses it verified itself, and only on the password's word; an
      // identity provider's own addresses are certified by that provider: the dialog finishes those
      // (FedCM's continuation), making the assertion for this origin and handing it to the browser.
      if (row.type !== 'secondary' || auth.level !== 'password') {
        const next = new URL(at(FEDCM_PATHS.continuation))
        next.searchParams.set('origin', site)
        next.searchParams.set('email', row.address)
        return { continue_on: next.href }
      }
      const token = await mintToken(env, now(), row.address, site, req.id)
      req.log.info({ event: 'reader.fedcm.token', auto: req.body.is_auto_selected === 'true' }, 'fedcm.token')
      return { token }
    },
  )

  app.post<{ Body: DisconnectFormT }>(
    FEDCM_PATHS.disconnect,
    {
      schema: {
        body: DisconnectForm,
        response: { 200: Type.Object({ account_id: Type.String() }), '4xx': ErrorBody },
      },
    },
    async (req, reply) => {
      requireWebIdentity(req)
      allowOrigin(reply, requestingOrigin(req, req.body.client_id))
      const auth = signedIn(req, reply, now())
      // Persona keeps nothing per site on the server; the browser forgets the connection itself.
      const row = await env.replica.address(req.body.account_hint)
      if (row === undefined || row.userId !== auth.userid) {
        throw fedcmError('ERR_BAD_REQUEST', 'no such account')
      }
      return { account_id: row.address }
    },
  )
}

/**
 * The Login Status API: a response that changes whether this browser is signed in to Persona says so
 * (Set-Login: logged-in / logged-out), so FedCM knows without asking (a page's requests only).
 */
export function registerLoginStatus(app: FastifyInstance, now: () => number): void {
  const before = new WeakMap<FastifyRequest, boolean>()
  app.addHook('preHandler', async (req) => {
    before.set(req, authOf(loadSession(req.session), now()) !== undefined)
  })
  app.addHook('onSend', async (req, reply, payload) => {
    const was = before.get(req)
    if (was === undefined || reply.hasHeader('set-login')) return payload
    const is = authOf(loadSession(req.session), now()) !== undefined
    if (is !== was) reply.header('set-login', is ? 'logged-in' : 'logged-out')
    return payload
  })
}
