/**
 * CSV exports streamed to a file: rows are read a page at a time (keyset, so the last page costs
 * what the first does), written through csv-stringify with the stream's backpressure respected,
 * and the event loop is given back between pages. Memory stays flat at any size.
 */
import { createWriteStream, rmSync } from 'node:fs'
import { pipeline } from 'node:stream/promises'
import { once } from 'node:events'
import { stringify } from 'csv-stringify'
import type { JobControl } from './jobs'

/** A cell starting with = + - @ (or a tab or CR) is prefixed with ' so a spreadsheet does not run it as a formula. */
export function defuse(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
}

/** What `defuse` did, undone when our own export is imported again ("'+44 20..." is "+44 20..."). */
export function undefuse(value: string): string {
  return /^'[=+\-@\t\r]/.test(value) ? value.slice(1) : value
}

export type ExportPages<Row, Key> = {
  header: string[]
  /** The rows after `after` (all from the start when null), at most `limit`. */
  page(after: Key | null, limit: number): Promise<Row[]>
  keyOf(row: Row): Key
  cells(row: Row): unknown[]
  total: number
}

const PAGE = 1_000

/**
 * Writes every row to `file` (mode 0600: it holds personal data); returns how many. A cancelled or
 * failed export leaves no partial file behind.
 */
export async function exportCsv<Row, Key>(file: string, source: ExportPages<Row, Key>, control: JobControl): Promise<number> {
  const csv = stringify({ header: true, columns: source.header, record_delimiter: 'windows', cast: { string: defuse } })
  const written = pipeline(csv, createWriteStream(file, { mode: 0o600 }))
  written.catch(() => undefined) // awaited below; a write error also ends the loop through 'drain'
  let rows = 0
  let after: Key | null = null
  try {
    for (;;) {
      const page = await source.page(after, PAGE)
      for (const row of page) {
        if (!csv.write(source.cells(row))) await once(csv, 'drain')
      }
      rows += page.length
      control.progress(rows, source.total)
      if (page.length < PAGE) break
      after = source.keyOf(page.at(-1)!)
      await control.pause()
    }
    csv.end()
    await written
    return rows
  } catch (error) {
    csv.destroy()
    await written.catch(() => undefined)
    rmSync(file, { force: true })
    throw error
  }
}
