// SPDX-License-Identifier: MPL-2.0
// verifier process entry. VERIFIER_MODE=cluster (default) forks one process per core, each verifying
// inline: for a CPU-bound call this small, handing each request to a thread costs more than it saves.
// VERIFIER_MODE=pool keeps one process with a piscina thread per core. The primary forwards SIGTERM
// and exits when every worker has drained.
import cluster from 'node:cluster'
import { boot, run, serveClusterMetrics } from '@persona/kit'
import { buildApp } from './app.ts'
import { verifierConfig } from './config.ts'

await boot(async () => {
  const cfg = verifierConfig()
  if (cfg.mode === 'pool' || cfg.workers <= 1) {
    // One core in cluster mode: verify inline in this process (a one-thread pool would only add the
    // hand-off, about a third of the CPU of a verification in the profile).
    const app = await buildApp(cfg.mode === 'pool' ? cfg : { ...cfg, workers: 0 })
    await run(app, { host: cfg.host, port: cfg.port, graceMs: cfg.graceMs })
    return
  }
  if (cluster.isPrimary) {
    let stopping = false
    // One scrape answers for every worker (kit metrics-cluster.ts).
    serveClusterMetrics()
    for (let i = 0; i < cfg.workers; i++) cluster.fork()
    cluster.on('exit', (worker, code, signal) => {
      if (stopping) {
        if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0)
        return
      }
      // A crashed worker is replaced so capacity doesn't silently shrink.
      process.stderr.write(`verifier worker ${worker.process.pid} exited (${signal ?? code}); restarting\n`)
      cluster.fork()
    })
    const stop = () => {
      stopping = true
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM')
      setTimeout(() => process.exit(0), cfg.graceMs + 1000).unref()
    }
    process.on('SIGTERM', stop)
    process.on('SIGINT', stop)
    return
  }
  // A cluster worker: inline crypto, its own listening socket (SO_REUSEPORT): the kernel spreads
  // connections, so the primary is not in the path of every new connection.
  const app = await buildApp({ ...cfg, workers: 0 })
  await run(app, { host: cfg.host, port: cfg.port, graceMs: cfg.graceMs, reusePort: true })
})
