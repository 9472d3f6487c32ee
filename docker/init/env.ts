// SPDX-License-Identifier: MPL-2.0
// What the init job reads: where the holders' secret directories are mounted, and where the master is.
import { type Static, Type } from 'typebox'

export const InitEnvSchema = Type.Object({
  PERSONA_INIT_ROOT: Type.String({
    default: '/run/persona',
    pattern: '^/',
    description: "`secrets`: the directory holding each holder's secrets directory (<root>/<holder>)",
  }),
  DB_MASTER_HOST: Type.String({
    default: 'db-master',
    minLength: 1,
    description: "`db`: the master's host name",
  }),
  DB_MASTER_PORT: Type.Integer({
    minimum: 1,
    maximum: 65535,
    default: 3306,
    description: "`db`: the master's port",
  }),
  DB_NAME: Type.String({
    default: 'persona',
    pattern: '^[A-Za-z0-9_]{1,64}$',
    description: '`db`: the database',
  }),
  DB_DBA_USER: Type.String({
    default: 'persona_dba',
    minLength: 1,
    description:
      "`db`: the account that creates Persona's (password DB_DBA_PASSWORD); an external server's root",
  }),
  PERSONA_SECRETS_DIR: Type.Optional(
    Type.String({ description: "init's own secrets (default <root>/init)" }),
  ),
})
export type InitEnv = Static<typeof InitEnvSchema>
