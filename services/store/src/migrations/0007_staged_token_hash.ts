// SPDX-License-Identifier: MPL-2.0
// Migration 0007: `staged` keeps the SHA-256 of each mailed token instead of the token (column
// `secret` becomes `token_hash`), so a copy of the database completes no pending link. Existing rows are
// hashed in place, so links mailed before the upgrade keep working until they expire. Apply it with the
// release whose store hashes tokens: a writer or reader of an earlier release finds no `secret` column.
// `down` cannot recover tokens from hashes: it deletes the pending rows (their links stop working, and
// users ask for a new mail) and restores the old column.
import type { Knex } from 'knex'

export const config = { transaction: false }

export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE staged DROP CONSTRAINT staged_secret_format')
  await knex.raw(`
    ALTER TABLE staged
      CHANGE secret token_hash CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL
        COMMENT 'SHA-256 (lowercase hex) of the mailed token; the token is never stored',
      RENAME INDEX staged_secret_uq TO staged_token_hash_uq
  `)
  // Rows still holding a 48-char token get its hash; a hash is 64 chars, so a rerun changes nothing.
  await knex.raw('UPDATE staged SET token_hash = SHA2(token_hash, 256) WHERE CHAR_LENGTH(token_hash) = 48')
  await knex.raw(
    "ALTER TABLE staged ADD CONSTRAINT staged_token_hash_format CHECK (token_hash REGEXP '^[0-9a-f]{64}$')",
  )
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE staged DROP CONSTRAINT staged_token_hash_format')
  await knex.raw('DELETE FROM staged')
  await knex.raw(`
    ALTER TABLE staged
      CHANGE token_hash secret CHAR(48) CHARACTER SET ascii COLLATE ascii_bin NOT NULL
        COMMENT 'the mailed token, [A-Za-z0-9]{48}',
      RENAME INDEX staged_token_hash_uq TO staged_secret_uq
  `)
  await knex.raw(
    "ALTER TABLE staged ADD CONSTRAINT staged_secret_format CHECK (secret REGEXP '^[A-Za-z0-9]{48}$')",
  )
}
