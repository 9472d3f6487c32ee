// SPDX-License-Identifier: MPL-2.0
// Migration 0004: the `idps` table (Persona's `idp`): domains last seen serving a BrowserID support
// document, so address_info can report `offline` while a primary IdP is briefly down.
import type { Knex } from 'knex'

export const config = { transaction: false }

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE idps (
      domain VARCHAR(255) CHARACTER SET ascii COLLATE ascii_general_ci NOT NULL,
      last_seen DATETIME(3) NOT NULL COMMENT 'UTC',
      PRIMARY KEY (domain),
      KEY idps_last_seen_idx (last_seen)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  `)
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE IF EXISTS idps')
}
