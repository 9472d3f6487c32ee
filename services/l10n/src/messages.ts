// SPDX-License-Identifier: MPL-2.0
// One locale's messages, formatted with Fluent (@fluent/bundle). Browser-safe: the dialog and pages use
// it with the .ftl text the build hashed, the writer with the files it reads. Placeables are wrapped in
// Unicode isolation marks, so an address or a site name keeps its own direction inside Arabic text.
import { FluentBundle, FluentResource } from '@fluent/bundle'
import { type Direction, dirOf, PSEUDO_LOCALE } from './locales.ts'
import { pseudoLocalize } from './pseudo.ts'

export type MessageArgs = Readonly<Record<string, string | number>>

export interface MessagesOptions {
  /** Report of a missing message or a formatting error (the text falls back to the id). */
  readonly onMissing?: (id: string) => void
  /**
   * Wrap placeables in bidi isolation marks (default). Plain-text mail in a left-to-right language
   * goes without: the marks would only show up as noise in subjects and filters.
   */
  readonly isolate?: boolean
}

export class Messages {
  readonly locale: string
  readonly dir: Direction
  readonly #bundle: FluentBundle
  readonly #onMissing: (id: string) => void

  /**
   * @param sources the .ftl texts, in order. Fluent's runtime parser skips what it cannot read (the
   *   message tests parse every file strictly); a second message with one id is an error here.
   * @throws {Error} naming the duplicate ids.
   */
  constructor(locale: string, sources: readonly string[], opts: MessagesOptions = {}) {
    this.locale = locale
    this.dir = dirOf(locale)
    this.#onMissing = opts.onMissing ?? (() => {})
    this.#bundle = new FluentBundle(locale, {
      useIsolating: opts.isolate ?? true,
      ...(locale === PSEUDO_LOCALE ? { transform: pseudoLocalize } : {}),
    })
    for (const text of sources) {
      const errors = this.#bundle.addResource(new FluentResource(text))
      if (errors.length > 0) throw new Error(`${locale}: ${errors.map((e) => e.message).join('; ')}`)
    }
  }

  has(id: string): boolean {
    return this.#bundle.hasMessage(id)
  }

  /** Every message id this locale has (tests compare them across locales and screens). */
  ids(): string[] {
    return [...this.#bundle._messages.keys()]
  }

  /** The message's value; its id (and a report) when the locale lacks it, never a thrown error. */
  format(id: string, args?: MessageArgs): string {
    return this.#pattern(id, undefined, args)
  }

  /** One attribute of a message (`.label`, `.placeholder`...). */
  attribute(id: string, attr: string, args?: MessageArgs): string {
    return this.#pattern(id, attr, args)
  }

  #pattern(id: string, attr: string | undefined, args: MessageArgs | undefined): string {
    const message = this.#bundle.getMessage(id)
    const pattern = attr === undefined ? message?.value : message?.attributes[attr]
    if (!pattern) {
      this.#onMissing(attr === undefined ? id : `${id}.${attr}`)
      return id
    }
    const errors: Error[] = []
    const text = this.#bundle.formatPattern(pattern, args, errors)
    if (errors.length > 0) this.#onMissing(`${id}: ${errors.map((e) => e.message).join('; ')}`)
    return text
  }
}
