// SPDX-License-Identifier: MPL-2.0
// Worker-thread entry: the CPU part of verification (every signature in the chain, the claims), on
// plain data that the main thread parsed and resolved. Runs in a piscina pool, one thread per core.
import {
  type ParsedBundle,
  type PublicKeyJSON,
  type SignatureOptions,
  verifyChainSignatures,
} from '@persona/browserid'

export interface VerifyTask {
  readonly parsed: ParsedBundle
  readonly publicKeys: readonly PublicKeyJSON[]
  readonly audience: string
  readonly now: number
  readonly opts: SignatureOptions
}

export default function verifyTask(task: VerifyTask) {
  return verifyChainSignatures(task.parsed, task.publicKeys, task.audience, task.now, task.opts)
}
