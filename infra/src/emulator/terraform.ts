// SPDX-License-Identifier: MPL-2.0
// The real terraform binary on a synthesized stack, pointed at the emulator: provider from the offline
// plugin directory, AWS_ENDPOINT_URL for every service, the emulator's credentials. Each step is timed
// and its resource counts read from terraform's own summary line.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { EMULATOR_CREDENTIALS } from './moto.ts'

const run = promisify(execFile)
export const PLUGIN_DIR = process.env.PERSONA_TF_PLUGIN_DIR ?? '/opt/tf-plugins'
export const TERRAFORM = process.env.PERSONA_TERRAFORM ?? 'terraform'

export interface Step {
  readonly stack: string
  readonly what: 'apply' | 'destroy' | 'plan'
  readonly ms: number
  /** Resources added, changed and destroyed (terraform's summary line). */
  readonly added: number
  readonly changed: number
  readonly destroyed: number
}

export interface PlannedChange {
  readonly address: string
  readonly type: string
  readonly actions: readonly string[]
  /** Top-level attributes whose planned value differs from the emulator's (updates only). */
  readonly attributes: readonly string[]
}

export class Terraform {
  readonly dir: string
  readonly stack: string
  readonly #env: NodeJS.ProcessEnv
  readonly #vars: readonly string[]

  constructor(dir: string, stack: string, endpoint: string, vars: Readonly<Record<string, string>> = {}) {
    this.dir = dir
    this.stack = stack
    this.#env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      ...EMULATOR_CREDENTIALS,
      AWS_ENDPOINT_URL: endpoint,
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      CHECKPOINT_DISABLE: '1',
    }
    this.#vars = Object.entries(vars).flatMap(([k, v]) => ['-var', `${k}=${v}`])
  }

  async #tf(args: readonly string[], timeoutMs = 20 * 60_000): Promise<string> {
    try {
      const { stdout } = await run(TERRAFORM, [...args], {
        cwd: this.dir,
        env: this.#env,
        timeout: timeoutMs,
        maxBuffer: 256 * 1024 * 1024,
      })
      return stdout
    } catch (e) {
      const o = typeof e === 'object' && e !== null ? e : {}
      const out = `${'stdout' in o ? String(o.stdout) : ''}\n${'stderr' in o ? String(o.stderr) : ''}`
      throw new Error(`${this.stack}: terraform ${args[0]} failed:\n${out.slice(-6000)}`)
    }
  }

  async init(): Promise<void> {
    await this.#tf(['init', '-input=false', '-no-color', `-plugin-dir=${PLUGIN_DIR}`])
  }

  async #counted(what: 'apply' | 'destroy', args: readonly string[]): Promise<Step> {
    const t0 = performance.now()
    const out = await this.#tf(args)
    const ms = Math.round(performance.now() - t0)
    const m = /Resources: (\d+) added, (\d+) changed, (\d+) destroyed/.exec(out)
    const d = /Resources: (\d+) destroyed/.exec(out)
    return {
      stack: this.stack,
      what,
      ms,
      added: Number(m?.[1] ?? 0),
      changed: Number(m?.[2] ?? 0),
      destroyed: Number(m?.[3] ?? d?.[1] ?? 0),
    }
  }

  apply(): Promise<Step> {
    return this.#counted('apply', [
      'apply',
      '-auto-approve',
      '-input=false',
      '-no-color',
      '-parallelism=20',
      ...this.#vars,
    ])
  }

  destroy(): Promise<Step> {
    return this.#counted('destroy', [
      'destroy',
      '-auto-approve',
      '-input=false',
      '-no-color',
      '-parallelism=20',
      ...this.#vars,
    ])
  }

  /** A plan against what the emulator now holds: every change it would make, attribute by attribute. */
  async plan(): Promise<{ step: Step; changes: PlannedChange[] }> {
    const t0 = performance.now()
    await this.#tf(['plan', '-input=false', '-no-color', '-out=emulator.tfplan', ...this.#vars])
    const json = JSON.parse(await this.#tf(['show', '-json', 'emulator.tfplan'])) as {
      resource_changes?: {
        address: string
        type: string
        change: { actions: string[]; before?: Record<string, unknown>; after?: Record<string, unknown> }
      }[]
    }
    const changes: PlannedChange[] = []
    for (const rc of json.resource_changes ?? []) {
      const actions = rc.change.actions
      if (actions.length === 1 && (actions[0] === 'no-op' || actions[0] === 'read')) continue
      const before = rc.change.before ?? {}
      const after = rc.change.after ?? {}
      const attributes = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
        (k) => k in after && JSON.stringify(before[k]) !== JSON.stringify(after[k]),
      )
      changes.push({ address: rc.address, type: rc.type, actions, attributes })
    }
    const count = (a: string) => changes.filter((c) => c.actions.includes(a)).length
    return {
      step: {
        stack: this.stack,
        what: 'plan',
        ms: Math.round(performance.now() - t0),
        added: count('create'),
        changed: count('update'),
        destroyed: count('delete'),
      },
      changes,
    }
  }

  /**
   * Which resources of a saved state still exist: a copy of the state refreshed against the emulator
   * (terraform's own readers drop what is gone). After a destroy, what an earlier apply made and the
   * destroy left behind.
   */
  async stillExisting(savedState: string): Promise<string[]> {
    await this.#tf([
      'apply',
      '-refresh-only',
      '-auto-approve',
      '-input=false',
      '-no-color',
      `-state=${savedState}`,
      ...this.#vars,
    ])
    const list = await this.#tf(['state', 'list', `-state=${savedState}`])
    return list.split('\n').filter((l) => l.trim() !== '')
  }

  /** The state file's text (to keep a copy before a destroy). */
  async pullState(): Promise<string> {
    return this.#tf(['state', 'pull'])
  }

  /** `terraform output -json`, parsed. */
  async outputs(): Promise<Record<string, unknown>> {
    const o = JSON.parse(await this.#tf(['output', '-json'])) as Record<string, { value: unknown }>
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v.value]))
  }

  /** Resource addresses and ids in the state. */
  async stateIds(): Promise<Map<string, string>> {
    const json = JSON.parse(await this.#tf(['show', '-json'])) as {
      values?: { root_module?: { resources?: { address: string; values?: { id?: unknown } }[] } }
    }
    const out = new Map<string, string>()
    for (const r of json.values?.root_module?.resources ?? []) out.set(r.address, String(r.values?.id ?? ''))
    return out
  }
}
