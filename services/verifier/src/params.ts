// SPDX-License-Identifier: MPL-2.0
// The verify call's parameters, as Mozilla's verifier took them: `assertion` and `audience` (and the
// optional experimental_* flags) from a form body, a JSON body or the query string; the body wins.

export interface VerifyParams {
  readonly assertion: string
  readonly audience: string
  readonly forceIssuer: string | undefined
  readonly allowUnverified: boolean
}

export type ParamsResult =
  | { readonly ok: true; readonly params: VerifyParams }
  | { readonly ok: false; readonly reason: string }

const MAX_ASSERTION = 64 * 1024
const MAX_AUDIENCE = 2048

function field(sources: readonly unknown[], name: string): unknown {
  for (const s of sources) {
    if (typeof s === 'object' && s !== null && name in s) {
      const v: unknown = Reflect.get(s, name)
      if (v !== undefined) return v
    }
  }
  return undefined
}

export function readParams(body: unknown, query: unknown): ParamsResult {
  const sources = [body, query]
  const assertion = field(sources, 'assertion')
  const audience = field(sources, 'audience')
  if (assertion === undefined || audience === undefined || assertion === '' || audience === '') {
    return { ok: false, reason: 'need assertion and audience' }
  }
  if (typeof assertion !== 'string') return { ok: false, reason: 'assertion must be a string' }
  if (typeof audience !== 'string') return { ok: false, reason: 'audience must be a string' }
  if (assertion.length > MAX_ASSERTION) return { ok: false, reason: 'assertion is too long' }
  if (audience.length > MAX_AUDIENCE) return { ok: false, reason: 'audience is too long' }
  const force = field(sources, 'experimental_forceIssuer')
  if (force !== undefined && typeof force !== 'string') {
    return { ok: false, reason: 'experimental_forceIssuer must be a string' }
  }
  const allow = field(sources, 'experimental_allowUnverified')
  if (allow !== undefined && allow !== true && allow !== false && allow !== 'true' && allow !== 'false') {
    return { ok: false, reason: 'experimental_allowUnverified must be true or false' }
  }
  return {
    ok: true,
    params: {
      assertion,
      audience,
      forceIssuer: force === undefined || force === '' ? undefined : force,
      allowUnverified: allow === true || allow === 'true',
    },
  }
}
