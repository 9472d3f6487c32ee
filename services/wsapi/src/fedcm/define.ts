// SPDX-License-Identifier: MPL-2.0
// How a FedCM endpoint is declared (the FedCM counterpart of define.ts's wsapi calls): one declaration
// per endpoint in fedcm/<name>.ts, with its path, its request fields and reply schemas, and FedCM's
// request checks it needs; the reader registers each from its declaration and one handler file.
import { type Static, type TSchema, Type } from 'typebox'

export interface FedcmEndpoint<
  N extends string = string,
  F extends TSchema | null = TSchema | null,
  R extends TSchema = TSchema,
> {
  readonly name: N
  readonly method: 'GET' | 'POST'
  readonly path: string
  /** The request's fields: the query of a GET, the form body of a POST; null for none. */
  readonly fields: F
  /** The success answer (status 200). */
  readonly response: R
  /** Only the browser's FedCM fetches (Sec-Fetch-Dest: webidentity, which no page can set). */
  readonly webIdentity: boolean
  /**
   * Answers only the site whose origin is both the Origin header and the `client_id` field, with
   * credentialed CORS for that origin (FedCM's ID assertion and disconnect endpoints).
   */
  readonly forOrigin: boolean
  /** Sent with the browser's Persona cookie, so never cached; the public files may be. */
  readonly credentialed: boolean
}

/** The fields a handler of endpoint `E` receives. */
export type FieldsOf<E extends FedcmEndpoint> = E extends { readonly fields: infer F }
  ? F extends TSchema
    ? Static<F>
    : Readonly<Record<string, never>>
  : never

export type FedcmReplyOf<E extends FedcmEndpoint> = E extends { readonly response: infer R extends TSchema }
  ? Static<R>
  : never

export function defineFedcmEndpoint<const N extends string, F extends TSchema | null, R extends TSchema>(
  spec: FedcmEndpoint<N, F, R>,
): FedcmEndpoint<N, F, R> {
  return Object.freeze(spec)
}

/** Browsers add form fields as the spec grows: the declared ones are checked, others pass. */
export function formFields<P extends Parameters<typeof Type.Object>[0]>(properties: P) {
  return Type.Object(properties, { additionalProperties: true })
}

/** A refusal: Persona's `{success: false, code, reason}` with FedCM's (OAuth's) error code beside it. */
export const FedcmErrorBody = Type.Object({
  success: Type.Literal(false),
  code: Type.String(),
  reason: Type.String(),
  error: Type.Optional(Type.Object({ code: Type.String() })),
})
