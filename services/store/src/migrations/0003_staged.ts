// SPDX-License-Identifier: MPL-2.0
// Migration 0003: the `staged` table (Persona's `staged`): actions waiting for the user to click the link
// mailed to them. One row per address (re-staging replaces the old link); the 48-char secret is unique
// and case-sensitive; unlike Persona, rows expire (`expires_at`, indexed for the cleanup job).
import type { Knex } from 'knex'

export const config = { transaction: false }

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE staged (
      id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
      secret CHAR(48) CHARACTER SET ascii COLLATE ascii_bin NOT NULL COMMENT 'the mailed token, [A-Za-z0-9]{48}',
      kind ENUM('new_account', 'add_email', 'reset', 'reverify', 'transition') NOT NULL,
      email VARCHAR(255) NOT NULL COLLATE utf8mb4_unicode_ci,
      existing_user_id BIGINT UNSIGNED NULL COMMENT 'the account acted on; NULL only for new_account',
      password_hash VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NULL COMMENT 'bcrypt hash to set on completion',
      created_at DATETIME(3) NOT NULL COMMENT 'UTC; drives the one-mail-per-minute throttle',
      expires_at DATETIME(3) NOT NULL COMMENT 'UTC; the token is refused from this instant',
      PRIMARY KEY (id),
      UNIQUE KEY staged_secret_uq (secret),
      UNIQUE KEY staged_email_uq (email),
      KEY staged_existing_user_idx (existing_user_id),
      KEY staged_expires_idx (expires_at),
      CONSTRAINT staged_existing_user_fk FOREIGN KEY (existing_user_id) REFERENCES users (id) ON DELETE CASCADE,
      CONSTRAINT staged_secret_format CHECK (secret REGEXP '^[A-Za-z0-9]{48}$'),
      CONSTRAINT staged_user_matches_kind CHECK ((kind = 'new_account') = (existing_user_id IS NULL)),
      CONSTRAINT staged_expiry_after_creation CHECK (expires_at > created_at)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci ROW_FORMAT=DYNAMIC
  `)
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE IF EXISTS staged')
}
