// SPDX-License-Identifier: MPL-2.0
// What counts as an IdP domain: DNS labels only (no scheme, port, path, IP literal or trailing dot).
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/

export function normalizeDomain(input: string): string | null {
  const d = input.trim().toLowerCase()
  if (d.length === 0 || d.length > 253) return null
  const labels = d.split('.')
  if (!labels.every((l) => LABEL.test(l))) return null
  // An all-numeric last label means an IP literal, which is not a domain.
  if (/^[0-9]+$/.test(labels[labels.length - 1] ?? '')) return null
  return d
}
