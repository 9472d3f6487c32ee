// SPDX-License-Identifier: MPL-2.0
// Certificates already verified, so that a returning user's certificate costs one signature check (the
// assertion's) instead of two for the rest of its life. Keyed by a SHA-256 of the certificate chain as
// received; an entry remembers the issuer key(s) it was verified with (a rotated or changed key is a
// miss) and lives until the earliest certificate in the chain expires, least recently used first out.
import { createHash } from 'node:crypto'
import type { ParsedBundle, PublicKeyJSON } from '@persona/browserid'
import { LRUCache } from 'lru-cache'

interface Entry {
  /** The issuer keys the chain was verified with, as a canonical string. */
  readonly issuerKeys: string
  /** When the earliest certificate of the chain expires, ms since the epoch. */
  readonly expires: number
}

const KEY_IDS = new WeakMap<PublicKeyJSON, string>()

/** One cache per process; `max` 0 turns it off. */
export class CertificateCache {
  readonly #entries: LRUCache<string, Entry> | undefined
  /** Lookups answered from the cache, and the rest (tests and the benchmark read them). */
  hits = 0
  misses = 0

  constructor(max: number) {
    if (!Number.isInteger(max) || max < 0) throw new TypeError('certificate cache size must be >= 0')
    this.#entries = max === 0 ? undefined : new LRUCache<string, Entry>({ max })
  }

  get size(): number {
    return this.#entries?.size ?? 0
  }

  /** The cache key of a bundle's certificates: a hash of each certificate exactly as it was signed. */
  static keyOf(parsed: ParsedBundle): string {
    const h = createHash('sha256')
    for (const c of parsed.certs) h.update(c.signingInput).update('.').update(c.signature).update('~')
    return h.digest('base64url')
  }

  /**
   * The form in which issuer keys are compared: the same keys in the same order give the same string.
   * Made once per key object (a cached support document's key is the same object on every request), so
   * entries share one string instead of each holding a copy of the issuer's modulus.
   */
  static keysId(keys: readonly PublicKeyJSON[]): string {
    let id = ''
    for (const k of keys) {
      let one = KEY_IDS.get(k)
      if (one === undefined) {
        one = JSON.stringify(k)
        KEY_IDS.set(k, one)
      }
      id = id === '' ? one : `${id},${one}`
    }
    return id
  }

  /** Whether this chain was verified with these issuer keys and has not expired at `now`. */
  verified(key: string, issuerKeys: string, now: number): boolean {
    const e = this.#entries?.get(key)
    if (e === undefined) {
      this.misses++
      return false
    }
    if (e.expires <= now) {
      this.#entries?.delete(key)
      this.misses++
      return false
    }
    if (e.issuerKeys !== issuerKeys) {
      this.misses++
      return false
    }
    this.hits++
    return true
  }

  /** Records a chain whose every signature has just been checked against `issuerKeys`. */
  remember(key: string, issuerKeys: string, parsed: ParsedBundle, now: number): void {
    if (this.#entries === undefined) return
    let expires = Number.POSITIVE_INFINITY
    for (const c of parsed.certs) {
      const exp = c.payload.exp
      expires = typeof exp === 'number' ? Math.min(expires, exp) : Number.NEGATIVE_INFINITY
    }
    if (!(expires > now) || !Number.isFinite(expires)) return
    this.#entries.set(key, { issuerKeys, expires })
  }

  clear(): void {
    this.#entries?.clear()
  }
}
