// SPDX-License-Identifier: MPL-2.0
// Starts the certifier: `node services/certifier/src/server.ts` (settings in README.md).
import { boot, run } from '@persona/kit'
import { buildApp } from './app.ts'
import { loadCertifierConfig } from './config.ts'

await boot(async () => {
  const cfg = loadCertifierConfig()
  const app = await buildApp(cfg)
  await run(app, cfg)
})
