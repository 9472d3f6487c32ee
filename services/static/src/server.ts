// SPDX-License-Identifier: MPL-2.0
// Starts the static service: `node services/static/src/server.ts` (config from env, see config.ts).
import { boot, run } from '@persona/kit'
import { buildApp } from './app.ts'
import { loadStaticConfig } from './config.ts'

await boot(async () => {
  const cfg = loadStaticConfig()
  const app = await buildApp(cfg)
  await run(app, { host: cfg.host, port: cfg.port, graceMs: cfg.graceMs })
})
