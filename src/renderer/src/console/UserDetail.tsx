import { useEffect, useRef, useState } from 'react'
import { STATUS_MEANINGS, type AuditEntryView, type UserDetail as UserDetailData } from '../../../shared/admin-dto'
import { eventSentence } from '../../../shared/audit-events'
import { ROLE_LABELS, type Role, type SessionInfo } from '../../../shared/dto'
import { heldMethodLabel } from '../../../shared/policy'
import { useApiMutation, useApiQuery } from '../api/hooks'
import { UserSessions } from '../components/Sessions'
import { KeysSection } from './KeysSection'
import { MethodsSection } from './MethodsSection'
import { DeleteUser, EditProfile } from './ProfileForms'
import { TokenSection } from './TokenSection'
import { FormError } from '../components/forms'
import { Notice, formatDateTime, formatTime } from '../components/ui'
import { useFormErrors } from '../components/use-form-errors'
import { StatusBadge } from './StatusBadge'

const INVALIDATES = ['users:get', 'users:list', 'requests:list', 'requests:badge'] as const

const FACTOR_LABELS = { password: 'Password', 'second-factor': 'Second factor', reset: 'Password-reset codes', token: 'Registration codes' } as const

/** What the help desk reads first: who, status (and what it means), factor, codes, dates, failed attempts. */
function Facts({ d }: { d: UserDetailData }) {
  return (
    <>
    <dl className="facts">
      <dt>Username</dt><dd>{d.username}</dd>
      <dt>E-mail</dt><dd>{d.email}</dd>
      <dt>Phone</dt><dd>{d.phone ?? 'None on file'}</dd>
      <dt>Role</dt><dd>{ROLE_LABELS[d.role]}</dd>
      <dt>Comes from</dt><dd>{d.fromDirectory ? 'The organisation\'s directory (its profile is changed there)' : 'Tessera (a local account)'}</dd>
      <dt>Status</dt><dd><StatusBadge row={d} postponementsAllowed={d.postponementsAllowed} /> <span className="field__hint">{STATUS_MEANINGS[d.status]}</span></dd>
      <dt>Second factor</dt><dd>{d.methods.length === 0 ? 'Not set up' : d.methods.length === 1 ? `${heldMethodLabel(d.methods[0]!)} since ${formatDateTime(d.activatedAt)}` : `${d.methods.length} methods (below)`}</dd>
      <dt>Recovery codes</dt><dd>{d.method ? `${d.recoveryCodesLeft} left` : '—'}</dd>
      <dt>Last login</dt><dd>{formatDateTime(d.lastLoginAt)}</dd>
      <dt>Created</dt><dd>{formatDateTime(d.createdAt)}</dd>
    </dl>

    <h3>Failed attempts</h3>
    {d.counters.length === 0 ? (
      <p>None in a row.</p>
    ) : (
      <table className="report">
        <thead><tr><th scope="col">Where</th><th scope="col">Factor</th><th scope="col">Failures in a row</th><th scope="col">Locked until</th></tr></thead>
        <tbody>
          {d.counters.map((c) => (
            <tr key={`${c.scope}-${c.subject}-${c.factor}`}>
              <td>{c.scope === 'account' ? 'This account' : `Workstation ${c.subject}`}</td>
              <td>{FACTOR_LABELS[c.factor]}</td>
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
  const [reason, setReason] = useState('')
  const reset = useApiMutation('users:reset-2fa', { invalidates: INVALIDATES })
  return (
    <form
      className="subform"
      aria-label="Reset two-factor authentication"
      onSubmit={(e) => {
        e.preventDefault()
        reset.mutate(
          { userId, reason },
          {
            onSuccess: (r) => onDone(r.status === 'reset' ? 'Two-factor authentication was reset: they set it up again at their next login.' : 'Reset proposed: a second administrator must approve it in Help requests.'),
            onError
          }
        )
      }}
    >
      <div className="field">
        <label htmlFor="reset-reason">Reason (recorded in the audit log)</label>
        <input id="reset-reason" autoFocus value={reason} onChange={(e) => setReason(e.target.value)} />
      </div>
      <div className="actions">
        <button type="submit" className="button button--danger">Reset 2FA</button>
        <button type="button" className="button" onClick={onCancel}>Cancel</button>
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
  const userId = d.id
  const unlock = useApiMutation('users:unlock', { invalidates: INVALIDATES })
  const issue = useApiMutation('users:issue-access-code', { invalidates: INVALIDATES })
  const disable = useApiMutation('users:set-disabled', { invalidates: INVALIDATES })
  const role = useApiMutation('users:set-role', { invalidates: INVALIDATES })
  const link = useApiMutation('users:send-enrolment-link', { invalidates: INVALIDATES })
  const temporary = useApiMutation('users:set-temporary-password', { invalidates: INVALIDATES })
  return (
    <div className="actions actions--wrap" role="group" aria-label="Actions">
      {d.lockedUntil && (
        <button type="button" className="button" onClick={() => unlock.mutate({ userId }, { onSuccess: done('Unlocked.'), onError: onError })}>
          Unlock
        </button>
      )}
      {d.hasFactor && (
        <button type="button" className="button" aria-expanded={askReason} onClick={onReset}>
          Reset 2FA
        </button>
      )}
      {d.method && d.role !== 'admin' && (
        <button type="button" className="button" onClick={() => issue.mutate({ userId }, { onSuccess: show('One-time access code'), onError: onError })}>
          Issue one-time access code
        </button>
      )}
      <button type="button" className="button" onClick={() => temporary.mutate({ userId }, { onSuccess: show('Temporary password'), onError: onError })}>
        Set temporary password
      </button>
      <button type="button" className="button" onClick={() => link.mutate({ userId }, { onSuccess: (r) => done(r.via === 'smtp' ? 'Registration link e-mailed.' : 'Registration link written to the outbox (no SMTP configured).')(), onError: onError })}>
        Send registration link
      </button>
      <button type="button" className="button" aria-expanded={panel === 'edit'} onClick={() => setPanel('edit')}>
        Edit profile
      </button>
      <button type="button" className="button button--danger" onClick={() => disable.mutate({ userId, disabled: !d.disabled }, { onSuccess: done(d.disabled ? 'Account enabled.' : 'Account disabled.'), onError: onError })}>
        {d.disabled ? 'Enable account' : 'Disable account'}
      </button>
      {isAdmin && (
        <div className="field field--inline">
          <label htmlFor="role-change">Role</label>
          <select id="role-change" value={d.role} onChange={(e) => role.mutate({ userId, role: e.target.value as Role }, { onSuccess: done('Role changed.'), onError: onError })}>
            {(['user', 'helpdesk', 'admin'] as const).map((r) => <option key={r} value={r}>{ROLE_LABELS[r]}</option>)}
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
  return (
    <>
      <h3>Recent security events</h3>
      <ul className="events">
        {events.map((e) => (
          <li key={e.id}>
            <time dateTime={new Date(e.at).toISOString()}>{formatDateTime(e.at)}</time>: {eventSentence(e, formatDateTime)}
          </li>
        ))}
        {events.length === 0 && <li>None yet.</li>}
      </ul>
    </>
  )
}

/** One user: profile, factors, counters, recent events, and what the caller's role may do. */
export function UserDetail({ userId, session, onClose }: { userId: number; session: SessionInfo; onClose: () => void }) {
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
        <h2 id="user-detail-title" ref={heading} tabIndex={-1}>
          {d ? d.displayName : 'User'}
        </h2>
        <button type="button" className="button button--small" onClick={onClose}>
          Close
        </button>
      </div>
      {detail.isPending && <p role="status">Loading…</p>}
      {d && (
        <>
          <Facts d={d} />

          {message && <Notice tone="ok">{message}</Notice>}
          {secret && (
            <div className="notice notice--warn" role="status">
              {secret.what}: <code className="key">{secret.value}</code> valid until {formatDateTime(secret.expiresAt)}. Read it to the user now: it is
              not shown again.
            </div>
          )}
          <FormError message={errors.formError} ref={errors.alertRef} />
          {self && <p className="field__hint">This is your own account: use My account.</p>}
          {mayAct && (
            <Actions d={d} isAdmin={session.user.role === 'admin'} open={panel} onOpen={setPanel} resetOpen={askReason} onReset={() => setAskReason(true)} done={done} show={show} onError={errors.showError} />
          )}
          {panel === 'edit' && <EditProfile key={d.id} user={d} onCancel={() => setPanel(null)} onDone={(text) => { setPanel(null); done(text)() }} />}
          {mayAct && panel !== 'delete' && (
            <button type="button" className="button button--danger button--small" onClick={() => setPanel('delete')}>Delete account…</button>
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
