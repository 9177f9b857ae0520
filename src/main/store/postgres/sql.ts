/**
 * The services' portable `?` parameters as PostgreSQL's `$1, $2...`, skipping string literals,
 * quoted identifiers, dollar-quoted bodies and comments. Each SQL text is translated once.
 */
const cache = new Map<string, string>()
const CACHE_LIMIT = 1_000

export function numberParameters(sql: string): string {
  const hit = cache.get(sql)
  if (hit !== undefined) return hit
  const out = translate(sql)
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!)
  cache.set(sql, out)
  return out
}

function translate(sql: string): string {
  let out = ''
  let n = 0
  let i = 0
  while (i < sql.length) {
    const c = sql[i]!
    const skip = skipQuoted(sql, i)
    if (skip > i) {
      out += sql.slice(i, skip)
      i = skip
    } else if (c === '?') {
      out += `$${++n}`
      i += 1
    } else {
      out += c
      i += 1
    }
  }
  return out
}

/** The index just past a literal, identifier, dollar-quoted string or comment starting at `i`; `i` if none does. */
function skipQuoted(sql: string, i: number): number {
  const c = sql[i]
  const until = (end: string, from: number) => {
    const at = sql.indexOf(end, from)
    return at === -1 ? sql.length : at + end.length
  }
  if (c === "'" || c === '"') {
    let j = i + 1
    for (;;) {
      j = until(c, j)
      if (sql[j] !== c) return j // a doubled quote is an escaped one
      j += 1
    }
  }
  if (c === '-' && sql[i + 1] === '-') return until('\n', i)
  if (c === '/' && sql[i + 1] === '*') return until('*/', i + 2)
  if (c === '$') {
    const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i))?.[0]
    if (tag) return until(tag, i + tag.length)
  }
  return i
}
