// SPDX-License-Identifier: MPL-2.0
// Key rings: the certifier's signing keys and the public keys everyone else trusts, with rotation in
// mind. A rotation stages a `next` key (published and trusted everywhere before anything signs with
// it), promotes it to `current` (the old one stays trusted as `previous` while certificates it signed
// may still be valid) and finally retires `previous`. A file holding one bare BrowserID key (what
// earlier versions wrote) reads as a ring with only `current`. Parsing and rendering only, no I/O.
import { loadPublicKey, loadSecretKey, type PublicKey, type SecretKey } from '@persona/browserid'

export interface PublicRing {
  readonly current: PublicKey
  readonly next?: PublicKey
  readonly previous?: PublicKey
  /** ms since the epoch: when `next` was staged, when `current` was promoted. */
  readonly stagedAt?: number
  readonly promotedAt?: number
}

export interface SecretRing {
  readonly current: SecretKey
  readonly next?: SecretKey
  readonly stagedAt?: number
  readonly promotedAt?: number
}

function obj(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`${what} is not a JSON object`)
  return Object.fromEntries(Object.entries(v))
}

function time(o: Record<string, unknown>, k: string): { [key: string]: number } {
  const v = o[k]
  return typeof v === 'number' && Number.isFinite(v) ? { [k]: v } : {}
}

export function parsePublicRing(text: string): PublicRing {
  const o = obj(JSON.parse(text), 'public key file')
  if ('algorithm' in o) return { current: loadPublicKey(o) }
  if (!('current' in o)) throw new Error('public key ring has no current key')
  return {
    current: loadPublicKey(o.current),
    ...(o.next === undefined ? {} : { next: loadPublicKey(o.next) }),
    ...(o.previous === undefined ? {} : { previous: loadPublicKey(o.previous) }),
    ...time(o, 'stagedAt'),
    ...time(o, 'promotedAt'),
  }
}

export function parseSecretRing(text: string): SecretRing {
  const o = obj(JSON.parse(text), 'secret key file')
  if ('algorithm' in o) return { current: loadSecretKey(o) }
  if (!('current' in o)) throw new Error('secret key ring has no current key')
  return {
    current: loadSecretKey(o.current),
    ...(o.next === undefined ? {} : { next: loadSecretKey(o.next) }),
    ...time(o, 'stagedAt'),
    ...time(o, 'promotedAt'),
  }
}

/** A ring's file text; a ring with only `current` is written as the bare key (readable by any version). */
export function renderPublicRing(r: PublicRing): string {
  if (r.next === undefined && r.previous === undefined) return `${r.current.serialize()}\n`
  return `${JSON.stringify({
    current: r.current.toJSON(),
    ...(r.next === undefined ? {} : { next: r.next.toJSON() }),
    ...(r.previous === undefined ? {} : { previous: r.previous.toJSON() }),
    ...(r.stagedAt === undefined ? {} : { stagedAt: r.stagedAt }),
    ...(r.promotedAt === undefined ? {} : { promotedAt: r.promotedAt }),
  })}\n`
}

export function renderSecretRing(r: SecretRing): string {
  if (r.next === undefined && r.promotedAt === undefined) return `${r.current.serialize()}\n`
  return `${JSON.stringify({
    current: r.current.toJSON(),
    ...(r.next === undefined ? {} : { next: r.next.toJSON() }),
    ...(r.stagedAt === undefined ? {} : { stagedAt: r.stagedAt }),
    ...(r.promotedAt === undefined ? {} : { promotedAt: r.promotedAt }),
  })}\n`
}

/** Every public key a verifier must accept: the current one, the staged next one, the previous one. */
export function trustedKeys(r: PublicRing): PublicKey[] {
  return [
    r.current,
    ...(r.next === undefined ? [] : [r.next]),
    ...(r.previous === undefined ? [] : [r.previous]),
  ]
}

/** The public ring that goes with a secret ring (keeping `previous` from the published one). */
export function publicRingOf(s: SecretRing, previous?: PublicKey): PublicRing {
  return {
    current: s.current.publicKey,
    ...(s.next === undefined ? {} : { next: s.next.publicKey }),
    ...(previous === undefined ? {} : { previous }),
    ...(s.stagedAt === undefined ? {} : { stagedAt: s.stagedAt }),
    ...(s.promotedAt === undefined ? {} : { promotedAt: s.promotedAt }),
  }
}
