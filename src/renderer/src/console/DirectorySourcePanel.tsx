import { useEffect, useState, type FormEvent } from 'react'
import { PRESETS, SOURCE_KINDS, SOURCE_LABELS, type ConnectionTest, type DirectorySource, type SourceKind, type SyncReport } from '../../../shared/directory-source'
import { plural } from '../../../shared/words'
import { call, problemsIn } from '../api/client'
import { useApiMutation, useApiQuery } from '../api/hooks'
import { Field, FormError } from '../components/forms'
import { JobProgress, useJob } from '../components/Job'
import { Notice, formatDateTime } from '../components/ui'
import { NumberField, Toggle } from './policy/fields'

const EMPTY: DirectorySource = { ...PRESETS.openldap, urls: [], bindDn: '', baseDn: '' }
type Text = 'bindDn' | 'baseDn' | 'userFilter'
const ATTRIBUTES = [['username', 'Username'], ['email', 'E-mail'], ['displayName', 'Display name'], ['phone', 'Phone'], ['stableId', 'Stable id']] as const

function countsText(r: Partial<SyncReport>): string {
  const c = r.counts
  if (!c) return '—'
  return `${plural(c.seen, 'entry', 'entries')}: ${c.created} created, ${c.updated + c.renamed} updated, ${c.disabled} disabled, ${c.enabled} enabled, ${c.roleChanged} other role, ${c.refused} refused`
}

/**
 * Where the people come from: an Active Directory or LDAP server (its settings, with presets),
 * "Test connection" that says who the filter finds, a sync now, and the last syncs. Its own form,
 * saved apart from the policy.
 */
export function DirectorySourcePanel() {
  const current = useApiQuery('directory:get', {})
  const status = useApiQuery('directory:status', {})
  const [form, setForm] = useState<DirectorySource | null>(null)
  const [password, setPassword] = useState('')
  const [problems, setProblems] = useState<Record<string, string>>({})
  const [message, setMessage] = useState<string | null>(null)
  const [tested, setTested] = useState<ConnectionTest | null>(null)
  const save = useApiMutation('directory:save', { invalidates: ['directory:get', 'directory:status'] })
  const sync = useJob()
  useEffect(() => {
    if (current.data && !form) setForm(current.data.source ?? EMPTY)
  }, [current.data, form])
  const ended = sync.job && sync.job.state !== 'running' ? sync.job.id : null
  const { refetch } = status
  useEffect(() => {
    if (ended) void refetch()
  }, [ended, refetch])
  if (!form || !current.data) return <p role="status">Loading…</p>
  const update = (patch: Partial<DirectorySource>) => setForm({ ...form, ...patch })
  const input = () => ({ source: form, ...(password ? { password } : {}) })
  const err = (path: string) => problems[`source.${path}`] ?? problems[path]

  function checked(): boolean {
    const found = problemsIn('directory:save', input())
    setProblems(found)
    setMessage(null)
    return Object.keys(found).length === 0
  }
  function test() {
    if (!checked()) return
    setTested(null)
    call('directory:test', input()).then(setTested, (e: Error) => setMessage(e.message))
  }
  function submit(event: FormEvent) {
    event.preventDefault()
    if (!checked()) return
    save.mutate(input(), { onSuccess: () => (setPassword(''), setMessage('Directory settings saved. The change is in the audit log.')), onError: (e) => setMessage(e.message) })
  }
  const startSync = (request: { full?: boolean; dryRun?: boolean; confirm?: boolean }) => call('directory:sync', request).then(sync.follow, (e: Error) => setMessage(e.message))
  const report = sync.job?.state === 'done' ? (sync.job.result as SyncReport) : null

  return (
    <section className="panel" aria-labelledby="directory-title">
      <h2 id="directory-title">Directory source</h2>
      <p className="muted">People from the organisation&apos;s Active Directory or LDAP server, kept in step by a sync every {form.syncMinutes} minutes and a full one daily.</p>
      <form onSubmit={submit} noValidate>
        <FormError message={Object.keys(problems).length ? `Nothing was saved: ${plural(Object.keys(problems).length, 'setting')} to correct (marked below).` : null} />
        <div className="field field--inline">
          <label htmlFor="directory-kind">Kind of server</label>
          <select id="directory-kind" value={form.kind} onChange={(e) => setForm({ ...PRESETS[e.target.value as SourceKind], urls: form.urls, bindDn: form.bindDn, baseDn: form.baseDn, caFile: form.caFile })}>
            {SOURCE_KINDS.map((k) => <option key={k} value={k}>{SOURCE_LABELS[k]}</option>)}
          </select>
        </div>
        <Field label="Servers (ldaps://host or ldap://host, comma between)" value={form.urls.join(', ')} error={err('urls') ?? err('urls.0')} onChange={(e) => update({ urls: e.target.value.split(',').map((u) => u.trim()).filter(Boolean) })} />
        <Toggle id="directory-starttls" label="Upgrade ldap:// with StartTLS" checked={form.startTls} onChange={(v) => update({ startTls: v })} />
        <Field label="CA certificate file on this seat (empty: the system's)" value={form.caFile ?? ''} error={err('caFile')} onChange={(e) => update({ caFile: e.target.value || null })} />
        {(['bindDn', 'baseDn', 'userFilter'] as Text[]).map((k) => (
          <Field key={k} label={{ bindDn: 'Service account (DN)', baseDn: 'Base DN', userFilter: 'User filter' }[k]} value={form[k]} error={err(k)} onChange={(e) => update({ [k]: e.target.value })} />
        ))}
        <Field label={current.data.passwordSet ? 'Service account password (empty: keep the saved one)' : 'Service account password'} type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        <fieldset className="subform">
          <legend>Attributes</legend>
          {ATTRIBUTES.map(([k, label]) => (
            <Field key={k} label={label} value={form.attributes[k]} error={err(`attributes.${k}`)} onChange={(e) => update({ attributes: { ...form.attributes, [k]: e.target.value } })} />
          ))}
        </fieldset>
        <Field label="Help-desk group (DN, empty: roles stay Tessera's)" value={form.groups.helpdesk ?? ''} onChange={(e) => update({ groups: { ...form.groups, helpdesk: e.target.value || null } })} />
        <Field label="Administrators group (DN)" value={form.groups.admin ?? ''} onChange={(e) => update({ groups: { ...form.groups, admin: e.target.value || null } })} />
        <NumberField id="directory-max-disable" label="Most accounts one sync may disable" unit="%" value={form.maxDisablePercent} onChange={(n) => update({ maxDisablePercent: n })} error={err('maxDisablePercent')}
          hint="A sync that would disable more waits for an administrator." />
        <NumberField id="directory-bind-attempts" label="Wrong passwords before Tessera blocks them" value={form.bindAttempts} onChange={(n) => update({ bindAttempts: n })} error={err('bindAttempts')}
          hint="Keep it below the directory's own lockout, so that nobody can lock a colleague's directory account through Tessera." />
        <Toggle id="directory-passwords" label="The directory checks directory users' passwords" checked={form.passwords === 'directory'} onChange={(v) => update({ passwords: v ? 'directory' : 'local' })} />
        <Field label="Where people change their directory password (text)" value={form.passwordHelp.text} onChange={(e) => update({ passwordHelp: { ...form.passwordHelp, text: e.target.value } })} />
        <Field label="… and its link" value={form.passwordHelp.url} onChange={(e) => update({ passwordHelp: { ...form.passwordHelp, url: e.target.value } })} />
        {message && <Notice tone="info">{message}</Notice>}
        {tested && (
          <div role="status" className="notice">
            Connected to {tested.url}: the filter matches {plural(tested.matches, 'entry', 'entries')}. The first: {tested.first.map((p) => `${p.username} (${p.email || 'no e-mail'})`).join(', ') || 'none'}.
          </div>
        )}
        <div className="actions">
          <button type="button" className="button" onClick={test}>Test connection</button>
          <button type="submit" className="button button--primary button--inline" disabled={save.isPending}>Save directory settings</button>
        </div>
      </form>
      <SyncControls status={status.data} running={sync.running} report={report} onSync={startSync} />
      {sync.job && <JobProgress job={sync.job} label="Syncing" onCancel={sync.cancel} />}
    </section>
  )
}

