import type { PostgresMigration } from './index'

/**
 * The CSV import's scratch table made cheaper to fill (measured at 100,000 rows set aside, a chunk
 * of 1,000 per statement: about 20 µs of server time a row before, under 5 after):
 * - UNLOGGED: its rows are one import's, read back within the hour and removed after; they need no
 *   write-ahead log (after a server crash the table is empty, and a waiting confirmation asks for
 *   the file again, as it does when another import cleared it).
 * - its usernames and e-mails kept unique by their lower-cased text in byte order instead of by
 *   citext: citext lower-cases both sides of every comparison a unique index makes (some 20 per
 *   row), this index once per row. The rule is the same one: citext's `=` is byte equality of the
 *   two lower-cased texts, and `lower(x::text)` lower-cases as citext does (the database's default
 *   collation). The import looks an earlier row up by the same expressions (store/postgres/bulk-users.ts).
 * The users' own citext indexes stay as they are.
 */
export const postgres007: PostgresMigration = {
  version: 7,
  name: 'import-scratch',
  sql: `
    ALTER TABLE import_rows SET UNLOGGED;
    ALTER TABLE import_rows DROP CONSTRAINT import_rows_username_key, DROP CONSTRAINT import_rows_email_key;
    CREATE UNIQUE INDEX import_rows_username ON import_rows ((lower(username::text) COLLATE "C"));
    CREATE UNIQUE INDEX import_rows_email ON import_rows ((lower(email::text) COLLATE "C"));
  `
}
