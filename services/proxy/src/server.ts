// SPDX-License-Identifier: MPL-2.0
// proxy process entry: config, app, listen, drain on SIGTERM.
import { boot, run } from '@persona/kit'
import { buildApp } from './app.ts'
import { proxyConfig } from './config.ts'

await boot(async () => {
  const cfg = proxyConfig()
  const app = await buildApp(cfg)
  await run(app, { host: cfg.host, port: cfg.port, graceMs: cfg.graceMs })
})
