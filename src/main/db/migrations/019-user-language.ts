import type { Migration } from './types'

/** The language a person reads Tessera in, screens and e-mails: null until they choose one (then the organisation's default). */
export const migration019: Migration = {
  version: 19,
  name: 'user-language',
  up(db) {
    db.exec("ALTER TABLE users ADD COLUMN language TEXT CHECK (language IN ('en', 'ja', 'ko', 'vi'))")
  }
}
