// SPDX-License-Identifier: MPL-2.0
// verifier process entry: config, app (with its crypto pool), listen, drain on SIGTERM.
import { boot, run } from '@persona/kit'
import { buildApp } from './app.ts'
import { verifierConfig } from './config.ts'

await boot(async () => {
  const cfg = verifierConfig()
  const app = await buildApp(cfg)
  await run(app, { host: cfg.host, port: cfg.port, graceMs: cfg.graceMs })
})
