/**
 * The yardsticks of bench/scale.ts: for each console call it times, the raw SQL a person would
 * write for the same answer (the same rows in the same order, the list's total and the status
 * counts; past 2,000 search matches, the first 2,001 found), in each database's own terms:
 * SQLite with named parameters, PostgreSQL with positional `?` (numbered before they are sent).
 */

/** The queries of one answer: [sql, parameters] each, run one after the other. */
export type Raw = [sql: string, params?: Record<string, unknown> | unknown[]][]

/** The calls timed, in the order of the table. */
export const CASES = [
  'firstPage', 'middle', 'middleRenamed', 'statusMiddle', 'lastPage', 'statusFirst', 'lastLogin', 'searchNone', 'searchSome', 'searchCapped',
  'searchPrefix', 'filterReset', 'filterLocked', 'filterHelpdesk', 'detail', 'requests', 'auditNewest', 'auditLogins', 'auditSubject', 'auditVerify', 'status'
] as const
export type CaseId = (typeof CASES)[number]

/** A row at a rank of an order, whose key a keyset page starts after (found once, outside the timing). */
export type Key = { id: number; display_name: string; status: number }
export type YardstickContext = { mid: number; keyAt(order: string, offset: number): Promise<Key> }

/** What a list answer holds: the page's rows (with recovery codes left), its total, the counts. */
const ROW = 'SELECT u.*, (SELECT count(*) FROM recovery_codes rc WHERE rc.user_id = u.id AND rc.used_at IS NULL) AS codes_left FROM users u'
const COUNTS: Raw[number] = ['SELECT status, sum(n) AS n FROM user_counts GROUP BY status']
const TOTAL = 'SELECT sum(n) FROM user_counts'

export async function sqliteYardsticks(ctx: YardstickContext): Promise<Record<CaseId, Raw>> {
  const { mid } = ctx
  const page = (where: string, order: string, params: Record<string, unknown> = {}, total = TOTAL): Raw => [
    [`${ROW} ${where ? `WHERE ${where}` : ''} ORDER BY ${order} LIMIT 100`, params],
    [total, params],
    COUNTS
  ]
  const BY_NAME = 'u.display_name COLLATE NOCASE, u.id'
  const middle = await ctx.keyAt(BY_NAME, mid)
  const middleByStatus = await ctx.keyAt(`u.status, ${BY_NAME}`, mid)
  // The index keeps no positions: rows holding every trigram of the term, each checked, sorted, counted.
  const trigrams = (term: string) => {
    const c = [...term.toLowerCase()]
    return [...new Set(c.slice(2).map((_, i) => c.slice(i, i + 3).join('')))].map((g) => `"${g}"`).join(' AND ')
  }
  // Past 2,000 matches the answer is the first 2,001 found, sorted (the engine's cap).
  const search = (term: string, cap = ''): Raw => [
    [`SELECT * FROM (SELECT u.*, count(*) OVER () AS total FROM (SELECT u.* FROM users_fts JOIN users u ON u.id = users_fts.rowid WHERE users_fts MATCH @m
      AND (u.display_name LIKE @l OR u.username LIKE @l OR u.email LIKE @l) ${cap}) u) u ORDER BY ${BY_NAME} LIMIT 100`, { m: trigrams(term), l: `%${term}%` }],
    COUNTS
  ]
  // Two characters: the first 2,001 of each prefix range (the engine's cap), merged, sorted.
  const range = (col: string) => `SELECT * FROM (SELECT id FROM users WHERE ${col} >= 'ad' AND ${col} < 'ae' LIMIT 2001)`
  const prefix = `SELECT id FROM (${range('display_name COLLATE NOCASE')} UNION ${range('username')} UNION ${range('email')}) LIMIT 2001`
  const status = (code: number) => page('u.status = @s', `u.status, ${BY_NAME}`, { s: code }, `${TOTAL} WHERE status = @s`)
  const middlePage = page(`(u.display_name, u.id) > (@k COLLATE NOCASE, @id)`, BY_NAME, { k: middle.display_name, id: middle.id })
  return {
    firstPage: page('', BY_NAME),
    middle: middlePage,
    middleRenamed: middlePage,
    statusMiddle: page(`(u.status, u.display_name, u.id) > (@s, @k COLLATE NOCASE, @id)`, `u.status, ${BY_NAME}`, { s: middleByStatus.status, k: middleByStatus.display_name, id: middleByStatus.id }),
    lastPage: page('', 'u.display_name COLLATE NOCASE DESC, u.id DESC'),
    statusFirst: page('', `u.status, ${BY_NAME}`),
    lastLogin: page('', 'u.last_login_at DESC, u.id DESC'),
    searchNone: search('marti'),
    searchSome: search('hamilton 99'),
    searchCapped: search('lovelace 1', 'LIMIT 2001'),
    searchPrefix: [[`${ROW} WHERE u.id IN (${prefix}) ORDER BY ${BY_NAME} LIMIT 100`], COUNTS],
    filterReset: status(2),
    filterLocked: status(1),
    filterHelpdesk: page("u.role = 'helpdesk'", `u.role, ${BY_NAME}`, {}, `${TOTAL} WHERE role = 'helpdesk'`),
    detail: [
      [`${ROW} WHERE u.id = @id`, { id: mid }],
      ["SELECT * FROM failure_counters WHERE scope = 'account' AND subject = @id", { id: String(mid) }],
      ['SELECT * FROM audit_log WHERE subject_id = @id ORDER BY id DESC LIMIT 20', { id: mid }],
      ['SELECT * FROM second_factors WHERE user_id = @id', { id: mid }],
      ["SELECT * FROM reset_requests WHERE user_id = @id AND status IN ('open', 'awaiting-approval')", { id: mid }],
      ['SELECT * FROM webauthn_credentials WHERE user_id = @id', { id: mid }],
      ['SELECT * FROM oath_tokens WHERE user_id = @id', { id: mid }]
    ],
    requests: [
      [`SELECT r.*, u.username, u.display_name, u.email, u.phone, (SELECT json_group_array(n.display_name) FROM (SELECT user_id FROM reset_request_recipients
          WHERE request_id = r.id ORDER BY user_id LIMIT 5) x JOIN users n ON n.id = x.user_id) AS recipients
        FROM reset_requests r JOIN users u ON u.id = r.user_id WHERE r.status IN ('open', 'awaiting-approval') ORDER BY r.created_at DESC, r.id DESC LIMIT 51`],
      ["SELECT count(*) FROM reset_requests WHERE status IN ('open', 'awaiting-approval')"]
    ],
    ...auditYardsticks(mid, (name) => `@${name}`)
  }
}

