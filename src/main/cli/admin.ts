/** CLI commands for administrators: policy show/set, audit list/verify/export. */
import { message } from '../../shared/i18n/translate'
import { DEFAULT_POLICY, policySchema, type Policy } from '../../shared/policy'
import { DomainError } from '../core/domain-error'
import { unattended } from '../core/jobs'
import { command, exportCommand, headedTable, iso, problemLines, table, UsageError, WORKSTATION } from './args'

/** `lockout.baseMinutes=30` → a new policy; the value's type follows the default's. */
export function applySetting(policy: Policy, assignment: string): Policy {
  const eq = assignment.indexOf('=')
  if (eq < 1) throw new UsageError(message('cli.usage.expectedAssignment', { assignment }))
  const key = assignment.slice(0, eq)
  const raw = assignment.slice(eq + 1)
  const next = structuredClone(policy) as Record<string, unknown>
  const path = key.split('.')
  if (path[0] === 'smtp') {
    if (path.length === 1) {
      if (raw !== 'none') throw new UsageError(message('cli.policySet.smtpNone'))
      next['smtp'] = null
      return next as Policy
    }
    next['smtp'] ??= { host: '', port: 587, security: 'starttls', username: '', from: '' }
  }
  let parent: Record<string, unknown> = next
  let template: unknown = { ...DEFAULT_POLICY, smtp: { host: '', port: 0, security: '', username: '', from: '' } }
  for (const [i, part] of path.entries()) {
    const t = (template as Record<string, unknown> | null)?.[part]
    if (t === undefined || !Object.hasOwn(template as object, part)) throw new UsageError(message('cli.policySet.unknownKey', { key }))
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
    throw new UsageError(message('cli.usage.takesBoolean', { key }))
  }
  if (typeof template === 'number') {
    const n = Number(raw)
    if (raw.trim() === '' || !Number.isFinite(n)) throw new UsageError(message('cli.usage.takesNumber', { key }))
    return n
  }
  if (Array.isArray(template)) return raw.split(',').map((s) => s.trim()).filter(Boolean)
  // A setting that may be unset (defaultLanguage, requiredMethod.user): "none" unsets it.
  if (template === null) return raw === 'none' ? null : raw
  if (typeof template === 'object') throw new UsageError(message('cli.policySet.group', { key, example: `${key}.${Object.keys(template as object)[0]}` }))
  return raw
}

/** Nested settings as `a.b value` rows. */
const flat = (o: Record<string, unknown>, prefix = ''): string[][] =>
  Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' && !Array.isArray(v) ? flat(v as Record<string, unknown>, `${prefix}${k}.`) : [[`${prefix}${k}`, Array.isArray(v) ? v.join(',') : String(v)]]))

const json = { type: 'boolean', help: 'cli.option.json' } as const

export const adminCommands = [
  command({
    name: 'policy show',
    usage: '[--json]',
    summary: 'cli.policyShow.summary',
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
    summary: 'cli.policySet.summary',
    details: 'cli.policySet.details',
    options: { 'smtp-password-stdin': { type: 'boolean', help: 'cli.policySet.option.smtpPassword' } },
    positionals: [1, Infinity],
    async prepare({ values, positionals, words }, io) {
      const smtpPassword = values['smtp-password-stdin'] ? (await io.readStdin()).replace(/\r?\n$/, '') : undefined
      return async (engine) => {
        let next = engine.policy.get()
        for (const a of positionals) next = applySetting(next, a)
        const checked = policySchema.safeParse(next)
        if (!checked.success) throw new UsageError(problemLines(words, checked.error.issues))
        await engine.administration.save(null, checked.data, smtpPassword, WORKSTATION)
        io.out(words.t('cli.policySet.done'))
        return 0
      }
    }
  }),
  command({
    name: 'audit list',
    usage: '[--limit N] [--json]',
    summary: 'cli.auditList.summary',
    options: { limit: { type: 'string', value: 'N', help: 'cli.auditList.option.limit' }, json },
    positionals: 0,
    prepare({ values, words }, io) {
      const limit = values.limit === undefined ? 100 : Number(values.limit)
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new UsageError(message('cli.auditList.wrongLimit'))
      return async (engine) => {
        const page = await engine.administration.auditPage({ event: '', actor: '', subject: '', from: null, to: null, beforeId: null, limit })
        if (values.json) io.out(JSON.stringify(page.rows, null, 2))
        else if (page.rows.length === 0) io.out(words.t('cli.auditList.empty'))
        else {
          const rows = page.rows.map((r) => [String(r.id), iso(r.at), r.event, r.actor ?? '-', r.subject ?? '-', r.workstation ?? '-'])
          io.out(headedTable(words, ['cli.column.id', 'cli.column.time', 'cli.column.event', 'cli.column.actor', 'cli.column.subject', 'cli.column.workstation'], rows).join('\n'))
        }
        return 0
      }
    }
  }),
  command({
    name: 'job list',
    usage: '[--json]',
    summary: 'cli.jobList.summary',
    details: 'cli.jobList.details',
    options: { json },
    positionals: 0,
    prepare: ({ values, words }, io) => async (engine) => {
      const rows = await engine.journal.recent(20)
      if (values.json) io.out(JSON.stringify(rows, null, 2))
      else if (rows.length === 0) io.out(words.t('cli.jobList.none'))
      else {
        const cells = rows.map((j) => [iso(j.startedAt), j.kind, j.state, j.actor ?? '-', j.workstation, j.inputName ?? '-', j.total === null ? '-' : String(j.total)])
        io.out(headedTable(words, ['cli.column.started', 'cli.column.kind', 'cli.column.state', 'cli.column.by', 'cli.column.where', 'cli.column.file', 'cli.column.rows'], cells).join('\n'))
      }
      return 0
    }
  }),
  command({
    name: 'audit verify',
    usage: '',
    summary: 'cli.auditVerify.summary',
    options: {},
    positionals: 0,
    prepare: ({ words }, io) => async (engine) => {
      const v = await engine.administration.verify(true)
      if (!v.ok) throw new DomainError('INTERNAL', message('cli.auditVerify.tampered', { problem: v.problem ?? '', rows: v.rows }))
      io.out(words.t('cli.auditVerify.done', { count: v.rows }))
      return 0
    }
  }),
  exportCommand('audit export', 'cli.auditExport.summary', 'cli.auditExport.done', (engine, out, words) => engine.administration.exportAuditTo(null, out, WORKSTATION, unattended(), words))
]
