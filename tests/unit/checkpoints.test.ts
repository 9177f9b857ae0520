/**
 * Rule: a long write job copies the write-ahead log back in a step of its own, about every 4,000
 * pages (half SQLite's automatic threshold, so the automatic copy never lands inside a slice).
 */
import { join } from 'node:path'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { createCheckpoints } from '../../src/main/db/checkpoints'
import { openDatabase, WAL_CHECKPOINT_PAGES, type Db } from '../../src/main/db/open'
import { tempDir } from '../helpers/engine'

let tmp: ReturnType<typeof tempDir>
let db: Db
beforeEach(() => {
  tmp = tempDir()
  db = openDatabase(join(tmp.dir, 'tessera.db'), [])
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)')
})
afterEach(() => {
  db.close()
  tmp.remove()
})

/** One slice of a job: about 100 pages of 4 KiB. */
const slice = () => db.transaction(() => {
  const insert = db.prepare('INSERT INTO t (body) VALUES (?)')
  for (let i = 0; i < 100; i++) insert.run('x'.repeat(3_900))
})()
const walPages = () => (db.pragma('wal_checkpoint(PASSIVE)') as { log: number }[])[0]!.log

it('copies after the first slice, then every ~4,000 pages, leaving the log empty each time', () => {
  const wal = createCheckpoints(db)
  slice()
  expect(wal.written()).toBe(true)
  wal.copy()
  let slices = 0
  do {
    slice()
    slices += 1
  } while (!wal.written())
  // About 100 pages a slice: the next copy comes after ~40 slices, well before the automatic one.
  expect(slices).toBeGreaterThan(30)
  expect(slices * 100).toBeLessThan(WAL_CHECKPOINT_PAGES)
  wal.copy()
  slice()
  expect(walPages()).toBeLessThan(200)
})
