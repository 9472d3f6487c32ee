// SPDX-License-Identifier: MPL-2.0
// The only place that touches the process: listen, then drain on SIGTERM/SIGINT (stop accepting,
// finish in-flight requests, run every onClose hook to close pools) within a bounded grace period.
import closeWithGrace from 'close-with-grace'
import type { FastifyInstance } from 'fastify'
import { ConfigError } from './config.ts'

export interface RunOptions {
  readonly host: string
  readonly port: number
  readonly graceMs: number
  /**
   * Bind this process's own socket with SO_REUSEPORT (node:cluster workers): the kernel spreads
   * connections across the processes, and no primary sits in the accept path.
   */
  readonly reusePort?: boolean
}

export async function run(app: FastifyInstance, opts: RunOptions): Promise<void> {
  closeWithGrace({ delay: opts.graceMs }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'service.crashed')
    else app.log.info({ signal }, 'service.stopping')
    await app.close()
  })
  try {
    await app.listen({
      host: opts.host,
      port: opts.port,
      ...(opts.reusePort === true ? { exclusive: true, reusePort: true } : {}),
    })
  } catch (err) {
    app.log.fatal({ err }, 'service.listen_failed')
    process.exit(1)
  }
}

/**
 * Runs `main`, turning a configuration error into one clear line on stderr and exit code 1 (no stack).
 */
export async function boot(main: () => Promise<void>): Promise<void> {
  try {
    await main()
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`)
      process.exit(1)
    }
    throw e
  }
}
