/** CLI commands on the directory source: ldap configure/show/test/sync/status. */
import { PRESETS, SOURCE_KINDS, directorySourceSchema, type SourceKind, type SyncCounts } from '../../shared/directory-source'
import { plural } from '../../shared/words'
import { DomainError } from '../core/domain-error'
import { unattended } from '../core/jobs'
import type { SyncReport } from '../core/directory-source/sync'
import { command, iso, table, UsageError, WORKSTATION, type Command } from './args'
import { englishProblem } from '../../shared/validation'

const json = { type: 'boolean', help: 'print JSON' } as const

/** `attributes.username=sAMAccountName`, `urls=ldaps://a,ldaps://b`, `groups.admin=none`: one setting changed, typed as the preset's. */
export function applySourceSetting(source: Record<string, unknown>, assignment: string): Record<string, unknown> {
  const eq = assignment.indexOf('=')
  if (eq < 1) throw new UsageError(`expected KEY=VALUE, got "${assignment}"`)
  const key = assignment.slice(0, eq)
  const raw = assignment.slice(eq + 1)
  const template: Record<string, unknown> = { ...PRESETS.openldap, urls: [], bindDn: '', baseDn: '', caFile: '', groups: { helpdesk: '', admin: '' } }
  const path = key.split('.')
  const next = structuredClone(source)
  let parent = next
  let shape = template
  for (const [i, part] of path.entries()) {
    if (!Object.hasOwn(shape, part) || (i < path.length - 1 && typeof shape[part] !== 'object')) throw new UsageError(`unknown directory setting: ${key} (see "tessera ldap show")`)
    if (i === path.length - 1) parent[part] = valueOf(shape[part], raw, key)
    else {
      parent[part] ??= {}
      parent = parent[part] as Record<string, unknown>
      shape = shape[part] as Record<string, unknown>
    }
  }
  return next
}

function valueOf(template: unknown, raw: string, key: string): unknown {
  if (Array.isArray(template)) return raw.split(',').map((v) => v.trim()).filter(Boolean)
  if (typeof template === 'number') {
    const n = Number(raw)
    if (!Number.isFinite(n) || raw.trim() === '') throw new UsageError(`${key} takes a number`)
    return n
  }
  if (typeof template === 'boolean') {
    if (raw !== 'true' && raw !== 'false') throw new UsageError(`${key} takes true or false`)
    return raw === 'true'
  }
  return raw === 'none' ? null : raw
}

function countsLine(c: SyncCounts): string {
  return `${plural(c.seen, 'entry', 'entries')} read: ${c.created} created, ${c.updated} updated, ${c.renamed} renamed, ${c.disabled} disabled, ${c.enabled} enabled, ${c.roleChanged} given another role, ${c.refused} refused`
}

const configure = command({
  name: 'ldap configure',
  usage: '[--preset active-directory|openldap] KEY=VALUE ... [--bind-password-stdin]',
  summary: 'set where the people come from: an Active Directory or LDAP server',
  details: [
    'The preset fills in the filter and the attributes; give at least urls=, bindDn= and baseDn=.',
    'KEY is a name from "tessera ldap show" (e.g. urls=ldaps://dc1.example.org groups.admin="CN=Tessera admins,OU=Groups,DC=example,DC=org").',
    'The service account\'s password is read from standard input, sealed by the data key, and never shown again.'
  ],
  options: { preset: { type: 'string', value: 'KIND', help: 'start from the settings of active-directory or openldap' }, 'bind-password-stdin': { type: 'boolean', help: 'read the service account\'s password from standard input' } },
  positionals: [0, Infinity],
  async prepare({ values, positionals }, io) {
    const preset = values.preset as SourceKind | undefined
    if (preset !== undefined && !SOURCE_KINDS.includes(preset)) throw new UsageError(`--preset takes ${SOURCE_KINDS.join(' or ')}`)
    const password = values['bind-password-stdin'] ? (await io.readStdin()).replace(/\r?\n$/, '') : undefined
    return async (engine) => {
      const current = await engine.directorySource.settings.get()
      let next: Record<string, unknown> = preset ? { ...PRESETS[preset], urls: current?.urls ?? [], bindDn: current?.bindDn ?? '', baseDn: current?.baseDn ?? '' } : current ? { ...current } : { ...PRESETS.openldap, urls: [], bindDn: '', baseDn: '' }
      for (const a of positionals) next = applySourceSetting(next, a)
      const checked = directorySourceSchema.safeParse(next)
      if (!checked.success) throw new UsageError(checked.error.issues.map((i) => englishProblem(i.message)).join('\n'))
      if (password === undefined && !(await engine.directorySource.settings.passwordSet())) throw new UsageError('the service account\'s password is not set yet: pass --bind-password-stdin')
      await engine.directorySource.save(null, checked.data, password, WORKSTATION)
      io.out(`directory settings saved (${checked.data.urls.join(', ')}); "tessera ldap test" checks them`)
      return 0
    }
  }
})

