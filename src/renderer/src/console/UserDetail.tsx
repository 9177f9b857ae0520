import { useEffect, useRef, useState } from 'react'
import type { AuditEntryView, UserDetail as UserDetailData } from '../../../shared/admin-dto'
import { eventSentence } from '../../../shared/audit-events'
import type { Role, SessionInfo } from '../../../shared/dto'
import { heldMethodWords, ROLE_WORDS, STATUS_MEANING_WORDS } from '../../../shared/i18n/labels'
import { useApiMutation, useApiQuery } from '../api/hooks'
import { UserSessions } from '../components/Sessions'
import { KeysSection } from './KeysSection'
import { MethodsSection } from './MethodsSection'
import { DeleteUser, EditProfile } from './ProfileForms'
import { TokenSection } from './TokenSection'
import { FormError } from '../components/forms'
import { Notice, formatDateTime, formatTime } from '../components/ui'
import { useFormErrors } from '../components/use-form-errors'
import { useT } from '../i18n'
import { StatusBadge } from './StatusBadge'

const INVALIDATES = ['users:get', 'users:list', 'requests:list', 'requests:badge'] as const

const FACTOR_LABELS = {
  password: 'users.detail.factor.password',
  'second-factor': 'users.detail.factor.second-factor',
  reset: 'users.detail.factor.reset',
  token: 'users.detail.factor.token'
} as const

