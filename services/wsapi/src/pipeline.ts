// SPDX-License-Identifier: MPL-2.0
// The one request pipeline of a wsapi call, used by the reader and the writer (Persona's lib/wsapi.js):
// replica wait, session expiry, CSRF, auth level, arguments, budgets, then the call's handler. A service opts
// out of the stages it does not need: the writer has no cookie, so no replica wait, expiry or CSRF
// (the reader ran them); both check the auth level and the arguments, so the handler's arguments are
// typed values whichever service runs it.
import { PersonaError, tokenMatches } from '@persona/kit'
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteShorthandOptions } from 'fastify'
import { type TSchema, Type } from 'typebox'
import { Value } from 'typebox/value'
import type { ArgsOf, AuthLevel, ReplyOf, WsapiCall } from './define.ts'
import type { SharedSession } from './session.ts'
import { validateArgs } from './validate.ts'

/** A call's handler with what it runs in (`Ctx`, the service's call context minus the arguments). */
export interface Implementation<Ctx> {
  readonly call: WsapiCall
  /**
   * Checks the raw arguments (the query for GET, the body for POST), then runs `checked` (the stages
   * that only a request passing every check may reach), then the handler.
   */
  handle(ctx: Ctx, raw: unknown, checked?: () => Promise<void>): Promise<unknown>
}

/**
 * Binds a handler to its call's declaration: the handler's `ctx.args` and its answer are typed from it.
 * Services wrap it with their context (reader and writer `implement(CALL)(handler)`).
 */
export function implement<C extends WsapiCall, Ctx>(
  call: C,
  handler: (ctx: Ctx & { readonly args: ArgsOf<C> }) => Promise<ReplyOf<C>>,
): Implementation<Ctx> {
  return {
    call,
    handle: async (ctx, raw, checked) => {
      const v = validateArgs(call, raw, call.method === 'GET')
      if (!v.ok) throw new PersonaError('ERR_BAD_REQUEST', v.reason)
      await checked?.()
      return handler({ ...ctx, args: v.args })
    },
  }
}

/** A handler for call `C` in a service whose call context is `Ctx`. */
export type HandlerIn<Ctx, C extends WsapiCall> = (
  ctx: Ctx & { readonly args: ArgsOf<C> },
) => Promise<ReplyOf<C>>

/**
 * A service's `implement`: `implement(CALL)(handler)`, curried so the handler is typed from the
 * declaration (TypeScript cannot type it when the call and the handler are inferred together).
 * @example export const implement = implementer<ReaderContext>()
 */
export function implementer<Ctx>() {
  return <C extends WsapiCall>(call: C) =>
    (handler: HandlerIn<Ctx, C>): Implementation<Ctx> =>
      implement<C, Ctx>(call, handler)
}

/** Whether the session is signed in at `need` ('assertion' accepts either level). */
export function hasLevel(s: SharedSession, need: AuthLevel): boolean {
  if (s.userid === undefined || s.auth_level === undefined) return false
  return need === 'assertion' || s.auth_level === 'password'
}

/** The stages a service runs before the auth level and the arguments. */
export interface Stages<S extends SharedSession> {
  /** Waits until the replica holds this browser's last write (read-your-writes). */
  readonly replicaWait?: (session: S) => Promise<void>
  /** Ends a sign-in that has run out or that its account revoked. */
  readonly expiry?: (session: S, call: WsapiCall, req: FastifyRequest) => Promise<void>
  /** The CSRF token the session holds, to check POST bodies against. */
  readonly csrf?: (session: S) => string | undefined
  /** Told of each POST refused for its CSRF token, before the refusal (the security event stream). */
  readonly csrfFailed?: (req: FastifyRequest, reason: 'no-cookie' | 'bad-token') => void
  /**
   * Runs once the request has passed every check (CSRF, auth level, arguments), just before the
   * handler: a budget spent here (the mails an address may ask for) is spent only by calls that run.
   */
  readonly admitted?: (call: WsapiCall, req: FastifyRequest, reply: FastifyReply) => Promise<void>
}

