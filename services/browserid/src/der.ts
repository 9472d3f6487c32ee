// SPDX-License-Identifier: MPL-2.0
// The minimal DER encoder needed to hand DSA keys to node:crypto: SubjectPublicKeyInfo (RFC 3279
// Dss-Parms + y) for public keys and PKCS#8 PrivateKeyInfo for secret keys. Nothing else is encoded here.

import { toBytes } from './bigint.ts'

function encodeLength(len: number): Buffer {
  if (len < 0x80) return Buffer.from([len])
  const bytes: number[] = []
  let l = len
  while (l > 0) {
    bytes.unshift(l & 0xff)
    l >>>= 8
  }
  return Buffer.from([0x80 | bytes.length, ...bytes])
}

function tlv(tag: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), encodeLength(body.length), body])
}

function integer(n: bigint): Buffer {
  let b = toBytes(n)
  // DER integers are signed: a leading high bit needs a zero byte in front.
  if (b.length === 0 || (b[0] ?? 0) & 0x80) b = Buffer.concat([Buffer.from([0]), b])
  return tlv(0x02, b)
}

const seq = (...items: Buffer[]): Buffer => tlv(0x30, Buffer.concat(items))

// id-dsa, 1.2.840.10040.4.1
const DSA_OID = Buffer.from([0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x38, 0x04, 0x01])

export function dsaPublicKeySpki(p: bigint, q: bigint, g: bigint, y: bigint): Buffer {
  const algorithm = seq(DSA_OID, seq(integer(p), integer(q), integer(g)))
  // BIT STRING with zero unused bits, wrapping INTEGER y.
  const subjectPublicKey = tlv(0x03, Buffer.concat([Buffer.from([0]), integer(y)]))
  return seq(algorithm, subjectPublicKey)
}

export function dsaPrivateKeyPkcs8(p: bigint, q: bigint, g: bigint, x: bigint): Buffer {
  const algorithm = seq(DSA_OID, seq(integer(p), integer(q), integer(g)))
  return seq(integer(0n), algorithm, tlv(0x04, integer(x)))
}