function SyncControls({ status, running, report, onSync }: { status: ReturnType<typeof useApiQuery<'directory:status'>>['data']; running: boolean; report: SyncReport | null; onSync: (r: { full?: boolean; dryRun?: boolean; confirm?: boolean }) => void }) {
  if (!status?.configured) return null
  return (
    <div className="subform" aria-label="Syncs">
      {status.waiting && (
        <Notice tone="warn">
          The last full sync stopped before disabling {plural(status.waiting.disable, 'account')} of {status.waiting.of.toLocaleString()}: more than the setting allows. Check the directory, then{' '}
          <button type="button" className="link-button" onClick={() => onSync({ confirm: true })}>confirm and disable them</button>.
        </Notice>
      )}
      {report && <p role="status">{report.dryRun ? 'Dry run (nothing changed): ' : 'Synced: '}{countsText(report)}.</p>}
      <div className="actions">
        <button type="button" className="button" disabled={running} onClick={() => onSync({})}>Sync changes now</button>
        <button type="button" className="button" disabled={running} onClick={() => onSync({ full: true })}>Full sync</button>
        <button type="button" className="button" disabled={running} onClick={() => onSync({ full: true, dryRun: true })}>Dry run</button>
      </div>
      <table className="table">
        <caption>Last syncs (last: {formatDateTime(status.lastSyncAt)}, last full: {formatDateTime(status.lastFullAt)})</caption>
        <thead><tr><th scope="col">Started</th><th scope="col">How</th><th scope="col">State</th><th scope="col">What it did</th></tr></thead>
        <tbody>
          {status.runs.map((r) => (
            <tr key={r.id}><td>{formatDateTime(r.startedAt)}</td><td>{r.report.full ? 'full' : 'changes'}{r.report.dryRun ? ' (dry run)' : ''}</td><td>{r.state}</td><td>{r.report.counts ? countsText(r.report) : (r.report.error ?? '—')}</td></tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
