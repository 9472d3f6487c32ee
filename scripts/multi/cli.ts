// SPDX-License-Identifier: MPL-2.0
// The two-cluster simulation's command line (make multi, multi-down, deploy, failover):
//   up          start it all; prints the ready line and returns (processes keep running)
//   down        stop everything it started and remove its namespaces
//   status      what runs where: releases, master, drained clusters, dead processes
//   deploy      --version V: one cluster at a time, drain, upgrade, smoke-test, put back
//               --target terraform|helm: the same steps on AWS (infra/ stacks) or Kubernetes (one Helm
//               release per cluster): --zone-id Z (Route 53), --smoke CMD (run per cluster with
//               PERSONA_CLUSTER set; exit 0 = passed), [--stacks DIR] [--chart DIR]
//   failover    fence the master, promote the most advanced replica, repoint the rest and the name
//   rejoin      [--host NAME] [--rebuild]: a fenced old master back as a read-only replica of the master
//   release     --version V [--rev REV]: make a release from the working tree or a git revision
// Options: --dir DIR (default .multi)
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { ROOT } from '../dev/web.ts'
import { DeployError, type DeployTarget, deploy, type Silencer } from './deploy.ts'
import { teardown } from './net.ts'
import { paths } from './plan.ts'
import { alive } from './procs.ts'
import { makeRelease } from './releases.ts'
import { DEFAULT_OPTIONS, down, loadState, up } from './sim.ts'
import { simFailover, simRejoin, watchMaster } from './sim-failover.ts'
import { simTarget } from './sim-target.ts'
import { execRunner, helmTarget, terraformTarget } from './targets.ts'

/** monitoring/'s Alertmanager silences, when that module is there (set while a cluster is drained). */
async function loadSilencer(): Promise<Silencer | undefined> {
  const file = resolve(ROOT, 'monitoring', 'src', 'silences.ts')
  if (!existsSync(file)) return undefined
  const m: unknown = await import(file)
  const set = typeof m === 'object' && m !== null ? Reflect.get(m, 'silenceCluster') : undefined
  const lift = typeof m === 'object' && m !== null ? Reflect.get(m, 'liftSilence') : undefined
  if (typeof set !== 'function' || typeof lift !== 'function') return undefined
  return {
    silence: async (cluster, reason) => String(await set(cluster, reason)),
    lift: async (id) => {
      await lift(id)
    },
  }
}

const say = (line: string) => process.stdout.write(`[multi] ${line}\n`)

