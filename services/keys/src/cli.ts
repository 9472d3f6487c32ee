// SPDX-License-Identifier: MPL-2.0
// `node services/keys/src/cli.ts <command> --private FILE --public FILE` (or --dir DIR holding
// root.secretkey.json and root.publickey.json): status | stage | promote | retire (see rotate.ts) |
// jwks (the public JWKS of current, next and previous) | export-jwk (the current private key as a JWK,
// to stdout, for moving it into another secret store) | import-jwk FILE (a JWK as the current key).
// Never prints a private key unless asked by export-jwk.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { SecretKey } from '@persona/browserid'
import { writeAtomically } from './files.ts'
import { fromJwk, jwksOf, toJwk } from './jwk.ts'
import { parsePublicRing, parseSecretRing, renderPublicRing, renderSecretRing } from './ring.ts'
import { type KeyFilePaths, promoteNext, retirePrevious, stageNext } from './rotate.ts'

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      dir: { type: 'string' },
      private: { type: 'string' },
      public: { type: 'string' },
      force: { type: 'boolean', default: false },
    },
  })
  const dir = values.dir
  const files: KeyFilePaths = {
    privateKeyFile: values.private ?? (dir === undefined ? '' : join(dir, 'root.secretkey.json')),
    publicKeyFile: values.public ?? (dir === undefined ? '' : join(dir, 'root.publickey.json')),
  }
  if (files.publicKeyFile === '') throw new Error('name the keys: --dir DIR, or --private FILE --public FILE')
  const wait = values.force ? { minStagedMs: 0, minRetireMs: 0 } : {}
  const jwk = async (k: Parameters<typeof toJwk>[0]) => (await toJwk(k)).kid
  switch (positionals[0]) {
    case 'status': {
      const pub = parsePublicRing(await readFile(files.publicKeyFile, 'utf8'))
      console.log(
        `current:  ${await jwk(pub.current)}${pub.promotedAt ? ` (since ${new Date(pub.promotedAt).toISOString()})` : ''}`,
      )
      if (pub.next)
        console.log(`next:     ${await jwk(pub.next)} (staged ${new Date(pub.stagedAt ?? 0).toISOString()})`)
      if (pub.previous) console.log(`previous: ${await jwk(pub.previous)} (still trusted)`)
      return
    }
    case 'stage':
      {
        const r = await stageNext(files)
        console.log(`staged next key ${await jwk(r.next ?? r.current)}`)
      }
      return
    case 'promote':
      console.log(`now signing with ${await jwk((await promoteNext(files, wait)).current)}`)
      return
    case 'retire':
      await retirePrevious(files, wait)
      console.log('previous key retired')
      return
    case 'jwks':
      console.log(
        JSON.stringify(await jwksOf(parsePublicRing(await readFile(files.publicKeyFile, 'utf8'))), null, 2),
      )
      return
    case 'export-jwk': {
      const ring = parseSecretRing(await readFile(files.privateKeyFile, 'utf8'))
      console.log(JSON.stringify(await toJwk(ring.current, { private: true })))
      return
    }
    case 'import-jwk': {
      const file = positionals[1]
      if (file === undefined) throw new Error('import-jwk FILE')
      const key = await fromJwk(JSON.parse(await readFile(file, 'utf8')))
      if (!(key instanceof SecretKey)) throw new Error('the JWK has no private part (d)')
      await writeAtomically(files.publicKeyFile, renderPublicRing({ current: key.publicKey }), 0o644)
      await writeAtomically(files.privateKeyFile, renderSecretRing({ current: key }), 0o600)
      console.log(`imported ${await jwk(key)} as the current key`)
      return
    }
    default:
      throw new Error(
        'usage: cli.ts <status|stage|promote|retire|jwks|export-jwk|import-jwk FILE> --dir DIR [--force]',
      )
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e))
  process.exit(1)
})
