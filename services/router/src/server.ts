// SPDX-License-Identifier: MPL-2.0
// Starts the router: `node services/router/src/server.ts` (config from env, see config.ts).
import { boot, run } from '@persona/kit'
import { buildApp } from './app.ts'
import { loadRouterConfig } from './config.ts'

await boot(async () => {
  const cfg = loadRouterConfig()
  const app = await buildApp(cfg)
  await run(app, { host: cfg.host, port: cfg.port, graceMs: cfg.graceMs })
})
