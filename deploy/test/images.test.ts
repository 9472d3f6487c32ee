// SPDX-License-Identifier: MPL-2.0
// One naming scheme for every image: <registry>/persona-<part>:<version>, the version from git
// describe, never `latest`; and the contract's per-host-class render every host target starts from.
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { test } from 'node:test'
import { SERVICE_SPECS } from '@persona/kit'
import { renderHostClass, type Site } from '../src/env.ts'
import { checkVersion, IMAGES, imageRef, sourceVersion } from '../src/images.ts'
import { CONTAINER_PATHS, PART_SPECS, partsOfClass } from '../src/parts.ts'

test('images are <registry>/persona-<part>:<version>', () => {
  assert.equal(
    imageRef('registry.example.com/persona', 'reader', 'v1.2.3'),
    'registry.example.com/persona/persona-reader:v1.2.3',
  )
  assert.equal(imageRef('127.0.0.1:5000', 'mariadb', 'abc1234'), '127.0.0.1:5000/persona-mariadb:abc1234')
  for (const p of Object.values(PART_SPECS)) assert.ok(IMAGES.includes(p.image), `${p.image} is an image`)
})

test('a version is never latest, and is a valid tag', () => {
  assert.throws(() => checkVersion('latest'), /latest/)
  assert.throws(() => imageRef('r.example', 'router', 'latest'), /latest/)
  assert.throws(() => checkVersion('-bad'), /not a valid tag/)
  assert.throws(() => checkVersion('a b'), /not a valid tag/)
  assert.throws(() => imageRef('Bad Registry', 'router', 'v1'), /registry/)
})

test('the version is git describe (or PERSONA_VERSION)', () => {
  const root = join(import.meta.dirname, '../..')
  const v = sourceVersion(root, {})
  assert.match(v, /^[0-9a-f]{7,}(-dirty)?$|^v?\d/, v)
  assert.equal(sourceVersion(root, { PERSONA_VERSION: 'v9.9.9' }), 'v9.9.9')
  assert.throws(() => sourceVersion(root, { PERSONA_VERSION: 'latest' }), /latest/)
})

test('a host class renders each of its parts: env, secret files, where they are', () => {
  const site: Site = {
    render: 'netns',
    containers: false,
    mode: 'production',
    listenHost: '10.1.0.5',
    url: (to) =>
      `http://10.1.0.${SERVICE_SPECS[to].hostClass === 'webhead' ? 5 : 9}:${SERVICE_SPECS[to].port}`,
    db: { master: { host: 'db-master.test', port: 3306 }, replica: { host: 'db-replica.test', port: 3306 } },
    publicUrl: 'https://login.test',
    issuerDomain: 'login.test',
    secretsDir: (part) => `/hosts/web1/${part}/secrets`,
    edge: { mode: 'production', serverNames: ['login.test'], verifierHost: 'verifier.login.test' },
  }
  const web = renderHostClass('webhead', site)
  assert.deepEqual(
    web.map((p) => p.part),
    partsOfClass('webhead'),
  )
  const reader = web.find((p) => p.part === 'reader')
  assert.equal(reader?.env.WRITER_URL, 'http://10.1.0.9:10005')
  assert.equal(reader?.env.PROXY_URL, 'http://10.1.0.5:10008')
  assert.equal(reader?.env.PERSONA_SECRETS_DIR, '/hosts/web1/reader/secrets')
  assert.equal(reader?.env.HOST, '10.1.0.5')
  assert.deepEqual(reader?.secrets.map((s) => s.file).sort(), [
    'CERTIFIER_TOKEN',
    'DB_READER_PASSWORD',
    'SESSION_SECRET',
    'WRITER_TOKEN',
  ])
  assert.equal(reader?.env.PUBLIC_KEY_FILE, CONTAINER_PATHS.publicKeyFile)
  const nginx = web.find((p) => p.part === 'nginx')
  assert.equal(nginx?.env.NGINX_ROUTER_UPSTREAM, '10.1.0.5:10002')
  assert.equal(nginx?.secrets.length, 0)
})
