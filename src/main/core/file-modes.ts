/**
 * Tessera's files are its owner's alone: the database with its WAL and shared-memory files, the
 * key file and the e-mail outbox are mode 0600 (SQLite gives the WAL and SHM files the database
 * file's mode), whether Tessera created the data directory or was pointed at an existing one. The
 * directory itself is the operator's: Tessera says so when others can enter it, and leaves it be.
 */
import { chmodSync, existsSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { problem } from '../../shared/validation'

export const OWNER_ONLY_FILE = 0o600
export const OWNER_ONLY_DIR = 0o700
function chmodIfPresent(path: string, mode: number): void {
  if (existsSync(path)) chmodSync(path, mode)
}

/** Applies the modes before the database is opened; returns warnings for the operator. */
export function secureDataFiles(dataDir: string, databaseFile: string | null, pickupDir: string): string[] {
  if (process.platform === 'win32') return [] // ACLs, not modes: the user profile protects it
  if (databaseFile !== null) {
    // An empty file is an empty database; creating it ourselves fixes the mode SQLite copies.
    if (!existsSync(databaseFile)) writeFileSync(databaseFile, '', { mode: OWNER_ONLY_FILE, flag: 'wx' })
    for (const suffix of ['', '-wal', '-shm']) chmodIfPresent(databaseFile + suffix, OWNER_ONLY_FILE)
  }
  if (existsSync(pickupDir)) {
    chmodSync(pickupDir, OWNER_ONLY_DIR)
    for (const f of readdirSync(pickupDir)) chmodSync(join(pickupDir, f), OWNER_ONLY_FILE)
  }
  const mode = statSync(dataDir).mode & 0o777
  return mode & 0o077
    ? [problem('staffRefusals.dataDirReadable', { dataDir, mode: mode.toString(8) })]
    : []
}