/**
 * The audit log's calls and app status: the same SQL on both, but for how a parameter is written
 * and, on PostgreSQL, the rows since the checkpoint read as a page of the walk (as the engine reads
 * them, `LIMIT 2000`: without it PostgreSQL expects a third of the log and compiles the query, 4 ms).
 */
function auditYardsticks(mid: number, param: (name: string) => string): Pick<Record<CaseId, Raw>, 'auditNewest' | 'auditLogins' | 'auditSubject' | 'auditVerify' | 'status'> {
  const postgres = param('s') === '?'
  const subject = postgres ? [`user${mid}`] : { s: `user${mid}` }
  return {
    auditNewest: [['SELECT * FROM audit_log ORDER BY id DESC LIMIT 101']],
    auditLogins: [["SELECT * FROM audit_log WHERE event LIKE 'login.%' ORDER BY id DESC LIMIT 101"]],
    auditSubject: [[`SELECT * FROM audit_log WHERE lower(subject) = ${param('s')} ORDER BY id DESC LIMIT 101`, subject]],
    auditVerify: [['SELECT * FROM audit_checkpoint'], [`SELECT * FROM audit_log WHERE id >= (SELECT id FROM audit_checkpoint)${postgres ? ' ORDER BY id LIMIT 2000' : ''}`]],
    status: [['SELECT EXISTS (SELECT 1 FROM users)']]
  }
}

/**
 * PostgreSQL: names compared through `lower(display_name)` (its index), the search through the
 * pg_trgm index's expression and then each column, a user's rows by `?`.
 */
