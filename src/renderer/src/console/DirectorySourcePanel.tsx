import { useEffect, useState, type FormEvent } from 'react'
import { PRESETS, SOURCE_KINDS, SOURCE_LABELS, type ConnectionTest, type DirectorySource, type SourceKind, type SyncReport } from '../../../shared/directory-source'
import type { MessageId, Translator } from '../../../shared/i18n/translate'
import { call, problemsIn } from '../api/client'
import { useApiMutation, useApiQuery } from '../api/hooks'
import { Field, FormError } from '../components/forms'
import { JobProgress, useJob } from '../components/Job'
import { Notice, formatDateTime } from '../components/ui'
import { useT } from '../i18n'
import { MARKS, NumberField, placed, Toggle } from './policy/fields'

const EMPTY: DirectorySource = { ...PRESETS.openldap, urls: [], bindDn: '', baseDn: '' }
type Text = 'bindDn' | 'baseDn' | 'userFilter'
const TEXT_WORDS = { bindDn: 'console.directory.bindDn', baseDn: 'console.directory.baseDn', userFilter: 'console.directory.userFilter' } as const satisfies Record<Text, MessageId>
const ATTRIBUTES = [
  ['username', 'console.directory.attribute.username'],
  ['email', 'console.directory.attribute.email'],
  ['displayName', 'console.directory.attribute.displayName'],
  ['phone', 'console.directory.attribute.phone'],
  ['stableId', 'console.directory.attribute.stableId']
] as const satisfies readonly (readonly [keyof DirectorySource['attributes'], MessageId])[]

/** How a sync ran: all or only the changes, and whether it was a dry run. */
const HOW_WORDS = {
  full: 'console.directory.runs.how.full',
  changes: 'console.directory.runs.how.changes',
  fullDryRun: 'console.directory.runs.how.fullDryRun',
  changesDryRun: 'console.directory.runs.how.changesDryRun'
} as const satisfies Record<string, MessageId>

/** A sync's job state (any other, the engine's word as it is). */
const STATE_WORDS = {
  running: 'console.directory.runs.state.running',
  done: 'console.directory.runs.state.done',
  failed: 'console.directory.runs.state.failed',
  cancelled: 'console.directory.runs.state.cancelled',
  interrupted: 'console.directory.runs.state.interrupted'
} as const satisfies Record<string, MessageId>
const stateWords = (words: Translator, state: string) => (Object.hasOwn(STATE_WORDS, state) ? words.t(STATE_WORDS[state as keyof typeof STATE_WORDS]) : state)

function countsText(words: Translator, r: Partial<SyncReport>): string {
  const c = r.counts
  if (!c) return '—'
  return words.t('console.directory.counts', { seen: c.seen, created: c.created, updated: c.updated + c.renamed, disabled: c.disabled, enabled: c.enabled, roleChanged: c.roleChanged, refused: c.refused })
}

/**
 * Where the people come from: an Active Directory or LDAP server (its settings, with presets),
 * "Test connection" that says who the filter finds, a sync now, and the last syncs. Its own form,
 * saved apart from the policy.
 */
