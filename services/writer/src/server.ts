// SPDX-License-Identifier: MPL-2.0
// Starts the writer: `node services/writer/src/server.ts` (settings in README.md). Bind it to an
// internal address (HOST); it refuses calls without WRITER_TOKEN anyway.
import { boot, run } from '@persona/kit'
import { buildApp } from './app.ts'
import { loadWriterConfig } from './config.ts'

await boot(async () => {
  const cfg = loadWriterConfig()
  const app = await buildApp(cfg)
  await run(app, cfg)
})
