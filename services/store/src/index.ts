// SPDX-License-Identifier: MPL-2.0
// @persona/store: Persona's data layer. Schema (migrations), the reader/writer connection factories
// with read-your-writes (GTID), the repositories, and the local MariaDB master + replica launcher
// (`@persona/store/launcher`, kept out of this entry so services do not load it).
export * from './bootstrap.ts'
export * from './config.ts'
export * from './db.ts'
export * from './db-errors.ts'
export * from './gtid.ts'
export * from './master-store.ts'
export * from './migrate.ts'
export * from './replica-store.ts'
export * from './repos/index.ts'
export * from './tokens.ts'
export * from './types.ts'
