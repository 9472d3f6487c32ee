// SPDX-License-Identifier: MPL-2.0
// The message files on disk (Node only): the web build hashes them into assets, the writer formats mail
// with them, the tests check them. Each locale's Messages is built once and kept.
import { readFileSync } from 'node:fs'
import { BUNDLES, type BundleName, type MessageFile } from './bundles.ts'
import { ALL_LOCALES, dirOf, negotiateHeader, sourceLocaleOf } from './locales.ts'
import { Messages } from './messages.ts'

const LOCALES_DIR = new URL('./locales/', import.meta.url)

/** The text of one message file of a locale (the pseudo-locale reads English). */
export function readMessageFile(locale: string, file: MessageFile): string {
  return readFileSync(new URL(`${sourceLocaleOf(locale)}/${file}.ftl`, LOCALES_DIR), 'utf8')
}

/** The concatenated sources of a bundle, as one .ftl text. */
export function bundleSource(locale: string, bundle: BundleName): string {
  return BUNDLES[bundle].map((f) => readMessageFile(locale, f)).join('\n')
}

/** Messages of one bundle in every locale, built on first use. */
export class Catalog {
  readonly #bundle: BundleName
  readonly #cache = new Map<string, Messages>()
  readonly #onMissing: (locale: string, id: string) => void
  readonly #isolateLtr: boolean

  /**
   * @param opts.isolateLtr bidi isolation marks in left-to-right locales too (default true; mail turns
   *   it off, right-to-left locales always keep it).
   */
  constructor(
    bundle: BundleName,
    onMissing: (locale: string, id: string) => void = () => {},
    opts: { readonly isolateLtr?: boolean } = {},
  ) {
    this.#bundle = bundle
    this.#onMissing = onMissing
    this.#isolateLtr = opts.isolateLtr ?? true
  }

  /** @throws {Error} for a locale we do not ship, or a message file that does not parse. */
  get(locale: string): Messages {
    if (!ALL_LOCALES.includes(locale)) throw new Error(`no such locale ${locale}`)
    let m = this.#cache.get(locale)
    if (m === undefined) {
      m = new Messages(locale, [bundleSource(locale, this.#bundle)], {
        onMissing: (id) => this.#onMissing(locale, id),
        isolate: this.#isolateLtr || dirOf(locale) === 'rtl',
      })
      this.#cache.set(locale, m)
    }
    return m
  }

  /** The messages for a request's Accept-Language (English when nothing matches). */
  forAcceptLanguage(header: string | undefined): Messages {
    return this.get(negotiateHeader(header))
  }
}
