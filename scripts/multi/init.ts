// SPDX-License-Identifier: MPL-2.0
// The contract's one-shot init job in the simulation, run from the release as it runs on an EC2 init
// host: `secrets` makes every secret once (kept and reused on later starts) into one directory per
// holder of the store that stands in for Secrets Manager (one store for every cluster: the replicated
// secrets), the certifier's key pair and the master's first-start SQL; `db` makes the database, the
// accounts and the schema on the master, through the master name. It runs on the first cluster's
// dbwriter host, the class that may reach the master.
import { chown, mkdir, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { partEnv } from '@persona/deploy/env'
import { PART_SPECS } from '@persona/deploy/parts'
import { SECRET_NAMES, SECRETS } from '@persona/kit'
import { hostsOf, type Plan, paths } from './plan.ts'
import { type RunAs, runOnce } from './procs.ts'
import { holderDir, type SimFiles, simSite } from './site.ts'

/** Every directory the init job fills: each secret's holders, the public key and provided secrets. */
export function initDirs(files: SimFiles): string[] {
  const holders = new Set<string>(SECRET_NAMES.flatMap((s) => [...SECRETS[s].holders]))
  return [...holders, 'public', 'provided'].map((h) => holderDir(files, h))
}

/** Makes the holders' directories (owned by the run-as user, 0700), as the EC2 init host does. */
export async function prepareSecretsStore(files: SimFiles, runAs: RunAs | undefined): Promise<void> {
  await mkdir(files.secretsRoot, { recursive: true, mode: 0o700 })
  for (const d of [files.secretsRoot, ...initDirs(files)]) {
    await mkdir(d, { recursive: true, mode: 0o700 })
    if (runAs === undefined) continue
    // A store kept from an earlier run (perhaps made as another user) is handed over whole.
    await chown(d, runAs.uid, runAs.gid)
    for (const e of await readdir(d, { withFileTypes: true }))
      if (e.isFile()) await chown(join(d, e.name), runAs.uid, runAs.gid)
  }
}

/** Runs one phase of the init job from release directory `release`. */
export async function runInit(
  plan: Plan,
  files: SimFiles,
  release: string,
  phase: 'secrets' | 'db',
  runAs: RunAs | undefined,
): Promise<void> {
  const host = hostsOf(plan, 'dbwriter', plan.opts.clusters[0])[0]
  if (host === undefined) throw new Error('no dbwriter host in the first cluster for the init job')
  const [program, ...args] = PART_SPECS.init.command
  if (program !== 'node') throw new Error(`init: not a Node command (${program})`)
  await runOnce(
    {
      host: host.name,
      ns: host.ns,
      name: `init-${phase}`,
      argv: [process.execPath, ...args.map((a) => join(release, a)), phase],
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        NODE_ENV: 'production',
        ...partEnv('init', simSite(plan, files, host)),
      },
      cwd: release,
      ...(runAs === undefined ? {} : { runAs }),
    },
    paths(plan.opts.dir).logs,
  )
}
