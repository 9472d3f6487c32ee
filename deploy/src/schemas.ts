// SPDX-License-Identifier: MPL-2.0
// The env every part reads, as its own config schema: the seven services' (their config.ts), nginx's
// start-up renderer, the MariaDB image's entrypoint and the init job. The only file of the contract
// that imports the services: everything else asks here.
import { CONFIG as certifier } from '@persona/certifier/config'
import { CONFIG as proxy } from '@persona/proxy/config'
import { CONFIG as reader } from '@persona/reader/config'
import { CONFIG as router } from '@persona/router/config'
import { CONFIG as staticConfig } from '@persona/static/config'
import { CONFIG as verifier } from '@persona/verifier/config'
import { CONFIG as writer } from '@persona/writer/config'
import { type TObject, Type } from 'typebox'
import { InitEnvSchema } from '../../docker/init/env.ts'
import { K8sKeysEnvSchema } from '../../docker/init/k8s-keys.ts'
import { NginxEnvSchema } from '../../docker/nginx/start.ts'
import type { PartName } from './parts.ts'

/** What docker/mariadb/entrypoint.sh reads (a shell script, so its schema is written here). */
export const MariadbEnvSchema = Type.Object({
  PERSONA_DB_ROLE: Type.Union([Type.Literal('master'), Type.Literal('replica')], {
    description: 'master, or a replica of PERSONA_DB_MASTER_HOST',
  }),
  PERSONA_DB_MASTER_HOST: Type.Optional(
    Type.String({ minLength: 1, description: "replica: the master's name (the cluster's db-master name)" }),
  ),
  PERSONA_DB_SERVER_ID: Type.Integer({
    minimum: 1,
    maximum: 4294967295,
    description: 'replication server id, unique among every server of the replication topology',
  }),
  PERSONA_SECRETS_DIR: Type.Optional(Type.String({ description: 'where its secret files are' })),
})

/** The init job's phases read InitEnvSchema; the Helm chart's key-setup phase also K8sKeysEnvSchema's. */
const InitPartSchema = Type.Object({
  ...InitEnvSchema.properties,
  ...Object.fromEntries(Object.entries(K8sKeysEnvSchema.properties).map(([k, v]) => [k, Type.Optional(v)])),
})

export const PART_SCHEMAS: Readonly<Record<PartName, TObject>> = {
  router: router.schema,
  static: staticConfig.schema,
  reader: reader.schema,
  writer: writer.schema,
  certifier: certifier.schema,
  verifier: verifier.schema,
  proxy: proxy.schema,
  nginx: NginxEnvSchema,
  'db-master': MariadbEnvSchema,
  'db-replica': MariadbEnvSchema,
  init: InitPartSchema,
}

export interface EnvVar {
  readonly name: string
  readonly description: string
  /** Absent means required (or optional without a default: see `optional`). */
  readonly default?: unknown
  readonly optional: boolean
}

function describe(name: string, s: unknown): EnvVar {
  const o = typeof s === 'object' && s !== null ? s : {}
  const description = Reflect.get(o, 'description')
  const dflt: unknown = Reflect.get(o, 'default')
  const optional = Reflect.get(o, '~optional') === true
  return {
    name,
    description: typeof description === 'string' ? description : '',
    ...(dflt === undefined ? {} : { default: dflt }),
    optional,
  }
}

/** Every variable a part reads, with its meaning, from its schema. */
export function envOf(part: PartName): EnvVar[] {
  const props = PART_SCHEMAS[part].properties
  return Object.entries(props).map(([name, s]) => describe(name, s))
}

/** The variables a part cannot start without (no default, not optional). */
export function requiredEnvOf(part: PartName): string[] {
  const required = new Set(PART_SCHEMAS[part].required ?? [])
  return envOf(part)
    .filter((v) => required.has(v.name) && v.default === undefined)
    .map((v) => v.name)
}
