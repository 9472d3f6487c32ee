// SPDX-License-Identifier: MPL-2.0
// The verifier's public API, declared once: its routes use these schemas, and the OpenAPI description
// that relying sites read (GET /openapi.json, served by static) is generated from them. Answers keep
// Mozilla's shapes: 200 with `status: okay` or `status: failure` for every assertion, a 4xx with a
// failure for a request we can't read, 503 with Retry-After when saturated. 429 and 502 come from
// nginx in front, in the same shape.
import { type TSchema, Type } from 'typebox'

const Failure = Type.Object(
  {
    status: Type.Literal('failure'),
    reason: Type.String({ description: 'why, in words (stable enough to log, not to parse)' }),
  },
  { description: 'The assertion is not valid for this audience, or the request could not be read.' },
)

const Okay = Type.Object(
  {
    status: Type.Literal('okay'),
    email: Type.Optional(Type.String({ description: 'the verified address' })),
    'unverified-email': Type.Optional(
      Type.String({ description: 'instead of email, when experimental_allowUnverified accepted one' }),
    ),
    audience: Type.String({ description: 'the audience, as sent' }),
    expires: Type.Integer({ description: "the assertion's expiry, milliseconds since the epoch" }),
    issuer: Type.String({ description: 'the domain whose key signed the certificate' }),
  },
  { description: 'The assertion is valid: the user controls this address.' },
)

const MAX_ASSERTION = 64 * 1024
const MAX_AUDIENCE = 2048

const Assertion = Type.String({
  minLength: 1,
  maxLength: MAX_ASSERTION,
  description: 'the backed assertion the browser gave the site (certificates~assertion)',
})
const Audience = Type.String({
  minLength: 1,
  maxLength: MAX_AUDIENCE,
  description: "the site's origin, e.g. https://example.com (scheme and port may be omitted, as in Persona)",
})

function failureAnswer(description: string, headers?: Record<string, TSchema>) {
  return { ...Failure, description, ...(headers === undefined ? {} : { headers }) }
}

/** Answers every verifier path may give besides its own 200 and 400. */
const COMMON = {
  413: failureAnswer('The body is over 64 KiB.'),
  415: failureAnswer('The body is neither form-encoded nor JSON.'),
  429: failureAnswer('Too many requests from this address (nginx, when the operator set a limit).'),
  502: failureAnswer('The verifier is down (nginx).'),
  503: failureAnswer('Saturated: try again after Retry-After seconds.', {
    'retry-after': Type.Integer({ minimum: 1 }),
  }),
}

export const VERIFY_SCHEMA = {
  summary: 'Verify an assertion (Persona and Mozilla verifier compatible)',
  description:
    'Checks a backed assertion for an audience: certificate chain, issuer authority (the email ' +
    "domain's support document, or the fallback IdP), signatures and expiry. Parameters may also come " +
    'in the query string, as Mozilla took them; the body wins.',
  tags: ['verifier'],
  consumes: ['application/x-www-form-urlencoded', 'application/json'],
  body: Type.Object({
    assertion: Assertion,
    audience: Audience,
    experimental_forceIssuer: Type.Optional(
      Type.String({ description: 'an issuer this verifier lets stand in for any domain (operator list)' }),
    ),
    experimental_allowUnverified: Type.Optional(
      Type.Union([Type.Boolean(), Type.Literal('true'), Type.Literal('false')], {
        description: 'accept a certificate of an unverified address (answers unverified-email)',
      }),
    ),
  }),
  response: {
    200: Type.Union([Okay, Failure]),
    400: failureAnswer('assertion or audience missing, or of the wrong type or size.'),
    ...COMMON,
  },
}

export const V2_SCHEMA = {
  summary: "Verify an assertion (Mozilla's later v2 API)",
  description:
    'As /verify, JSON only; issuers in trustedIssuers may certify any address, and an okay answer ' +
    "also carries the certificate's and the assertion's extra claims.",
  tags: ['verifier'],
  consumes: ['application/json'],
  body: Type.Object({
    assertion: Assertion,
    audience: Audience,
    trustedIssuers: Type.Optional(Type.Array(Type.String(), { maxItems: 100 })),
  }),
  response: {
    200: Type.Union([
      Type.Object({
        ...Okay.properties,
        idpClaims: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
        userClaims: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
      }),
      Failure,
    ]),
    400: failureAnswer('assertion or audience missing, or trustedIssuers malformed.'),
    ...COMMON,
  },
}

/** The verifier's public routes, as the description lists them. */
export const VERIFIER_API = [
  { method: 'POST', url: '/verify', schema: VERIFY_SCHEMA },
  { method: 'POST', url: '/v2', schema: V2_SCHEMA },
] as const
