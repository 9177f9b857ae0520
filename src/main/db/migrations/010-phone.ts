import type { Migration } from './types'

/**
 * An optional phone number per user, so the help desk's "call back to the number on file" has a
 * number on file to call (imported, exported and edited with the rest of the profile).
 */
export const migration010: Migration = {
  version: 10,
  name: 'phone',
  up(db) {
    db.exec('ALTER TABLE users ADD COLUMN phone TEXT; ALTER TABLE import_rows ADD COLUMN phone TEXT')
  }
}
