// SPDX-License-Identifier: MPL-2.0
// @persona/l10n: Persona in the user's language. Browser-safe here; Node's file loader is
// @persona/l10n/catalog.
export * from './bundles.ts'
export * from './locales.ts'
export * from './messages.ts'
export { pseudoLocalize } from './pseudo.ts'
