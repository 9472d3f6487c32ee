// SPDX-License-Identifier: MPL-2.0
// Runs helm on charts/persona (lint, template) and parses what it renders; gives the effective values
// (values.yaml merged with an override file, as helm merges them) so tests can map topology.ts onto
// the chart.
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { parse, parseAllDocuments } from 'yaml'
import { helmSets } from '../../scripts/multi/targets.ts'
import { helmBin } from './helm-bin.ts'

const run = promisify(execFile)
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const chartDir = join(repoRoot, 'charts', 'persona')
export const valueSetsDir = join(dirname(fileURLToPath(import.meta.url)), 'values')

export type Obj = Record<string, unknown>

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** A rendered Kubernetes object. */
export interface Manifest extends Obj {
  readonly apiVersion: string
  readonly kind: string
  readonly metadata: Obj & { readonly name: string }
}

export interface HelmResult {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** Runs helm with `args`; never throws on a non-zero exit (tests assert on it). */
export async function helm(args: readonly string[]): Promise<HelmResult> {
  try {
    const { stdout, stderr } = await run(helmBin(), [...args], {
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, HELM_CACHE_HOME: join(repoRoot, '.tools', 'helm', 'cache'), NO_COLOR: '1' },
    })
    return { code: 0, stdout, stderr }
  } catch (e) {
    if (isObj(e) && typeof e.code === 'number') {
      return { code: e.code, stdout: String(e.stdout ?? ''), stderr: String(e.stderr ?? '') }
    }
    throw e
  }
}

/** Value arguments for helm: `-f file` for each file, `--set` for each assignment. */
export function valueArgs(files: readonly string[] = [], sets: readonly string[] = []): string[] {
  return [...files.flatMap((f) => ['-f', f]), ...helmSets(sets)]
}

export const RELEASE = 'persona'
export const NAMESPACE = 'persona'

/** `helm template` of the chart; throws with helm's message when rendering fails. */
export async function template(
  files: readonly string[] = [],
  sets: readonly string[] = [],
): Promise<Manifest[]> {
  const res = await helm(['template', RELEASE, chartDir, '--namespace', NAMESPACE, ...valueArgs(files, sets)])
  if (res.code !== 0) throw new Error(`helm template failed: ${res.stderr.trim()}`)
  return parseManifests(res.stdout)
}

export function parseManifests(text: string): Manifest[] {
  const out: Manifest[] = []
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`rendered YAML does not parse: ${doc.errors[0]?.message}`)
    const v: unknown = doc.toJS()
    if (v === null || v === undefined) continue
    if (!isManifest(v)) throw new Error(`rendered document is not a Kubernetes object: ${JSON.stringify(v)}`)
    out.push(v)
  }
  return out
}

function isManifest(v: unknown): v is Manifest {
  return (
    isObj(v) &&
    typeof v.apiVersion === 'string' &&
    typeof v.kind === 'string' &&
    isObj(v.metadata) &&
    typeof v.metadata.name === 'string'
  )
}

/** Helm's merge of values: maps merge key by key, anything else (lists too) is replaced. */
export function mergeValues(base: unknown, over: unknown): unknown {
  if (!isObj(base) || !isObj(over)) return over === undefined ? base : over
  const out: Obj = { ...base }
  for (const [k, v] of Object.entries(over)) out[k] = mergeValues(base[k], v)
  return out
}

export function defaultValues(): Obj {
  const v: unknown = parse(readFileSync(join(chartDir, 'values.yaml'), 'utf8'))
  if (!isObj(v)) throw new Error('values.yaml is not a map')
  return v
}

/** values.yaml with each file merged over it in order. */
export function effectiveValues(files: readonly string[] = []): Obj {
  let v: unknown = defaultValues()
  for (const f of files) v = mergeValues(v, parse(readFileSync(f, 'utf8')))
  if (!isObj(v)) throw new Error('merged values are not a map')
  return v
}

/** Reads `a.b.c` from nested maps, or undefined. */
export function at(v: unknown, path: string): unknown {
  let cur = v
  for (const k of path.split('.')) {
    if (!isObj(cur)) return undefined
    cur = cur[k]
  }
  return cur
}

export function str(v: unknown, what: string): string {
  if (typeof v !== 'string') throw new Error(`${what}: expected a string, got ${JSON.stringify(v)}`)
  return v
}

export function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : []
}

export function objs(v: unknown): Obj[] {
  return list(v).filter(isObj)
}

/** The value sets the tests render (files in test/helm/values/). */
export const VALUE_SETS: Readonly<Record<string, readonly string[]>> = {
  default: [],
  'external-secrets': [join(valueSetsDir, 'external-secrets.yaml')],
  gateway: [join(valueSetsDir, 'gateway.yaml')],
}
