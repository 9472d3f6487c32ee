// SPDX-License-Identifier: MPL-2.0
// A key ring read from a file and re-read when the file changes, so a rotation (a new file written by
// `keys stage|promote|retire`, or a secret store's refresh) reaches a running certifier, reader or
// verifier without a restart. A file that fails to parse is logged and ignored: the process keeps the
// keys it had rather than serving none.
import { type Stats, statSync } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { type PublicRing, parsePublicRing, parseSecretRing, type SecretRing } from './ring.ts'

export interface KeyStoreOptions {
  /** How often to look at the file's mtime (ms); 0 never reloads. */
  readonly reloadMs?: number
  /** Checks the file before it is read (e.g. its mode); throws to refuse it. */
  readonly check?: (st: Stats, path: string) => void
  readonly onReload?: (what: string) => void
  readonly onError?: (e: unknown) => void
}

export const DEFAULT_RELOAD_MS = 5000

export class KeyStore<R> {
  readonly path: string
  #ring: R
  #mtimeMs: number
  readonly #timer: NodeJS.Timeout | undefined

  private constructor(path: string, ring: R, mtimeMs: number, parse: (t: string) => R, o: KeyStoreOptions) {
    this.path = path
    this.#ring = ring
    this.#mtimeMs = mtimeMs
    const every = o.reloadMs ?? DEFAULT_RELOAD_MS
    if (every > 0) {
      this.#timer = setInterval(() => {
        void this.#reload(parse, o)
      }, every)
      this.#timer.unref()
    }
  }

  /** Reads `path` once (throwing when it is missing, refused or malformed) and watches it. */
  static async open<R>(path: string, parse: (t: string) => R, o: KeyStoreOptions = {}): Promise<KeyStore<R>> {
    const st = await stat(path)
    o.check?.(st, path)
    return new KeyStore(path, parse(await readFile(path, 'utf8')), st.mtimeMs, parse, o)
  }

  async #reload(parse: (t: string) => R, o: KeyStoreOptions): Promise<void> {
    try {
      const st = statSync(this.path)
      if (st.mtimeMs === this.#mtimeMs) return
      o.check?.(st, this.path)
      this.#ring = parse(await readFile(this.path, 'utf8'))
      this.#mtimeMs = st.mtimeMs
      o.onReload?.(this.path)
    } catch (e) {
      o.onError?.(e)
    }
  }

  /** The keys as last read. */
  get ring(): R {
    return this.#ring
  }

  /** When the file was last changed (the support document's key creation time). */
  get mtimeMs(): number {
    return this.#mtimeMs
  }

  close(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer)
  }
}

/** A secret key file must not be readable by others nor writable by its group (0600 or 0440). */
export function checkSecretFileMode(st: Stats, path: string): void {
  if ((st.mode & 0o027) !== 0) {
    throw new Error(`${path} must not be readable by others or writable by its group (chmod 600 or 440)`)
  }
}

export const openPublicKeys = (path: string, o: KeyStoreOptions = {}): Promise<KeyStore<PublicRing>> =>
  KeyStore.open(path, parsePublicRing, o)

export const openSecretKeys = (path: string, o: KeyStoreOptions = {}): Promise<KeyStore<SecretRing>> =>
  KeyStore.open(path, parseSecretRing, { check: checkSecretFileMode, ...o })
