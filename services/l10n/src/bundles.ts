// SPDX-License-Identifier: MPL-2.0
// Which message files each consumer loads: a page fetches only what it shows (the dialog never
// downloads the account manager's text), the writer only the mail. Files live in
// src/locales/<locale>/<file>.ftl; each file's ids start with its own prefix (`dialog-`, `mail-`...).

export const MESSAGE_FILES = ['common', 'dialog', 'account', 'link', 'idp', 'mail'] as const
export type MessageFile = (typeof MESSAGE_FILES)[number]

export const BUNDLES = {
  /** The sign-in dialog (/sign_in). */
  dialog: ['common', 'dialog'],
  /** The account manager (/). */
  account: ['common', 'account'],
  /** The pages behind emailed links. */
  link: ['common', 'link'],
  /** Persona's own IdP pages (/provision, /auth) and the support-document checker. */
  idp: ['common', 'idp'],
  /** Page shells rendered at build time: titles, headers, the not-found page. */
  page: ['common'],
  /** Verification mail (the writer). */
  mail: ['mail'],
} as const satisfies Readonly<Record<string, readonly MessageFile[]>>

export type BundleName = keyof typeof BUNDLES
