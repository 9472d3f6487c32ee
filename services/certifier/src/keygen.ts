// SPDX-License-Identifier: MPL-2.0
// Key setup for the certifier (Persona's scripts/generate-keypair + var/root.*): an RS256 key pair in
// BrowserID JSON form. The secret key file is written mode 0600 by a temporary file and rename, so a
// half-written key is never read; the public key file feeds the verifier and our support document.
import { mkdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { generateKeyPair } from '@persona/browserid'
import { parseSecretRing, publicRingOf, renderPublicRing, writeAtomically } from '@persona/keys'

export const PRIVATE_KEY_NAME = 'root.secretkey.json'
export const PUBLIC_KEY_NAME = 'root.publickey.json'

export interface KeyFiles {
  readonly privateKeyFile: string
  readonly publicKeyFile: string
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path)
    return true
  } catch (e) {
    if (e instanceof Error && 'code' in e && e.code === 'ENOENT') return false
    throw e
  }
}

/** A new RS256 key pair as the two files' texts (BrowserID JSON). Every target's key setup makes keys here. */
export async function newKeyPairText(): Promise<{ readonly secret: string; readonly public: string }> {
  const { publicKey, secretKey } = await generateKeyPair('RS256')
  return { secret: `${secretKey.serialize()}\n`, public: `${publicKey.serialize()}\n` }
}

/** The public key file's text for a secret key file's text (a key, or a ring of current and next). */
export function publicKeyTextOf(secretText: string): string {
  return renderPublicRing(publicRingOf(parseSecretRing(secretText)))
}

/**
 * Makes sure `dir` holds a key pair; does nothing when the secret key exists (and rewrites a missing
 * public key file from it).
 * @returns the two file paths
 */
export async function ensureKeys(dir: string): Promise<KeyFiles> {
  await mkdir(dir, { recursive: true, mode: 0o700 })
  const privateKeyFile = join(dir, PRIVATE_KEY_NAME)
  const publicKeyFile = join(dir, PUBLIC_KEY_NAME)
  if (await exists(privateKeyFile)) {
    if (!(await exists(publicKeyFile))) {
      await writeAtomically(publicKeyFile, publicKeyTextOf(await readFile(privateKeyFile, 'utf8')), 0o644)
    }
    return { privateKeyFile, publicKeyFile }
  }
  const pair = await newKeyPairText()
  await writeAtomically(privateKeyFile, pair.secret, 0o600)
  await writeAtomically(publicKeyFile, pair.public, 0o644)
  return { privateKeyFile, publicKeyFile }
}
