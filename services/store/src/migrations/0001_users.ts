// SPDX-License-Identifier: MPL-2.0
// Migration 0001: the `users` table (Persona's `user`): password hash, last password reset (ends older
// sessions), failed authentication tries (lockout). Raw DDL so every type, charset and constraint is explicit.
import type { Knex } from 'knex'

export const config = { transaction: false }

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE users (
      id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
      password_hash VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NULL
        COMMENT 'bcrypt hash; NULL when the account has no password (primary-only)',
      last_password_reset DATETIME(3) NOT NULL COMMENT 'UTC; sessions older than this are ended',
      failed_auth_tries SMALLINT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'wrong passwords since the last success',
      created_at DATETIME(3) NOT NULL COMMENT 'UTC',
      PRIMARY KEY (id),
      CONSTRAINT users_hash_not_empty CHECK (password_hash IS NULL OR CHAR_LENGTH(password_hash) > 0)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci ROW_FORMAT=DYNAMIC
  `)
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE IF EXISTS users')
}
