// SPDX-License-Identifier: MPL-2.0
// Starts the reader: `node services/reader/src/server.ts` (settings in README.md).
import { boot, run } from '@persona/kit'
import { buildApp } from './app.ts'
import { loadReaderConfig } from './config.ts'

await boot(async () => {
  const cfg = loadReaderConfig()
  const app = await buildApp(cfg)
  await run(app, cfg)
})
