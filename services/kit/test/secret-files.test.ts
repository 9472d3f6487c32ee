// SPDX-License-Identifier: MPL-2.0
// Secrets as files (PERSONA_SECRETS_DIR, one file per secret named like its variable): a service reads
// exactly the ones the topology lets it hold, a file's development value is refused in production like
// an env value would be, and a bad file stops start-up with one line naming it.
import assert from 'node:assert/strict'
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { Type } from 'typebox'
import { ConfigError, defineServiceConfig } from '../src/config.ts'
import { withSecretFiles } from '../src/secret-files.ts'

const dir = mkdtempSync(join(tmpdir(), 'persona-secret-files-'))
after(() => rmSync(dir, { recursive: true, force: true }))
writeFileSync(join(dir, 'WRITER_TOKEN'), 'writer-token-from-a-file-0123\n')
writeFileSync(join(dir, 'CERTIFIER_TOKEN'), 'certifier-token-from-a-file\n')
writeFileSync(join(dir, 'DB_WRITER_PASSWORD'), 'a-writer-password')

test('fills the secrets the holder may hold from their files, and no other', () => {
  const env = withSecretFiles('writer', { PERSONA_SECRETS_DIR: dir })
  assert.equal(env.WRITER_TOKEN, 'writer-token-from-a-file-0123', 'one trailing newline dropped')
  assert.equal(env.DB_WRITER_PASSWORD, 'a-writer-password')
  assert.equal(env.CERTIFIER_TOKEN, undefined, 'the writer may not hold the certifier token')
  assert.equal(withSecretFiles('router', { PERSONA_SECRETS_DIR: dir }).WRITER_TOKEN, undefined)
})

test('without PERSONA_SECRETS_DIR, or with the variable set, the env is as given', () => {
  assert.deepEqual(withSecretFiles('writer', { A: 'b' }), { A: 'b' })
  assert.equal(
    withSecretFiles('writer', { PERSONA_SECRETS_DIR: dir, WRITER_TOKEN: 'given' }).WRITER_TOKEN,
    'given',
  )
})

test('an empty or unreadable secret file is an error naming the file', () => {
  const bad = mkdtempSync(join(tmpdir(), 'persona-secret-files-bad-'))
  try {
    writeFileSync(join(bad, 'WRITER_TOKEN'), '\n')
    assert.throws(() => withSecretFiles('writer', { PERSONA_SECRETS_DIR: bad }), /WRITER_TOKEN is empty/)
    writeFileSync(join(bad, 'WRITER_TOKEN'), 'x'.repeat(20))
    chmodSync(join(bad, 'WRITER_TOKEN'), 0o000)
    if (process.getuid?.() !== 0) {
      assert.throws(
        () => withSecretFiles('writer', { PERSONA_SECRETS_DIR: bad }),
        /WRITER_TOKEN cannot be read/,
      )
    }
  } finally {
    rmSync(bad, { recursive: true, force: true })
  }
})

test('a service loads its secrets from files, and refuses a development one in production', () => {
  const config = defineServiceConfig('certifier', {
    CERTIFIER_TOKEN: Type.String({ minLength: 16, description: 'token' }),
    CERTIFIER_PRIVATE_KEY_FILE: Type.String({ description: 'key path' }),
  })
  const cfg = config.load({ PERSONA_SECRETS_DIR: dir, CERTIFIER_PRIVATE_KEY_FILE: '/k' })
  assert.equal(cfg.CERTIFIER_TOKEN, 'certifier-token-from-a-file')
  const dev = mkdtempSync(join(tmpdir(), 'persona-secret-files-dev-'))
  try {
    writeFileSync(join(dev, 'CERTIFIER_TOKEN'), 'dev-certifier-token-0123456789')
    assert.throws(
      () =>
        config.load({ NODE_ENV: 'production', PERSONA_SECRETS_DIR: dev, CERTIFIER_PRIVATE_KEY_FILE: '/k' }),
      (e: unknown) =>
        e instanceof ConfigError && /CERTIFIER_TOKEN/.test(e.message) && !e.message.includes('\n'),
    )
  } finally {
    rmSync(dev, { recursive: true, force: true })
  }
})
