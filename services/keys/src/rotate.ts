// SPDX-License-Identifier: MPL-2.0
// Key rotation without downtime, in three steps an operator runs (`node services/keys/src/cli.ts`),
// each after the previous one has reached every cluster (the files are replicated like any secret):
//   stage    make the next key; every verifier trusts it and the support document publishes it, while
//            the certifier still signs with the current one
//   promote  once the next key has been published long enough (`minStagedMs`, default 1 h: longer than
//            any cache of our support document), the certifier signs with it; the old key stays
//            trusted as `previous`
//   retire   once no certificate signed with the previous key can still be valid (`minRetireMs`,
//            default 24 h + 10 min: the longest certificate lifetime and clock skew), drop it
// The public file is written before the secret one, so nothing is ever signed with a key that a
// verifier reading the same files does not trust yet.
import { readFile } from 'node:fs/promises'
import { generateKeyPair } from '@persona/browserid'
import { writeAtomically } from './files.ts'
import {
  type PublicRing,
  parsePublicRing,
  parseSecretRing,
  publicRingOf,
  renderPublicRing,
  renderSecretRing,
  type SecretRing,
} from './ring.ts'

export interface KeyFilePaths {
  readonly privateKeyFile: string
  readonly publicKeyFile: string
}

export const DEFAULT_MIN_STAGED_MS = 60 * 60 * 1000
export const DEFAULT_MIN_RETIRE_MS = 24 * 60 * 60 * 1000 + 10 * 60 * 1000

async function read(files: KeyFilePaths): Promise<{ secret: SecretRing; pub: PublicRing }> {
  return {
    secret: parseSecretRing(await readFile(files.privateKeyFile, 'utf8')),
    pub: parsePublicRing(await readFile(files.publicKeyFile, 'utf8')),
  }
}

async function write(files: KeyFilePaths, secret: SecretRing, pub: PublicRing): Promise<void> {
  await writeAtomically(files.publicKeyFile, renderPublicRing(pub), 0o644)
  await writeAtomically(files.privateKeyFile, renderSecretRing(secret), 0o600)
}

export async function stageNext(files: KeyFilePaths, now = Date.now()): Promise<SecretRing> {
  const { secret, pub } = await read(files)
  if (secret.next !== undefined) throw new Error('a next key is already staged (promote it, or wait)')
  const { secretKey } = await generateKeyPair('RS256')
  const staged: SecretRing = { current: secret.current, next: secretKey, stagedAt: now }
  await write(files, staged, publicRingOf(staged, pub.previous))
  return staged
}

export async function promoteNext(
  files: KeyFilePaths,
  opts: { now?: number; minStagedMs?: number } = {},
): Promise<SecretRing> {
  const now = opts.now ?? Date.now()
  const min = opts.minStagedMs ?? DEFAULT_MIN_STAGED_MS
  const { secret } = await read(files)
  if (secret.next === undefined) throw new Error('no next key is staged (run stage first)')
  const waited = now - (secret.stagedAt ?? 0)
  if (waited < min) {
    throw new Error(
      `the next key was staged ${Math.round(waited / 1000)} s ago; promote after ${Math.round(min / 1000)} s, once every cluster and cache has it`,
    )
  }
  const promoted: SecretRing = { current: secret.next, promotedAt: now }
  await write(files, promoted, publicRingOf(promoted, secret.current.publicKey))
  return promoted
}

export async function retirePrevious(
  files: KeyFilePaths,
  opts: { now?: number; minRetireMs?: number } = {},
): Promise<void> {
  const now = opts.now ?? Date.now()
  const min = opts.minRetireMs ?? DEFAULT_MIN_RETIRE_MS
  const { secret, pub } = await read(files)
  if (pub.previous === undefined) throw new Error('there is no previous key to retire')
  const age = now - (pub.promotedAt ?? 0)
  if (age < min) {
    throw new Error(
      `certificates signed with the previous key may be valid for ${Math.round((min - age) / 1000)} s more`,
    )
  }
  const { promotedAt: _p, ...rest } = secret
  await write(files, rest, publicRingOf(rest))
}
