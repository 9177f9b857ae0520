/** CLI commands for several seats on one PostgreSQL database: the data key's bundle. */
import type { Command } from './args'

export const seatCommands: Command[] = []