/** The deploy's target on AWS (Terraform) or Kubernetes (Helm), from the command line. */
async function realTarget(v: {
  target?: string | undefined
  'zone-id'?: string | undefined
  smoke?: string | undefined
  stacks?: string | undefined
  chart?: string | undefined
}): Promise<DeployTarget> {
  const zoneId = v['zone-id']
  const smokeCmd = v.smoke
  if (zoneId === undefined || smokeCmd === undefined)
    throw new Error(`deploy --target ${v.target} needs --zone-id (Route 53) and --smoke CMD`)
  // The clusters are infra's data (infra/src/clusters.ts), home first.
  const { CLUSTERS } = (await import(resolve(ROOT, 'infra', 'src', 'clusters.ts'))) as {
    CLUSTERS: readonly { name: string; region: string }[]
  }
  const smoke = async (cluster: string) => {
    const t0 = performance.now()
    await execRunner.run('sh', ['-c', `PERSONA_CLUSTER=${cluster} ${smokeCmd}`])
    return Math.round(performance.now() - t0)
  }
  const common = { clusters: CLUSTERS, zoneId, smoke }
  if (v.target === 'terraform')
    return terraformTarget({ ...common, stacksDir: v.stacks ?? '', home: CLUSTERS[0]?.name ?? '' })
  if (v.target === 'helm') return helmTarget({ ...common, chart: v.chart ?? '' })
  throw new Error(`--target ${v.target}: simulation, terraform or helm`)
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      dir: { type: 'string', default: resolve(ROOT, '.multi') },
      version: { type: 'string' },
      rev: { type: 'string' },
      watch: { type: 'boolean', default: false },
      host: { type: 'string' },
      rebuild: { type: 'boolean', default: false },
      target: { type: 'string', default: 'simulation' },
      'zone-id': { type: 'string' },
      smoke: { type: 'string' },
      stacks: { type: 'string', default: resolve(ROOT, 'infra', 'cdktf.out', 'stacks') },
      chart: { type: 'string', default: resolve(ROOT, 'charts', 'persona') },
    },
  })
  const dir = resolve(values.dir)
  switch (positionals[0]) {
    case 'up': {
      const r = await up({ dir }, say, { monitoring: true })
      say(`started in ${(r.ms / 1000).toFixed(1)} s; logs in ${paths(dir).logs}; make multi-down stops it`)
      process.stdout.write(`${r.line}\n`)
      return 0
    }
    case 'down': {
      await down(dir, say)
      await teardown(DEFAULT_OPTIONS.prefix)
      say('stopped; nothing left running')
      return 0
    }
    case 'status': {
      const s = await loadState(dir)
      say(`master: ${s.master}${s.fenced.length > 0 ? ` (fenced: ${s.fenced.join(', ')})` : ''}`)
      for (const [c, v] of Object.entries(s.releases)) say(`cluster ${c}: release ${v}`)
      const dead = Object.entries(s.pids).filter(([, pid]) => !alive(pid))
      say(
        dead.length === 0
          ? `all ${Object.keys(s.pids).length} processes running`
          : `not running: ${dead.map(([k]) => k).join(', ')}`,
      )
      return 0
    }
    case 'deploy': {
      if (values.version === undefined) throw new Error('deploy needs --version (make deploy VERSION=...)')
      let target: DeployTarget
      if (values.target === 'simulation') {
        const state = await loadState(dir)
        await makeRelease(paths(dir).releases, values.version, {
          ...(values.rev === undefined ? {} : { rev: values.rev }),
          log: say,
        })
        target = simTarget(state)
      } else target = await realTarget(values)
      const silencer = await loadSilencer()
      if (silencer === undefined) say('no monitoring silences module: deploying without silences')
      try {
        const reports = await deploy(target, values.version, { log: say, silencer })
        for (const r of reports) {
          say(
            `cluster ${r.cluster}: ${r.outcome} ${r.from} -> ${r.to} in ${(r.ms.total / 1000).toFixed(1)} s (drain ${r.ms.drain} ms, upgrade ${r.ms.upgrade} ms, smoke ${r.ms.smoke} ms, back in DNS ${r.ms.undrain} ms)`,
          )
        }
        say(`deployed ${values.version} to every cluster`)
        return 0
      } catch (e) {
        if (e instanceof DeployError) {
          process.stderr.write(`multi: ${e.message}\n`)
          return 3
        }
        throw e
      }
    }
    case 'failover': {
      const state = await loadState(dir)
      if (values.watch) {
        say(`watching master ${state.master}; fails over after 3 missed checks (Ctrl-C stops watching)`)
        const r = await watchMaster(state, say).failedOver
        say(
          `failed over to ${r.promoted} (detected after ${r.detectedAfterMs} ms, failover ${r.ms.total} ms)`,
        )
        return 0
      }
      const r = await simFailover(state, say)
      say(
        `master is now ${r.promoted} at GTID ${r.gtidPos || '(empty)'}: ${r.fencedBy}; replicas repointed: ${r.repointed.join(', ') || 'none'}${r.skipped.length > 0 ? `; left out: ${r.skipped.join(', ')}` : ''} (fence ${r.ms.fence} ms, promote ${r.ms.promote} ms, total ${r.ms.total} ms)`,
      )
      return 0
    }
    case 'rejoin': {
      const state = await loadState(dir)
      const done = await simRejoin(state, say, {
        ...(values.host === undefined ? {} : { only: values.host }),
        rebuild: values.rebuild,
      })
      for (const r of done) {
        say(
          `${r.host} is a replica of ${state.master} again (${r.how === 'gtid' ? `from ${r.from || 'empty'}` : `rebuilt; discarded ${r.discarded}, never acknowledged`}; ${r.ms} ms)`,
        )
      }
      return 0
    }
    case 'release': {
      if (values.version === undefined) throw new Error('release needs --version')
      const d = await makeRelease(paths(dir).releases, values.version, {
        ...(values.rev === undefined ? {} : { rev: values.rev }),
        log: say,
      })
      say(`release ${values.version} in ${d}`)
      return 0
    }
    default:
      process.stderr.write(
        'usage: node scripts/multi/cli.ts <up|down|status|deploy|failover|rejoin|release> [--dir DIR] [--version V]\n',
      )
      return 2
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`multi: ${e instanceof Error ? e.message : String(e)}\n`)
    process.exit(1)
  },
)
