import { postgres001 } from './001-schema'

export type PostgresMigration = { version: number; name: string; sql: string }

/** In order; each version exactly once. A new migration is a new file appended here. */
export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [postgres001]