/**
 * Runs one call through the stages, then its handler.
 * @throws {PersonaError} ERR_FORBIDDEN (CSRF), ERR_UNAUTHORIZED (auth level), ERR_BAD_REQUEST (arguments)
 */
export async function runPipeline<Ctx, S extends SharedSession>(
  impl: Implementation<Ctx>,
  req: FastifyRequest,
  reply: FastifyReply,
  session: S,
  stages: Stages<S>,
  ctx: Ctx,
): Promise<unknown> {
  const call = impl.call
  if (stages.replicaWait !== undefined) await stages.replicaWait(session)
  if (stages.expiry !== undefined) await stages.expiry(session, call, req)
  const raw: unknown = call.method === 'GET' ? req.query : (req.body ?? {})
  if (stages.csrf !== undefined && call.method === 'POST') {
    const expected = stages.csrf(session)
    if (expected === undefined) {
      stages.csrfFailed?.(req, 'no-cookie')
      throw new PersonaError('ERR_FORBIDDEN', 'no cookie')
    }
    const sent: unknown = typeof raw === 'object' && raw !== null ? Reflect.get(raw, 'csrf') : undefined
    // Compared in constant time: the token must not be guessable a byte at a time.
    if (typeof sent !== 'string' || !tokenMatches(sent, expected)) {
      stages.csrfFailed?.(req, 'bad-token')
      throw new PersonaError('ERR_FORBIDDEN', 'CSRF violation')
    }
  }
  if (call.auth !== false && !hasLevel(session, call.auth)) {
    throw new PersonaError('ERR_UNAUTHORIZED', 'requires authentication')
  }
  const admitted = stages.admitted
  return impl.handle(ctx, raw, admitted === undefined ? undefined : () => admitted(call, req, reply))
}

export interface CallRouteOptions {
  /** Runs first (per-call rate limits). */
  readonly onRequest?: NonNullable<RouteShorthandOptions['onRequest']>
  /** Checks every 200 answer against the call's declared reply (tests turn this on). */
  readonly checkReplies?: boolean
}

/** The documented body of a POST: the declared arguments plus the CSRF token (null: anything). */
function requestSchema(call: WsapiCall): TSchema {
  if (call.argsSchema === null) return Type.Object({}, { additionalProperties: true })
  if (call.method === 'GET') return call.argsSchema
  return Type.Object(
    { ...call.argsSchema.properties, csrf: Type.Optional(Type.String()) },
    { additionalProperties: false },
  )
}

/** A call's route schema: its arguments (query or body) and its 200 answer (also the API description's). */
export function callRouteSchema(call: WsapiCall) {
  const reply200 =
    call.contentType === 'text/plain'
      ? { content: { 'text/plain': { schema: call.response } } }
      : { content: { 'application/json': { schema: call.response } } }
  return {
    ...(call.method === 'GET' ? { querystring: requestSchema(call) } : { body: requestSchema(call) }),
    response: { 200: reply200 },
  }
}

/**
 * Registers `/wsapi/<name>` for a call: its arguments and replies declared as the route's schema (so
 * JSON replies are serialized by schema and the API can be described), the handler given.
 * Arguments are checked by the pipeline, in Persona's order and words, not by Fastify's validator.
 */
export function registerCall(
  app: FastifyInstance,
  call: WsapiCall,
  handler: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>,
  opts: CallRouteOptions = {},
): void {
  app.route({
    method: call.method,
    url: `/wsapi/${call.name}`,
    schema: callRouteSchema(call),
    validatorCompiler: () => () => true,
    ...(opts.onRequest !== undefined ? { onRequest: opts.onRequest } : {}),
    ...(opts.checkReplies === true
      ? {
          preSerialization: async (_req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
            if (reply.statusCode === 200 && !Value.Check(call.response, payload)) {
              const why = [...Value.Errors(call.response, payload)].map((e) => e.message).join('; ')
              throw new Error(`${call.name} answered outside its declared reply: ${why}`)
            }
            return payload
          },
        }
      : {}),
    handler,
  })
}