export async function postgresYardsticks(ctx: YardstickContext): Promise<Record<CaseId, Raw>> {
  const { mid } = ctx
  const page = (where: string, order: string, params: unknown[] = [], total = TOTAL, totalParams: unknown[] = []): Raw => [
    [`${ROW} ${where ? `WHERE ${where}` : ''} ORDER BY ${order} LIMIT 100`, params],
    [total, totalParams],
    COUNTS
  ]
  const BY_NAME = 'lower(u.display_name), u.id'
  const middle = await ctx.keyAt(BY_NAME, mid)
  const middleByStatus = await ctx.keyAt(`u.status, ${BY_NAME}`, mid)
  const TRIGRAM_TEXT = "(lower(u.username::text) || ' ' || lower(u.display_name) || ' ' || lower(u.email::text))"
  const EACH = '(lower(u.display_name) LIKE ? OR lower(u.username::text) LIKE ? OR lower(u.email::text) LIKE ?)'
  // Past 2,000 matches the answer is the first 2,001 found, sorted (the engine's cap).
  const search = (term: string, cap = ''): Raw => {
    const like = `%${term}%`
    return [
      [`SELECT * FROM (SELECT u.*, count(*) OVER () AS total FROM (SELECT u.* FROM users u WHERE ${TRIGRAM_TEXT} LIKE ? AND ${EACH} ${cap}) u) u
        ORDER BY ${BY_NAME} LIMIT 100`, [like, like, like, like]],
      COUNTS
    ]
  }
  // Two characters: a prefix of a name, username or e-mail; the first 2,001 found, sorted.
  const prefix = `SELECT id FROM users u WHERE ${EACH} LIMIT 2001`
  const status = (code: number) => page('u.status = ?', `u.status, ${BY_NAME}`, [code], `${TOTAL} WHERE status = ?`, [code])
  const middlePage = page('(lower(u.display_name), u.id) > (lower(?), ?)', BY_NAME, [middle.display_name, middle.id])
  return {
    firstPage: page('', BY_NAME),
    middle: middlePage,
    middleRenamed: middlePage,
    statusMiddle: page('(u.status, lower(u.display_name), u.id) > (?, lower(?), ?)', `u.status, ${BY_NAME}`, [middleByStatus.status, middleByStatus.display_name, middleByStatus.id]),
    lastPage: page('', 'lower(u.display_name) DESC, u.id DESC'),
    statusFirst: page('', `u.status, ${BY_NAME}`),
    // The same order as SQLite's (a user who never logged in sorts first ascending, last descending).
    lastLogin: page('', 'u.last_login_at DESC NULLS LAST, u.id DESC'),
    searchNone: search('marti'),
    searchSome: search('hamilton 99'),
    searchCapped: search('lovelace 1', 'LIMIT 2001'),
    searchPrefix: [[`${ROW} WHERE u.id IN (${prefix}) ORDER BY ${BY_NAME} LIMIT 100`, ['ad%', 'ad%', 'ad%']], COUNTS],
    filterReset: status(2),
    filterLocked: status(1),
    filterHelpdesk: page("u.role = 'helpdesk'", `u.role, ${BY_NAME}`, [], `${TOTAL} WHERE role = 'helpdesk'`),
    detail: [
      [`${ROW} WHERE u.id = ?`, [mid]],
      ["SELECT * FROM failure_counters WHERE scope = 'account' AND subject = ?", [String(mid)]],
      ['SELECT * FROM audit_log WHERE subject_id = ? ORDER BY id DESC LIMIT 20', [mid]],
      ['SELECT * FROM second_factors WHERE user_id = ?', [mid]],
      ["SELECT * FROM reset_requests WHERE user_id = ? AND status IN ('open', 'awaiting-approval')", [mid]],
      ['SELECT * FROM webauthn_credentials WHERE user_id = ?', [mid]],
      ['SELECT * FROM oath_tokens WHERE user_id = ?', [mid]]
    ],
    requests: [
      [`SELECT r.*, u.username, u.display_name, u.email, u.phone, (SELECT json_agg(n.display_name ORDER BY x.user_id) FROM (SELECT user_id FROM reset_request_recipients
          WHERE request_id = r.id ORDER BY user_id LIMIT 5) x JOIN users n ON n.id = x.user_id) AS recipients
        FROM reset_requests r JOIN users u ON u.id = r.user_id WHERE r.status IN ('open', 'awaiting-approval') ORDER BY r.created_at DESC, r.id DESC LIMIT 51`],
      ["SELECT count(*) FROM reset_requests WHERE status IN ('open', 'awaiting-approval')"]
    ],
    ...auditYardsticks(mid, () => '?')
  }
}
