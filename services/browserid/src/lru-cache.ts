// SPDX-License-Identifier: MPL-2.0
// A small least-recently-used map (a Map keeps insertion order; a hit is moved to the end), used to keep
// converted node:crypto keys so repeated verifications with the same key skip the import.

export class LruCache<K, V> {
  readonly #max: number
  readonly #map = new Map<K, V>()

  constructor(max: number) {
    if (!Number.isInteger(max) || max < 1) throw new TypeError('LruCache size must be a positive integer')
    this.#max = max
  }

  get(key: K): V | undefined {
    const v = this.#map.get(key)
    if (v !== undefined) {
      this.#map.delete(key)
      this.#map.set(key, v)
    }
    return v
  }

  set(key: K, value: V): void {
    this.#map.delete(key)
    this.#map.set(key, value)
    if (this.#map.size > this.#max) {
      const oldest = this.#map.keys().next()
      if (!oldest.done) this.#map.delete(oldest.value)
    }
  }

  get size(): number {
    return this.#map.size
  }

  clear(): void {
    this.#map.clear()
  }
}
