// SPDX-License-Identifier: MPL-2.0
// How a wsapi call is declared (Persona kept one call in one file, lib/wsapi/<name>.js, declaring
// method, writes_db, authed and args): here each call is one `defineCall` in calls/<name>.ts with its
// argument and reply schemas; the argument and reply types of handlers and of the browser client are
// derived from them, and the reader and writer build their routes from the declarations.
import { type Static, type TObject, type TProperties, type TSchema, Type } from 'typebox'

/** The session level a call needs: `'assertion'` accepts either level, `'password'` only a password one. */
export type AuthLevel = 'password' | 'assertion'

export interface CallSpec<N extends string, A extends TProperties | null, R extends TSchema> {
  /** The wire name, `/wsapi/<name>`. */
  readonly name: N
  readonly method: 'GET' | 'POST'
  /** Served by the writer (the reader forwards it) when true, by the reader otherwise. */
  readonly writesDb: boolean
  readonly auth: false | AuthLevel
  /** Only the reader may call it (on the writer); the public gets 404. */
  readonly internal?: boolean
  /** Sends a mail: counted against the per-address mail budget (reader) and the per-recipient throttle. */
  readonly sendsEmail?: boolean
  /** Declared arguments; `null` means none declared, so the call takes any body (as Persona's did). */
  readonly args: A
  /** The success answer (status 200). */
  readonly response: R
  /** `text/plain` when the answer is text (ping, cert_key, prolong_session); JSON otherwise. */
  readonly contentType?: 'application/json' | 'text/plain'
}

export interface WsapiCall<
  N extends string = string,
  A extends TProperties | null = TProperties | null,
  R extends TSchema = TSchema,
> extends Required<CallSpec<N, A, R>> {
  /** The arguments as one schema (unknown properties refused), or null when none are declared. */
  readonly argsSchema: A extends TProperties ? TObject<A> : null
}

/** The arguments a handler of call `C` receives, typed from its declaration (a union for a union). */
export type ArgsOf<C extends WsapiCall> = C extends { readonly args: infer A }
  ? A extends TProperties
    ? Static<TObject<A>>
    : Readonly<Record<string, unknown>>
  : never

/** The success answer of call `C`, typed from its declaration (a union for a union). */
export type ReplyOf<C extends WsapiCall> = C extends { readonly response: infer R extends TSchema }
  ? Static<R>
  : never

/**
 * Declares a call; its method and whether it is internal keep their literal types, so a client can pick
 * the calls it may make. @example export const HAVE_EMAIL = defineCall({ name: 'have_email', ... })
 */
export function defineCall<
  const N extends string,
  const M extends 'GET' | 'POST',
  A extends TProperties | null,
  R extends TSchema,
  const I extends boolean = false,
>(
  spec: CallSpec<N, A, R> & { readonly method: M; readonly internal?: I },
): WsapiCall<N, A, R> & { readonly method: M; readonly internal: I } {
  const argsSchema = spec.args === null ? null : Type.Object(spec.args, { additionalProperties: false })
  return Object.freeze({
    internal: false,
    sendsEmail: false,
    contentType: 'application/json',
    ...spec,
    // The conditional type of argsSchema cannot be narrowed through the `spec.args === null` test.
    argsSchema: argsSchema as WsapiCall<N, A, R>['argsSchema'],
  }) as WsapiCall<N, A, R> & { readonly method: M; readonly internal: I }
}
