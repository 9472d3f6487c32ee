// SPDX-License-Identifier: MPL-2.0
// A local stack's layout and dev secrets as data, for the tests of what `make dev` hands each process
// (test/stack/dev-env.test.ts, deploy/test/renders.test.ts): no process is started.
import { SERVICE_SPECS, SERVICES, type ServiceName } from '@persona/kit'
import type { DevSecrets, StackLayout } from '../../scripts/dev/env.ts'

export const SAMPLE_SECRETS: DevSecrets = {
  dbAdminPassword: 'dev-admin-password-0000000000',
  dbWriterPassword: 'dev-writer-password-111111111',
  dbReaderPassword: 'dev-reader-password-222222222',
  sessionSecret: 'dev-session-secret-33333333333333333333333',
  writerToken: 'dev-writer-token-44444444444',
  certifierToken: 'dev-certifier-token-5555555555',
}

/** Every port the topology's plus 1000; state under /dev-state; `extra` as the launcher's settings. */
export function sampleLayout(extra: Readonly<Record<string, string>> = {}): StackLayout {
  return {
    host: '127.0.0.1',
    ports: Object.fromEntries(SERVICES.map((s) => [s, SERVICE_SPECS[s].port + 1000])) as Record<
      ServiceName,
      number
    >,
    publicUrl: 'http://127.0.0.1:18080',
    smtp: { host: '127.0.0.1', port: 11025 },
    db: {
      master: { host: '127.0.0.1', port: 13306 },
      replica: { host: '127.0.0.1', port: 13307 },
      database: 'persona',
    },
    keys: {
      privateKeyFile: '/dev-state/keys/root.secretkey.json',
      publicKeyFile: '/dev-state/keys/root.publickey.json',
    },
    secretsRoot: '/dev-state/secrets',
    distDir: '/dev-state/web',
    frameSources: ['http://127.0.0.1:10010'],
    shimmedPrimaries: 'idp.test=http://127.0.0.1:10010',
    logLevel: 'info',
    extra,
  }
}