export function DirectorySourcePanel() {
  const words = useT()
  const { t } = words
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
  if (!form || !current.data) return <p role="status">{t('common.loading')}</p>
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
    save.mutate(input(), { onSuccess: () => (setPassword(''), setMessage(t('console.directory.saved'))), onError: (e) => setMessage(e.message) })
  }
  const startSync = (request: { full?: boolean; dryRun?: boolean; confirm?: boolean }) => call('directory:sync', request).then(sync.follow, (e: Error) => setMessage(e.message))
  const report = sync.job?.state === 'done' ? (sync.job.result as SyncReport) : null

  return (
    <section className="panel" aria-labelledby="directory-title">
      <h2 id="directory-title">{t('console.directory.title')}</h2>
      <p className="muted">{t('console.directory.intro', { minutes: form.syncMinutes })}</p>
      <form onSubmit={submit} noValidate>
        <FormError message={Object.keys(problems).length ? t('console.directory.notSaved', { count: Object.keys(problems).length }) : null} />
        <div className="field field--inline">
          <label htmlFor="directory-kind">{t('console.directory.kind')}</label>
          <select id="directory-kind" value={form.kind} onChange={(e) => setForm({ ...PRESETS[e.target.value as SourceKind], urls: form.urls, bindDn: form.bindDn, baseDn: form.baseDn, caFile: form.caFile })}>
            {SOURCE_KINDS.map((k) => <option key={k} value={k}>{SOURCE_LABELS[k]}</option>)}
          </select>
        </div>
        <Field label={t('console.directory.urls')} value={form.urls.join(', ')} error={err('urls') ?? err('urls.0')} onChange={(e) => update({ urls: e.target.value.split(',').map((u) => u.trim()).filter(Boolean) })} />
        <Toggle id="directory-starttls" label={t('console.directory.startTls')} checked={form.startTls} onChange={(v) => update({ startTls: v })} />
        <Field label={t('console.directory.caFile')} value={form.caFile ?? ''} error={err('caFile')} onChange={(e) => update({ caFile: e.target.value || null })} />
        {(['bindDn', 'baseDn', 'userFilter'] as Text[]).map((k) => (
          <Field key={k} label={t(TEXT_WORDS[k])} value={form[k]} error={err(k)} onChange={(e) => update({ [k]: e.target.value })} />
        ))}
        <Field label={current.data.passwordSet ? t('console.directory.passwordKeep') : t('console.directory.password')} type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        <fieldset className="subform">
          <legend>{t('console.directory.attributes')}</legend>
          {ATTRIBUTES.map(([k, label]) => (
            <Field key={k} label={t(label)} value={form.attributes[k]} error={err(`attributes.${k}`)} onChange={(e) => update({ attributes: { ...form.attributes, [k]: e.target.value } })} />
          ))}
        </fieldset>
        <Field label={t('console.directory.helpdeskGroup')} value={form.groups.helpdesk ?? ''} onChange={(e) => update({ groups: { ...form.groups, helpdesk: e.target.value || null } })} />
        <Field label={t('console.directory.adminGroup')} value={form.groups.admin ?? ''} onChange={(e) => update({ groups: { ...form.groups, admin: e.target.value || null } })} />
        <NumberField id="directory-max-disable" label={t('console.directory.maxDisable')} unit="%" value={form.maxDisablePercent} onChange={(n) => update({ maxDisablePercent: n })} error={err('maxDisablePercent')}
          hint={t('console.directory.maxDisableHint')} />
        <NumberField id="directory-bind-attempts" label={t('console.directory.bindAttempts')} value={form.bindAttempts} onChange={(n) => update({ bindAttempts: n })} error={err('bindAttempts')}
          hint={t('console.directory.bindAttemptsHint')} />
        <Toggle id="directory-passwords" label={t('console.directory.passwords')} checked={form.passwords === 'directory'} onChange={(v) => update({ passwords: v ? 'directory' : 'local' })} />
        <Field label={t('console.directory.passwordHelpText')} value={form.passwordHelp.text} onChange={(e) => update({ passwordHelp: { ...form.passwordHelp, text: e.target.value } })} />
        <Field label={t('console.directory.passwordHelpUrl')} value={form.passwordHelp.url} onChange={(e) => update({ passwordHelp: { ...form.passwordHelp, url: e.target.value } })} />
        {message && <Notice tone="info">{message}</Notice>}
        {tested && (
          <div role="status" className="notice">
            {t('console.directory.tested', {
              url: tested.url,
              matches: tested.matches,
              first:
                tested.first.map((p) => (p.email ? t('console.directory.tested.person', { username: p.username, email: p.email }) : t('console.directory.tested.personNoEmail', { username: p.username }))).join(t('console.separator')) ||
                t('console.directory.tested.nobody')
            })}
          </div>
        )}
        <div className="actions">
          <button type="button" className="button" onClick={test}>{t('console.directory.test')}</button>
          <button type="submit" className="button button--primary button--inline" disabled={save.isPending}>{t('console.directory.save')}</button>
        </div>
      </form>
      <SyncControls status={status.data} running={sync.running} report={report} onSync={startSync} />
      {sync.job && <JobProgress job={sync.job} label={t('console.directory.syncing')} onCancel={sync.cancel} />}
    </section>
  )
}

function SyncControls({ status, running, report, onSync }: { status: ReturnType<typeof useApiQuery<'directory:status'>>['data']; running: boolean; report: SyncReport | null; onSync: (r: { full?: boolean; dryRun?: boolean; confirm?: boolean }) => void }) {
  const words = useT()
  const { t } = words
  if (!status?.configured) return null
  return (
    <div className="subform" aria-label={t('console.directory.syncs')}>
      {status.waiting && (
        <Notice tone="warn">
          {placed(
            t('console.directory.waiting', { count: status.waiting.disable, of: status.waiting.of, confirm: MARKS[0] }),
            <button type="button" className="link-button" onClick={() => onSync({ confirm: true })}>{t('console.directory.waiting.confirm')}</button>
          )}
        </Notice>
      )}
      {report && <p role="status">{t(report.dryRun ? 'console.directory.report.dryRun' : 'console.directory.report.synced', { counts: countsText(words, report) })}</p>}
      <div className="actions">
        <button type="button" className="button" disabled={running} onClick={() => onSync({})}>{t('console.directory.syncChanges')}</button>
        <button type="button" className="button" disabled={running} onClick={() => onSync({ full: true })}>{t('console.directory.fullSync')}</button>
        <button type="button" className="button" disabled={running} onClick={() => onSync({ full: true, dryRun: true })}>{t('console.directory.dryRun')}</button>
      </div>
      <table className="table">
        <caption>{t('console.directory.runs.caption', { last: formatDateTime(status.lastSyncAt), lastFull: formatDateTime(status.lastFullAt) })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('console.directory.runs.started')}</th>
            <th scope="col">{t('console.directory.runs.how')}</th>
            <th scope="col">{t('console.directory.runs.state')}</th>
            <th scope="col">{t('console.directory.runs.what')}</th>
          </tr>
        </thead>
        <tbody>
          {status.runs.map((r) => (
            <tr key={r.id}>
              <td>{formatDateTime(r.startedAt)}</td>
              <td>{t(r.report.full ? (r.report.dryRun ? HOW_WORDS.fullDryRun : HOW_WORDS.full) : r.report.dryRun ? HOW_WORDS.changesDryRun : HOW_WORDS.changes)}</td>
              <td>{stateWords(words, r.state)}</td>
              <td>
                {r.report.counts ? countsText(words, r.report) : r.report.error ? words.sayText(r.report.error) : '—'}
                {r.report.fullBecause && <p>{words.sayText(r.report.fullBecause)}</p>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