/** What the help desk reads first: who, status (and what it means), factor, codes, dates, failed attempts. */
function Facts({ d }: { d: UserDetailData }) {
  const words = useT()
  return (
    <>
    <dl className="facts">
      <dt>{words.t('users.field.username')}</dt><dd translate="no">{d.username}</dd>
      <dt>{words.t('users.field.email')}</dt><dd translate="no">{d.email}</dd>
      <dt>{words.t('users.field.phone')}</dt>{d.phone ? <dd translate="no">{d.phone}</dd> : <dd>{words.t('users.detail.noPhone')}</dd>}
      <dt>{words.t('users.field.role')}</dt><dd>{words.t(ROLE_WORDS[d.role])}</dd>
      <dt>{words.t('users.detail.comesFrom')}</dt><dd>{d.fromDirectory ? words.t('users.detail.fromDirectory') : words.t('users.detail.fromTessera')}</dd>
      <dt>{words.t('users.detail.status')}</dt><dd><StatusBadge row={d} postponementsAllowed={d.postponementsAllowed} /> <span className="field__hint">{words.t(STATUS_MEANING_WORDS[d.status])}</span></dd>
      <dt>{words.t('users.detail.secondFactor')}</dt>
      <dd>
        {d.methods.length === 0
          ? words.t('users.detail.factorNone')
          : d.methods.length === 1
            ? words.t('users.detail.factorSince', { method: heldMethodWords(words, d.methods[0]!), date: formatDateTime(d.activatedAt) })
            : words.t('users.detail.factorMany', { count: d.methods.length })}
      </dd>
      <dt>{words.t('users.detail.recoveryCodes')}</dt><dd>{d.method ? words.t('users.detail.codesLeft', { count: d.recoveryCodesLeft }) : '—'}</dd>
      <dt>{words.t('users.detail.lastLogin')}</dt><dd>{formatDateTime(d.lastLoginAt)}</dd>
      <dt>{words.t('users.detail.created')}</dt><dd>{formatDateTime(d.createdAt)}</dd>
    </dl>

    <h3>{words.t('users.detail.failedAttempts')}</h3>
    {d.counters.length === 0 ? (
      <p>{words.t('users.detail.noFailures')}</p>
    ) : (
      <table className="report">
        <thead>
          <tr>
            <th scope="col">{words.t('users.detail.where')}</th><th scope="col">{words.t('users.detail.factor')}</th>
            <th scope="col">{words.t('users.detail.failures')}</th><th scope="col">{words.t('users.detail.lockedUntil')}</th>
          </tr>
        </thead>
        <tbody>
          {d.counters.map((c) => (
            <tr key={`${c.scope}-${c.subject}-${c.factor}`}>
              <td>{c.scope === 'account' ? words.t('users.detail.thisAccount') : words.t('users.detail.workstation', { name: c.subject })}</td>
              <td>{words.t(FACTOR_LABELS[c.factor])}</td>
              <td>{c.failures}</td>
              <td>{c.lockedUntil ? formatTime(c.lockedUntil) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    )}
    </>
  )
}

/** Resetting 2FA asks for the reason first (it goes in the audit log). */
function ResetForm({ userId, onCancel, onDone, onError }: { userId: number; onCancel: () => void; onDone: (text: string) => void; onError: (e: Error) => void }) {
  const words = useT()
  const [reason, setReason] = useState('')
  const reset = useApiMutation('users:reset-2fa', { invalidates: INVALIDATES })
  return (
    <form
      className="subform"
      aria-label={words.t('users.detail.reset.form')}
      onSubmit={(e) => {
        e.preventDefault()
        reset.mutate(
          { userId, reason },
          {
            onSuccess: (r) => onDone(r.status === 'reset' ? words.t('users.detail.reset.done') : words.t('users.detail.reset.proposed')),
            onError
          }
        )
      }}
    >
      <div className="field">
        <label htmlFor="reset-reason">{words.t('users.detail.reset.reason')}</label>
        <input id="reset-reason" autoFocus value={reason} onChange={(e) => setReason(e.target.value)} />
      </div>
      <div className="actions">
        <button type="submit" className="button button--danger">{words.t('users.detail.reset.button')}</button>
        <button type="button" className="button" onClick={onCancel}>{words.t('users.cancel')}</button>
      </div>
    </form>
  )
}

type Shown = { expiresAt: number } & ({ code: string } | { password: string })
type ActionsProps = {
  d: UserDetailData
  isAdmin: boolean
  open: 'edit' | 'delete' | null
  onOpen: (panel: 'edit' | 'delete') => void
  resetOpen: boolean
  onReset: () => void
  done: (text: string) => () => void
  show: (what: string) => (r: Shown) => void
  onError: (e: Error) => void
}

/** What the caller's role may do to this account, one button each. */
function Actions({ d, isAdmin, open: panel, onOpen: setPanel, resetOpen: askReason, onReset, done, show, onError }: ActionsProps) {
  const words = useT()
  const userId = d.id
  const unlock = useApiMutation('users:unlock', { invalidates: INVALIDATES })
  const issue = useApiMutation('users:issue-access-code', { invalidates: INVALIDATES })
  const disable = useApiMutation('users:set-disabled', { invalidates: INVALIDATES })
  const role = useApiMutation('users:set-role', { invalidates: INVALIDATES })
  const link = useApiMutation('users:send-enrolment-link', { invalidates: INVALIDATES })
  const temporary = useApiMutation('users:set-temporary-password', { invalidates: INVALIDATES })
  return (
    <div className="actions actions--wrap" role="group" aria-label={words.t('users.detail.actions')}>
      {d.lockedUntil && (
        <button type="button" className="button" onClick={() => unlock.mutate({ userId }, { onSuccess: done(words.t('users.detail.unlocked')), onError: onError })}>
          {words.t('users.detail.unlock')}
        </button>
      )}
      {d.hasFactor && (
        <button type="button" className="button" aria-expanded={askReason} onClick={onReset}>
          {words.t('users.detail.reset.button')}
        </button>
      )}
      {d.method && d.role !== 'admin' && (
        <button type="button" className="button" onClick={() => issue.mutate({ userId }, { onSuccess: show(words.t('users.detail.accessCode')), onError: onError })}>
          {words.t('users.detail.issueCode')}
        </button>
      )}
      <button type="button" className="button" onClick={() => temporary.mutate({ userId }, { onSuccess: show(words.t('users.detail.temporaryPassword')), onError: onError })}>
        {words.t('users.detail.setTemporary')}
      </button>
      <button type="button" className="button" onClick={() => link.mutate({ userId }, { onSuccess: (r) => done(r.via === 'smtp' ? words.t('users.detail.linkEmailed') : words.t('users.detail.linkOutbox'))(), onError: onError })}>
        {words.t('users.detail.sendLink')}
      </button>
      <button type="button" className="button" aria-expanded={panel === 'edit'} onClick={() => setPanel('edit')}>
        {words.t('users.detail.editProfile')}
      </button>
      <button type="button" className="button button--danger" onClick={() => disable.mutate({ userId, disabled: !d.disabled }, { onSuccess: done(d.disabled ? words.t('users.detail.enabled') : words.t('users.detail.disabled')), onError: onError })}>
        {d.disabled ? words.t('users.detail.enable') : words.t('users.detail.disable')}
      </button>
      {isAdmin && (
        <div className="field field--inline">
          <label htmlFor="role-change">{words.t('users.field.role')}</label>
          <select id="role-change" value={d.role} onChange={(e) => role.mutate({ userId, role: e.target.value as Role }, { onSuccess: done(words.t('users.detail.roleChanged')), onError: onError })}>
            {(['user', 'helpdesk', 'admin'] as const).map((r) => <option key={r} value={r}>{words.t(ROLE_WORDS[r])}</option>)}
          </select>
        </div>
      )}
    </div>
  )
}

/** Escape closes the panel, wherever the focus is. */
function useEscape(onClose: () => void): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [onClose])
}

function RecentEvents({ events }: { events: AuditEntryView[] }) {
  const words = useT()
  return (
    <>
      <h3>{words.t('users.detail.recentEvents')}</h3>
      <ul className="events">
        {events.map((e) => (
          <li key={e.id}>
            <time dateTime={new Date(e.at).toISOString()}>{formatDateTime(e.at)}</time>: {eventSentence(e, words, formatDateTime)}
          </li>
        ))}
        {events.length === 0 && <li>{words.t('users.detail.noEvents')}</li>}
      </ul>
    </>
  )
}

/** One user: profile, factors, counters, recent events, and what the caller's role may do. */
export function UserDetail({ userId, session, onClose }: { userId: number; session: SessionInfo; onClose: () => void }) {
  const words = useT()
  const detail = useApiQuery('users:get', { userId })
  const [message, setMessage] = useState<string | null>(null)
  /** A code or temporary password to read out, shown once. */
  const [secret, setSecret] = useState<{ what: string; value: string; expiresAt: number } | null>(null)
  const [askReason, setAskReason] = useState(false)
  const [panel, setPanel] = useState<'edit' | 'delete' | null>(null)
  const errors = useFormErrors([] as const)
  const heading = useRef<HTMLHeadingElement>(null)

  useEffect(() => heading.current?.focus(), [userId])
  useEscape(onClose)

  const done = (text: string) => () => {
    errors.clear()
    setSecret(null)
    setMessage(text)
  }
  const show = (what: string) => (r: Shown) => {
    errors.clear()
    setMessage(null)
    setSecret({ what, value: 'code' in r ? r.code : r.password, expiresAt: r.expiresAt })
  }
  const d = detail.data
  const self = d?.id === session.user.id
  const mayAct = d && !self && (session.user.role === 'admin' || d.role === 'user')

  return (
    <aside className="drawer" role="dialog" aria-modal="false" aria-labelledby="user-detail-title">
      <div className="drawer__head">
        <h2 id="user-detail-title" ref={heading} tabIndex={-1} translate={d ? 'no' : undefined}>
          {d ? d.displayName : words.t('users.detail.user')}
        </h2>
        <button type="button" className="button button--small" onClick={onClose}>
          {words.t('users.close')}
        </button>
      </div>
      {detail.isPending && <p role="status">{words.t('common.loading')}</p>}
      {d && (
        <>
          <Facts d={d} />

          {message && <Notice tone="ok">{message}</Notice>}
          {secret && (
            <div className="notice notice--warn" role="status">
              {words.t('users.detail.secret', { what: secret.what })}<code className="key" translate="no">{secret.value}</code>
              {words.t('users.detail.secretUntil', { date: formatDateTime(secret.expiresAt) })}
            </div>
          )}
          <FormError message={errors.formError} ref={errors.alertRef} />
          {self && <p className="field__hint">{words.t('users.detail.ownAccount')}</p>}
          {mayAct && (
            <Actions d={d} isAdmin={session.user.role === 'admin'} open={panel} onOpen={setPanel} resetOpen={askReason} onReset={() => setAskReason(true)} done={done} show={show} onError={errors.showError} />
          )}
          {panel === 'edit' && <EditProfile key={d.id} user={d} onCancel={() => setPanel(null)} onDone={(text) => { setPanel(null); done(text)() }} />}
          {mayAct && panel !== 'delete' && (
            <button type="button" className="button button--danger button--small" onClick={() => setPanel('delete')}>{words.t('users.detail.deleteAccount')}</button>
          )}
          {panel === 'delete' && <DeleteUser user={d} onCancel={() => setPanel(null)} onDone={onClose} />}
          {askReason && <ResetForm userId={userId} onCancel={() => setAskReason(false)} onDone={(text) => { setAskReason(false); done(text)() }} onError={errors.showError} />}

          <MethodsSection user={d} mayAct={!!mayAct} onDone={(text) => done(text)()} />
          {mayAct && <KeysSection user={d} />}
          {mayAct && <TokenSection user={d} />}

          <UserSessions userId={d.id} sessions={d.sessions} mayAct={!!mayAct} />

          <RecentEvents events={d.events} />
        </>
      )}
    </aside>
  )
}
