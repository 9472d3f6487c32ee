// SPDX-License-Identifier: MPL-2.0
// Reply shapes several calls share (Persona's `{success: true}`, `{success: false, reason}`, the polled
// `{status}` answers and the sign-in answer).
import { Type } from 'typebox'

export const Success = Type.Object({ success: Type.Literal(true) })
export const Failure = Type.Object({ success: Type.Literal(false), reason: Type.Optional(Type.String()) })
export const SuccessOrFailure = Type.Union([Success, Failure])

/** A text body (served as text/plain). */
export const Text = Type.String()

/** A polled status answer: one of `values`, with the user id where Persona gave it. */
export function Status<const V extends string[]>(...values: V) {
  return Type.Object({ status: Type.Enum(values), userid: Type.Optional(Type.Integer()) })
}

/** authenticate_user and auth_with_assertion. */
export const SignInReply = Type.Union([
  Type.Object({
    success: Type.Literal(true),
    userid: Type.Integer(),
    suppress_ask_if_users_computer: Type.Boolean(),
  }),
  Type.Object({
    success: Type.Literal(false),
    reason: Type.String(),
    /** Persona's `account locked`: the sign-in backoff holds this attempt back. */
    code: Type.Optional(Type.String()),
    /** Ours, with `account locked`: seconds before the next attempt is looked at. */
    retry_after: Type.Optional(Type.Integer({ minimum: 1 })),
  }),
])

/** An attempt the sign-in backoff holds back: `retry_after_ms` before the next one is looked at. */
export const Refused = Type.Object({
  success: Type.Literal(true),
  admitted: Type.Literal(false),
  retry_after_ms: Type.Integer({ minimum: 1 }),
})

/** The sign-in backoff's verdict on a wrong password: counted, or held back. */
export const BackoffVerdict = Type.Union([
  Type.Object({ success: Type.Literal(true), admitted: Type.Literal(true) }),
  Refused,
])
