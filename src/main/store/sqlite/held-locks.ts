/**
 * SQLite's `holdLock`: a lock that outlives no process. Each name is a small SQLite file of its own
 * in `locks/` beside the database, held by an exclusive transaction on a connection of its own
 * (`BEGIN EXCLUSIVE`, never committed). SQLite's file locks are the operating system's: another
 * connection, in this process or another, is refused at once while it is held, and the system
 * releases it when the holding process ends, a SIGKILL or a power cut included.
 */
import { mkdirSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import Database from 'better-sqlite3'
import type { HeldLock } from '../types'

const fileName = (name: string) => `${name.replace(/[^A-Za-z0-9-]/g, '_')}.lock`

/** `holdLock` for the database in `databaseFile`, and `releaseAll` for the store's close. */
export function sqliteHeldLocks(databaseFile: string) {
  const dir = join(dirname(databaseFile), 'locks')
  const held = new Set<HeldLock>()
  return {
    async holdLock(name: string): Promise<HeldLock | null> {
      mkdirSync(dir, { recursive: true, mode: 0o700 })
      const file = join(dir, fileName(name))
      const db = new Database(file, { timeout: 0 })
      try {
        db.exec('BEGIN EXCLUSIVE')
      } catch (error) {
        db.close()
        if ((error as { code?: string }).code === 'SQLITE_BUSY') return null
        throw error
      }
      const lock: HeldLock = {
        async release() {
          if (!db.open) return
          held.delete(lock)
          // Removed while still held: whoever opens it next makes a new file, and holds that one.
          rmSync(file, { force: true })
          db.close()
        }
      }
      held.add(lock)
      return lock
    },
    async releaseAll(): Promise<void> {
      await Promise.all([...held].map((l) => l.release()))
    }
  }
}
