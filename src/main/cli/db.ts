/** CLI commands about the database itself: moving a SQLite directory into PostgreSQL. */
import type { Command } from './args'

export const dbCommands: Command[] = []
