// SPDX-License-Identifier: MPL-2.0
// The simulation as a deploy target: the drain switch is a file the cluster's load balancer checks on
// its DNS health path; an upgrade stops and restarts every process of the cluster's webheads, dbwriter
// and certifier from the release's directory; the smoke test goes through the cluster's own load
// balancer. The state file records what each cluster runs.
import { existsSync } from 'node:fs'
import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { pinnedAgent } from './client.ts'
import type { DeployTarget } from './deploy.ts'
import { resolverFor } from './dns.ts'
import { MAIL_HTTP_PORT } from './hosts.ts'
import { hostsOf, paths, SERVICE_NAME, SERVICE_TTL_S } from './plan.ts'
import { releaseDir } from './releases.ts'
import { contextOf, planOf, type SimState, saveState, startHost, stopHost } from './sim.ts'
import { smokeTest } from './web-client.ts'

/** Requests a client may still have in flight to a cluster after DNS stopped naming it (ms). */
const IN_FLIGHT_GRACE_MS = 2000

export function simTarget(state: SimState): DeployTarget {
  const plan = planOf(state)
  const p = paths(state.opts.dir)
  const lbOf = (c: string) => {
    const h = hostsOf(plan, 'lb', c)[0]
    if (h === undefined) throw new Error(`no cluster ${c}`)
    return h
  }
  const mailUrl = `http://${hostsOf(plan, 'mail')[0]?.address}:${MAIL_HTTP_PORT}`
  return {
    name: 'simulation',
    clusters: state.opts.clusters,
    drainGraceMs: SERVICE_TTL_S * 1000 + IN_FLIGHT_GRACE_MS,
    current: async (c) => state.releases[c] ?? 'unknown',
    setDrained: async (c, drained) => {
      if (drained) await writeFile(p.drain(c), `drained at ${new Date().toISOString()}\n`)
      else await rm(p.drain(c), { force: true })
    },
    waitDns: async (c, inDns) => {
      const r = resolverFor(plan)
      const addr = lbOf(c).address
      const until = Date.now() + 30_000
      for (;;) {
        const answer = await r.resolve4(SERVICE_NAME).catch(() => [] as string[])
        if (answer.includes(addr) === inDns) return
        if (Date.now() > until)
          throw new Error(`DNS still ${inDns ? 'leaves out' : 'names'} cluster ${c} after 30 s`)
        await new Promise((res) => setTimeout(res, 200))
      }
    },
    upgrade: async (c, version) => {
      if (!existsSync(join(releaseDir(p.releases, version), '.complete'))) {
        throw new Error(
          `no release ${version} (make it first: node scripts/multi/cli.ts release --version ${version})`,
        )
      }
      const ctx = await contextOf(plan, state.runAs)
      const full = { ...ctx, tlsCa: await readFile(ctx.tls.caFile, 'utf8') }
      const hosts = plan.hosts.filter(
        (h) => h.cluster === c && (h.kind === 'webhead' || h.kind === 'dbwriter' || h.kind === 'certifier'),
      )
      await Promise.all(hosts.map((h) => stopHost(state, h)))
      state.releases[c] = version
      await saveState(state)
      // All at once: nothing reaches the cluster while it is drained, and the smoke test waits for all.
      await Promise.all(hosts.map((h) => startHost(full, state, h, version)))
      await saveState(state)
    },
    smoke: async (c) => {
      const ca = await readFile(join(p.tls, 'ca.pem'), 'utf8')
      const agent = pinnedAgent(lbOf(c).address, ca)
      try {
        return await smokeTest(agent, mailUrl)
      } finally {
        await agent.close()
      }
    },
  }
}
