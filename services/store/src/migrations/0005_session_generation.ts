// SPDX-License-Identifier: MPL-2.0
// Migration 0005: `users.session_generation`. Every sign-in carries the account's generation in its
// cookie; logout, a password change or reset move it on, which ends every copy of older cookies at their
// next call (server-side revocation of client-side sessions).
import type { Knex } from 'knex'

export const config = { transaction: false }

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE users ADD COLUMN session_generation INT UNSIGNED NOT NULL DEFAULT 0
      COMMENT 'sessions carrying another generation are ended' AFTER last_password_reset
  `)
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE users DROP COLUMN session_generation')
}
