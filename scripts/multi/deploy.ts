// SPDX-License-Identifier: MPL-2.0
// Deploys, one cluster at a time, as Persona's operations did: take the cluster out of DNS (its drain
// switch fails its health check; wait until DNS stops naming it, then the record's TTL and the requests
// in flight), upgrade every process, smoke-test it through its own entry (sign-up, cert_key, /verify
// okay), put it back and wait until DNS names it again, then the next cluster. A failed smoke test
// rolls the cluster back to what it ran, leaves it out of DNS and stops the deploy with a clear message:
// an old reader never talks to a new writer, and users never meet a broken release. The steps are the
// same whatever runs the clusters; a DeployTarget says how each is done (the simulation here; Terraform
// and Helm in targets.ts).

export interface DeployTarget {
  readonly name: string
  readonly clusters: readonly string[]
  /** The version a cluster runs now. */
  current(cluster: string): Promise<string>
  /** Turns the cluster's drain switch on (true) or off; its DNS health check follows. */
  setDrained(cluster: string, drained: boolean): Promise<void>
  /** Resolves once DNS no longer names the cluster (drained) or names it again. */
  waitDns(cluster: string, inDns: boolean): Promise<void>
  /** Seconds a resolver may still hold an answer naming the cluster, plus requests in flight. */
  readonly drainGraceMs: number
  /** Upgrades (or rolls back) every process of the cluster to `version`. */
  upgrade(cluster: string, version: string): Promise<void>
  /** Sign-up, cert_key and /verify through the cluster's own entry; resolves with ms, throws naming the step. */
  smoke(cluster: string): Promise<number>
}

/** Alertmanager silences while a cluster is drained (monitoring/ provides it when present). */
export interface Silencer {
  silence(cluster: string, reason: string): Promise<string>
  lift(id: string): Promise<void>
}

export interface ClusterReport {
  readonly cluster: string
  readonly from: string
  readonly to: string
  readonly outcome: 'upgraded' | 'rolled back' | 'unchanged'
  /** ms per step and in all. */
  readonly ms: { drain: number; upgrade: number; smoke: number; undrain: number; total: number }
  readonly error?: string
}

export class DeployError extends Error {
  readonly reports: readonly ClusterReport[]
  constructor(message: string, reports: readonly ClusterReport[]) {
    super(message)
    this.name = 'DeployError'
    this.reports = reports
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * Upgrades every cluster of `target` to `version`, one after the other.
 * @throws {DeployError} when a cluster's smoke test fails (that cluster rolled back and out of DNS; the
 *   clusters after it untouched)
 */
export async function deploy(
  target: DeployTarget,
  version: string,
  opts: { log?: (line: string) => void; silencer?: Silencer | undefined } = {},
): Promise<ClusterReport[]> {
  const log = opts.log ?? (() => {})
  const reports: ClusterReport[] = []
  for (const cluster of target.clusters) {
    const from = await target.current(cluster)
    const t0 = performance.now()
    const ms = { drain: 0, upgrade: 0, smoke: 0, undrain: 0, total: 0 }
    const silence = await opts.silencer?.silence(cluster, `deploy ${version}`).catch((e: unknown) => {
      log(`cluster ${cluster}: could not set a silence (${String(e)}); deploying anyway`)
      return undefined
    })
    try {
      log(`cluster ${cluster}: draining (${from} -> ${version})`)
      await target.setDrained(cluster, true)
      await target.waitDns(cluster, false)
      await sleep(target.drainGraceMs)
      ms.drain = Math.round(performance.now() - t0)
      const t1 = performance.now()
      await target.upgrade(cluster, version)
      ms.upgrade = Math.round(performance.now() - t1)
      log(`cluster ${cluster}: upgraded in ${ms.upgrade} ms; smoke test`)
      try {
        ms.smoke = await target.smoke(cluster)
      } catch (e) {
        const why = e instanceof Error ? e.message : String(e)
        log(`cluster ${cluster}: smoke test FAILED (${why}); rolling back to ${from}`)
        await target.upgrade(cluster, from)
        let after = 'the rollback passes the smoke test'
        try {
          await target.smoke(cluster)
        } catch (e2) {
          after = `the rollback fails the smoke test too (${e2 instanceof Error ? e2.message : String(e2)})`
        }
        ms.total = Math.round(performance.now() - t0)
        const report: ClusterReport = { cluster, from, to: version, outcome: 'rolled back', ms, error: why }
        reports.push(report)
        throw new DeployError(
          `deploy of ${version} stopped: cluster ${cluster} failed its smoke test (${why}); it runs ${from} again, ${after}, and stays out of DNS until an operator puts it back`,
          reports,
        )
      }
      const t3 = performance.now()
      await target.setDrained(cluster, false)
      await target.waitDns(cluster, true)
      ms.undrain = Math.round(performance.now() - t3)
      ms.total = Math.round(performance.now() - t0)
      reports.push({ cluster, from, to: version, outcome: from === version ? 'unchanged' : 'upgraded', ms })
      log(`cluster ${cluster}: back in DNS on ${version} (${(ms.total / 1000).toFixed(1)} s)`)
    } finally {
      if (silence !== undefined) await opts.silencer?.lift(silence).catch(() => {})
    }
  }
  return reports
}
