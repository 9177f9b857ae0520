import { postgres001 } from './001-schema'
import { postgres002 } from './002-sessions'
import { postgres003 } from './003-data-key-check'
import { postgres004 } from './004-statement-counts'
import { postgres005 } from './005-update-counts-without-join'
import { postgres006 } from './006-order-moves'
import { postgres007 } from './007-import-scratch'
import { postgres008 } from './008-jobs'
import { postgres009 } from './009-directory-source'
import { postgres010 } from './010-several-methods'
import { postgres011 } from './011-user-source'
import { postgres012 } from './012-user-language'
import { postgres013 } from './013-short-search'

export type PostgresMigration = { version: number; name: string; sql: string }

/** In order; each version exactly once. A new migration is a new file appended here. */
export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [postgres001, postgres002, postgres003, postgres004, postgres005, postgres006, postgres007, postgres008, postgres009, postgres010, postgres011, postgres012, postgres013]
