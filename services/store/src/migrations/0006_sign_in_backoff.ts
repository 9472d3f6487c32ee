// SPDX-License-Identifier: MPL-2.0
// Migration 0006: `sign_in_backoff` replaces `users.failed_auth_tries` (a count that locked an account
// for good after ten wrong passwords, so anyone could lock anyone). One row per scope that has failed
// recently: an account (or an address no account has), or a client address; each row says how many
// failures, the last one, and until when further attempts in that scope wait (exponential backoff).
import type { Knex } from 'knex'

export const config = { transaction: false }

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE sign_in_backoff (
      scope VARCHAR(100) CHARACTER SET ascii COLLATE ascii_bin NOT NULL
        COMMENT 'account:<id>, address:<sha-256 of an address without account>, client:<IP address>',
      failures INT UNSIGNED NOT NULL COMMENT 'wrong passwords since the scope was last cleared or forgotten',
      last_failure_at DATETIME(3) NOT NULL COMMENT 'UTC',
      blocked_until DATETIME(3) NOT NULL COMMENT 'UTC; attempts in this scope before it are refused',
      PRIMARY KEY (scope),
      KEY sign_in_backoff_last_failure (last_failure_at)
    ) ENGINE=InnoDB DEFAULT CHARSET=ascii COLLATE=ascii_bin ROW_FORMAT=DYNAMIC
  `)
  await knex.raw('ALTER TABLE users DROP COLUMN failed_auth_tries')
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE users ADD COLUMN failed_auth_tries SMALLINT UNSIGNED NOT NULL DEFAULT 0
      COMMENT 'wrong passwords since the last success' AFTER session_generation
  `)
  await knex.raw('DROP TABLE IF EXISTS sign_in_backoff')
}
