// SPDX-License-Identifier: MPL-2.0
// Narrowing for untrusted JSON values, so parsed input is inspected without casts.

/** A JSON object (what JSON.parse gives for `{...}`): its own properties are plain data. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