const show = command({
  name: 'ldap show',
  usage: '[--json]',
  summary: 'the directory settings (never the password)',
  options: { json },
  positionals: 0,
  prepare: ({ values }, io) => async (engine) => {
    const source = await engine.directorySource.settings.get()
    if (!source) throw new DomainError('DIRECTORY_NOT_CONFIGURED')
    const shown = { ...source, bindPassword: (await engine.directorySource.settings.passwordSet()) ? 'set' : 'not set' }
    if (values.json) io.out(JSON.stringify(shown, null, 2))
    else io.out(flatten(shown).map(([k, v]) => `${k}=${v}`).join('\n'))
    return 0
  }
})

function flatten(o: Record<string, unknown>, prefix = ''): [string, string][] {
  return Object.entries(o).flatMap(([k, v]): [string, string][] =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? flatten(v as Record<string, unknown>, `${prefix}${k}.`) : [[`${prefix}${k}`, Array.isArray(v) ? v.join(',') : v === null ? 'none' : String(v)]]
  )
}

const test = command({
  name: 'ldap test',
  usage: '',
  summary: 'connect with the saved settings and say who the filter finds (writes nothing)',
  options: {},
  positionals: 0,
  prepare: (_, io) => async (engine) => {
    const t = await engine.directorySource.test()
    io.out(`connected to ${t.url}: the filter matches ${plural(t.matches, 'entry', 'entries')}${t.unusable ? ` (${t.unusable} without a username or stable id)` : ''}`)
    if (t.first.length) io.out(table([['USERNAME', 'E-MAIL', 'NAME', 'PHONE', 'DISABLED', 'DN'], ...t.first.map((p) => [p.username, p.email || '-', p.displayName, p.phone ?? '-', p.disabled ? 'yes' : 'no', p.dn])]).join('\n'))
    return 0
  }
})

const sync = command({
  name: 'ldap sync',
  usage: '[--full] [--dry-run] [--confirm]',
  summary: 'bring Tessera\'s accounts in line with the directory now',
  details: ['Without --full only what changed since the last sync is read; deletions are found by a full one.', '--confirm runs a full sync that may disable more accounts than the safety setting allows (after a sync that waited).'],
  options: { full: { type: 'boolean', help: 'read every entry (finds those gone from the directory)' }, 'dry-run': { type: 'boolean', help: 'say what would change, change nothing' }, confirm: { type: 'boolean', help: 'confirm the disabling a sync stopped at' }, json },
  positionals: 0,
  prepare: ({ values }, io) => async (engine) => {
    const report: SyncReport = await engine.directorySource.sync({ full: !!values.full, dryRun: !!values['dry-run'], confirm: !!values.confirm }, { ownerId: null, actor: null, workstation: WORKSTATION }, unattended())
    if (values.json) {
      io.out(JSON.stringify(report, null, 2))
      return report.waiting ? 1 : 0
    }
    io.out(`${report.dryRun ? 'dry run (nothing changed), ' : ''}${report.full ? 'full' : 'incremental'} sync in ${(report.ms / 1000).toFixed(1)} s: ${countsLine(report.counts)}`)
    if (report.fullBecause) io.err(report.fullBecause)
    for (const r of report.refusals) io.err(`refused ${r.username}: ${r.reason}`)
    if (report.waiting) {
      io.err(`stopped before disabling ${plural(report.waiting.disable, 'account')} of ${report.waiting.of.toLocaleString('en')} (more than the safety setting allows): check the directory, then "tessera ldap sync --confirm"`)
      return 1
    }
    return 0
  }
})

const status = command({
  name: 'ldap status',
  usage: '[--json]',
  summary: 'the last directory syncs: when, how long, what each changed',
  options: { json },
  positionals: 0,
  prepare: ({ values }, io) => async (engine) => {
    const s = await engine.directorySource.status()
    if (values.json) {
      io.out(JSON.stringify(s, null, 2))
      return 0
    }
    if (!s.configured) throw new DomainError('DIRECTORY_NOT_CONFIGURED')
    io.out(`last sync ${iso(s.lastSyncAt)}, last full sync ${iso(s.lastFullAt)}`)
    if (s.waiting) io.out(`waiting for an administrator: ${plural(s.waiting.disable, 'account')} of ${s.waiting.of.toLocaleString('en')} would be disabled ("tessera ldap sync --confirm")`)
    const rows = s.runs.map((r) => [iso(r.startedAt), r.state, `${r.report.full ? 'full' : 'incremental'}${r.report.dryRun ? ' (dry run)' : ''}`, r.finishedAt ? `${((r.finishedAt - r.startedAt) / 1000).toFixed(1)} s` : '-', r.report.counts ? countsLine(r.report.counts) : (r.report.error ?? '-')])
    if (rows.length) io.out(table([['STARTED', 'STATE', 'KIND', 'TOOK', 'WHAT IT DID'], ...rows]).join('\n'))
    const last = s.runs[0]?.report.fullBecause
    if (last) io.out(`the last sync: ${last}`)
    return 0
  }
})

export const ldapCommands: Command[] = [configure, show, test, sync, status]
