// SPDX-License-Identifier: MPL-2.0
// Reading and installing `navigator.id` without a global type augmentation (include.js and the two
// IdP-side scripts each install their own part of it).

export function getNavigatorId(): Record<string, unknown> | undefined {
  const v: unknown = Reflect.get(navigator, 'id')
  return typeof v === 'object' && v !== null ? { ...v } : undefined
}

export function setNavigatorId(value: object): void {
  Reflect.set(navigator, 'id', value)
}
