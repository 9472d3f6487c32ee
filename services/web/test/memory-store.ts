// SPDX-License-Identifier: MPL-2.0
// An in-memory stand-in for localStorage in unit tests, with its contents visible.

export interface MemoryStore {
  readonly data: Map<string, string>
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
}

export function memoryStore(entries: Record<string, string> = {}): MemoryStore {
  const data = new Map(Object.entries(entries))
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => {
      data.set(k, v)
    },
    removeItem: (k) => {
      data.delete(k)
    },
  }
}
