// SPDX-License-Identifier: MPL-2.0
// Pure encoding helpers for the browser code: base64url and the big-integer conversions that turn
// WebCrypto's JWK numbers into BrowserID's decimal-string key form (jwcrypto's RS serialization).

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/** Bytes to unpadded base64url. */
export function bytesToBase64url(bytes: Uint8Array): string {
  let bin = ''
  for (const b of bytes) bin += String.fromCharCode(b)
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/** Unpadded (or padded) base64url to bytes; throws TypeError on characters outside the alphabet. */
export function base64urlToBytes(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(text)) throw new TypeError('not base64url')
  const b64 = text.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/')
  const padded = b64 + '='.repeat((4 - (b64.length % 4)) % 4)
  const bin = atob(padded)
  const out = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  return out
}

export function utf8ToBase64url(text: string): string {
  return bytesToBase64url(encoder.encode(text))
}

export function base64urlToUtf8(text: string): string {
  return decoder.decode(base64urlToBytes(text))
}

/** Big-endian unsigned bytes as a BigInt. */
export function bytesToBigInt(bytes: Uint8Array): bigint {
  let hex = ''
  for (const b of bytes) hex += b.toString(16).padStart(2, '0')
  return hex === '' ? 0n : BigInt(`0x${hex}`)
}

/** A JWK number (base64url, big-endian) as the decimal string BrowserID keys carry. */
export function base64urlToDecimal(text: string): string {
  return bytesToBigInt(base64urlToBytes(text)).toString(10)
}

/** A decimal string back to a JWK number (base64url, minimal big-endian bytes). */
export function decimalToBase64url(decimal: string): string {
  if (!/^[0-9]+$/.test(decimal)) throw new TypeError('not a decimal integer')
  let hex = BigInt(decimal).toString(16)
  if (hex.length % 2 === 1) hex = `0${hex}`
  const out = new Uint8Array(hex.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16)
  return bytesToBase64url(out)
}
