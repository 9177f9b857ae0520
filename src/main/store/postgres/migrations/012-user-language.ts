import type { PostgresMigration } from './index'

/** The language a person reads Tessera in, as SQLite's migration 19 (db/migrations/019-user-language.ts) says. */
export const postgres012: PostgresMigration = {
  version: 12,
  name: 'user-language',
  sql: "ALTER TABLE users ADD COLUMN language text CHECK (language IN ('en', 'ja', 'ko', 'vi'));"
}
