/**
 * PostgreSQL-only: rows in COPY's text format (one line a row, columns split by tabs, `\N` for
 * NULL, a backslash, tab, newline or carriage return in a value escaped), for `store.copyIn`. The
 * server reads this faster than the same rows as array parameters of `unnest` (no array literal to
 * parse per column), and building it here costs less than pg's quoting of each array element.
 */
export type CopyValue = string | number | null

const SPECIAL = /[\\\t\n\r]/
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' }

/** One value as COPY's text format writes it. */
export function copyValue(v: CopyValue): string {
  if (v === null) return '\\N'
  if (typeof v === 'number') return String(v)
  return SPECIAL.test(v) ? v.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]!) : v
}

/** Rows as COPY's text format: each row's `columns` in order. */
export function copyText<T>(rows: readonly T[], columns: readonly ((row: T) => CopyValue)[]): string {
  let out = ''
  for (const row of rows) {
    let line = ''
    for (let c = 0; c < columns.length; c++) line += (c ? '\t' : '') + copyValue(columns[c]!(row))
    out += line + '\n'
  }
  return out
}
