/** CLI commands for administrators: policy show/set, audit list/verify/export. */
import { DEFAULT_POLICY, policySchema, policyIssueText, type Policy } from '../../shared/policy'
import { DomainError } from '../core/domain-error'
import { unattended } from '../core/jobs'
import { command, exportCommand, iso, plural, table, UsageError, WORKSTATION } from './args'

/** `lockout.baseMinutes=30` → a new policy; the value's type follows the default's. */
export function applySetting(policy: Policy, assignment: string): Policy {
  const eq = assignment.indexOf('=')
  if (eq < 1) throw new UsageError(`expected KEY=VALUE, got "${assignment}"`)
  const key = assignment.slice(0, eq)
  const raw = assignment.slice(eq + 1)
  const next = structuredClone(policy) as Record<string, unknown>
  const path = key.split('.')
  if (path[0] === 'smtp') {
    if (path.length === 1) {
      if (raw !== 'none') throw new UsageError('smtp=none removes the SMTP settings; set smtp.host=..., smtp.port=... to add them')
      next['smtp'] = null
      return next as Policy
    }
    next['smtp'] ??= { host: '', port: 587, security: 'starttls', username: '', from: '' }
  }
  let parent: Record<string, unknown> = next
  let template: unknown = { ...DEFAULT_POLICY, smtp: { host: '', port: 0, security: '', username: '', from: '' } }
  for (const [i, part] of path.entries()) {
    const t = (template as Record<string, unknown> | null)?.[part]
    if (t === undefined || !Object.hasOwn(template as object, part)) throw new UsageError(`unknown policy key: ${key}`)
    if (i === path.length - 1) {
      parent[part] = parseValue(t, raw, key)
    } else {
      parent = parent[part] as Record<string, unknown>
      template = t
    }
  }
  return next as Policy
}

function parseValue(template: unknown, raw: string, key: string): unknown {
  if (typeof template === 'boolean') {
    if (['true', 'on', 'yes', '1'].includes(raw)) return true
    if (['false', 'off', 'no', '0'].includes(raw)) return false
    throw new UsageError(`${key} takes true or false`)
  }
  if (typeof template === 'number') {
    const n = Number(raw)
    if (raw.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${key} takes a number`)
    return n
  }
  if (Array.isArray(template)) return raw.split(',').map((s) => s.trim()).filter(Boolean)
  // A setting that may be unset (defaultLanguage, requiredMethod.user): "none" unsets it.
  if (template === null) return raw === 'none' ? null : raw
  if (typeof template === 'object') throw new UsageError(`${key} is a group: set one of its keys, e.g. ${key}.${Object.keys(template as object)[0]}=...`)
  return raw
}

/** Nested settings as `a.b value` rows. */
const flat = (o: Record<string, unknown>, prefix = ''): string[][] =>
  Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' && !Array.isArray(v) ? flat(v as Record<string, unknown>, `${prefix}${k}.`) : [[`${prefix}${k}`, Array.isArray(v) ? v.join(',') : String(v)]]))

const json = { type: 'boolean', help: 'print JSON instead of a table' } as const

export const adminCommands = [
  command({
    name: 'policy show',
    usage: '[--json]',
    summary: 'the organisation\'s policy, one KEY VALUE per line',
    options: { json },
    positionals: 0,
    prepare: ({ values }, io) => async (engine) => {
      const view = await engine.administration.view()
      io.out(values.json ? JSON.stringify(view, null, 2) : table(flat(view)).join('\n'))
      return 0
    }
  }),
  command({
    name: 'policy set',
    usage: 'KEY=VALUE ... [--smtp-password-stdin]',
    summary: 'change policy settings, all checked before any is saved',
    details: ['KEY is a name from "policy show" (e.g. mandatory=true lockout.baseMinutes=30 allowedMethods=totp,email).', 'smtp=none removes the SMTP settings.'],
    options: { 'smtp-password-stdin': { type: 'boolean', help: 'read the SMTP password from standard input' } },
    positionals: [1, Infinity],
    async prepare({ values, positionals }, io) {
      const smtpPassword = values['smtp-password-stdin'] ? (await io.readStdin()).replace(/\r?\n$/, '') : undefined
      return async (engine) => {
        let next = engine.policy.get()
        for (const a of positionals) next = applySetting(next, a)
        const checked = policySchema.safeParse(next)
        if (!checked.success) throw new UsageError(checked.error.issues.map(policyIssueText).join('\n'))
        await engine.administration.save(null, checked.data, smtpPassword, WORKSTATION)
        io.out('policy saved')
        return 0
      }
    }
  }),
  command({
    name: 'audit list',
    usage: '[--limit N] [--json]',
    summary: 'the newest audit rows',
    options: { limit: { type: 'string', value: 'N', help: 'how many rows, 1 to 500 (default 100)' }, json },
    positionals: 0,
    prepare({ values }, io) {
      const limit = values.limit === undefined ? 100 : Number(values.limit)
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new UsageError('--limit takes a number from 1 to 500')
      return async (engine) => {
        const page = await engine.administration.auditPage({ event: '', actor: '', subject: '', from: null, to: null, beforeId: null, limit })
        if (values.json) io.out(JSON.stringify(page.rows, null, 2))
        else if (page.rows.length === 0) io.out('the audit log is empty')
        else io.out(table([['ID', 'TIME', 'EVENT', 'ACTOR', 'SUBJECT', 'WORKSTATION'], ...page.rows.map((r) => [String(r.id), iso(r.at), r.event, r.actor ?? '-', r.subject ?? '-', r.workstation ?? '-'])]).join('\n'))
        return 0
      }
    }
  }),
  command({
    name: 'job list',
    usage: '[--json]',
    summary: 'the newest long jobs (imports, bulk actions) and how each ended',
    details: ['A job a crash interrupted is settled at the next start of any seat: an import is rolled back,', 'a bulk action reported with the accounts it had done.'],
    options: { json },
    positionals: 0,
    prepare: ({ values }, io) => async (engine) => {
      const rows = await engine.journal.recent(20)
      if (values.json) io.out(JSON.stringify(rows, null, 2))
      else if (rows.length === 0) io.out('no job has run yet')
      else io.out(table([['STARTED', 'KIND', 'STATE', 'BY', 'WHERE', 'FILE', 'ROWS'], ...rows.map((j) => [iso(j.startedAt), j.kind, j.state, j.actor ?? '-', j.workstation, j.inputName ?? '-', j.total === null ? '-' : String(j.total)])]).join('\n'))
      return 0
    }
  }),
  command({
    name: 'audit verify',
    usage: '',
    summary: 'check the whole audit chain: every row, its order and its signature',
    options: {},
    positionals: 0,
    prepare: (_, io) => async (engine) => {
      const v = await engine.administration.verify(true)
      if (!v.ok) throw new DomainError('INTERNAL', `the audit log was tampered with: ${v.problem} (${v.rows} rows before it are intact)`)
      io.out(`ok: ${plural(v.rows, 'row')}, the chain is intact`)
      return 0
    }
  }),
  exportCommand('audit export', 'write the whole audit log to a CSV file', 'audit row', (engine, out) => engine.administration.exportAuditTo(null, out, WORKSTATION, unattended()))
]
