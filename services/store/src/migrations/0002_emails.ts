// SPDX-License-Identifier: MPL-2.0
// Migration 0002: the `emails` table (Persona's `email`): each address belongs to one user, was last used
// as a primary or secondary address, and may need re-verification. Deleting a user deletes its addresses.
import type { Knex } from 'knex'

export const config = { transaction: false }

export async function up(knex: Knex): Promise<void> {
  // Case-insensitive collation: Foo@Example.com and foo@example.com are one address, as in Persona's MySQL.
  await knex.raw(`
    CREATE TABLE emails (
      id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
      user_id BIGINT UNSIGNED NOT NULL,
      address VARCHAR(255) NOT NULL COLLATE utf8mb4_unicode_ci,
      type ENUM('secondary', 'primary') NOT NULL DEFAULT 'secondary'
        COMMENT 'how the address was last used (Persona lastUsedAs)',
      verified BOOLEAN NOT NULL DEFAULT TRUE COMMENT 'FALSE: needs (re)verification before certificates',
      created_at DATETIME(3) NOT NULL COMMENT 'UTC',
      PRIMARY KEY (id),
      UNIQUE KEY emails_address_uq (address),
      KEY emails_user_idx (user_id),
      CONSTRAINT emails_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
      CONSTRAINT emails_address_not_empty CHECK (CHAR_LENGTH(address) >= 3)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci ROW_FORMAT=DYNAMIC
  `)
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE IF EXISTS emails')
}
