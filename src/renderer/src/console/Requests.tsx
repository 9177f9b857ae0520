import { useState, type FormEvent, type Ref } from 'react'
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query'
import { IDENTITY_CHECK_LABELS, IDENTITY_CHECKS, type IdentityCheck, type RequestView } from '../../../shared/admin-dto'
import type { Output } from '../../../shared/contract'
import { ROLE_LABELS, type SessionInfo } from '../../../shared/dto'
import { heldMethodLabel } from '../../../shared/policy'
import { call } from '../api/client'
import { useApiMutation, useApiQuery } from '../api/hooks'
import { Field, FormError, Group } from '../components/forms'
import { ago } from '../../../shared/words'
import { Notice, formatDateTime } from '../components/ui'
import { useFormErrors } from '../components/use-form-errors'


const age = (ms: number) => ago(ms, Date.now())

const KIND_TEXT: Record<RequestView['kind'], string> = { 'lost-device': 'Lost their second factor', password: 'Forgot their password' }

/** What a closed request's status means for its kind. */
function statusText(r: RequestView): string {
  return r.kind === 'password' && r.status === 'reset' ? 'Temporary password set' : STATUS_TEXT[r.status]
}

/** The help-desk queue (lost devices, forgotten passwords), newest first, and the handling of one request. */
export function Requests({ session }: { session: SessionInfo }) {
  const [showClosed, setShowClosed] = useState(false)
  // A page at a time, newest first; "Show more" continues after the last one shown.
  const list = useInfiniteQuery({
    queryKey: ['requests:list', { open: !showClosed }],
    queryFn: ({ pageParam }) => call('requests:list', { open: !showClosed, after: pageParam, limit: 50 }),
    initialPageParam: null as { createdAt: number; id: number } | null,
    getNextPageParam: (last) => last.next
  })
  const rows = list.data?.pages.flatMap((p) => p.rows)
  const total = list.data?.pages[0]?.total ?? 0
  const [open, setOpen] = useState<number | null>(null)
  const client = useQueryClient()
  // The queue and the directory refresh once the handler is done reading the outcome.
  const closeHandled = () => {
    setOpen(null)
    for (const key of ['requests:list', 'requests:badge', 'users:list', 'users:get']) void client.invalidateQueries({ queryKey: [key] })
  }
  return (
    <section aria-labelledby="requests-title">
      <div className="section-head">
        <h1 id="requests-title">Help requests</h1>
        <label className="choice">
          <input type="checkbox" checked={showClosed} onChange={(e) => setShowClosed(e.target.checked)} />
          <span>Show handled requests too</span>
        </label>
      </div>
      {rows?.length === 0 && <p>No open requests.</p>}
      <ul className="requests">
        {rows?.map((r) => (
          <li key={r.id} className="panel request">
            <div className="request__summary">
              <div>
                <h2 className="request__who">
                  {r.user.displayName} <span className="muted">({r.user.username}, {ROLE_LABELS[r.user.role]})</span>
                  {r.user.disabled && <> <span className="badge badge--disabled">Account disabled</span></>}
                </h2>
                <p className="request__kind">{KIND_TEXT[r.kind]}</p>
                <p className="muted">
                  {age(r.createdAt)} · {formatDateTime(r.createdAt)} · from {r.workstation} · sent to {recipientsText(r)}
                </p>
                {r.message && <p className="quote">“{r.message}”</p>}
                <p>
                  <span className={`badge badge--${r.status}`}>{statusText(r)}</span>
                  {r.handledBy && <span className="muted"> by {r.handledBy}{r.approvedBy ? `, approved by ${r.approvedBy}` : ''}</span>}
                  {r.reason && <span className="muted"> · {r.reason}</span>}
                </p>
              </div>
              {(r.status === 'open' || r.status === 'awaiting-approval') && open !== r.id && (
                <button type="button" className="button" onClick={() => setOpen(r.id)} aria-label={`Handle the request of ${r.user.displayName}`}>
                  {r.status === 'awaiting-approval' ? 'Review' : 'Handle'}
                </button>
              )}
            </div>
            {open === r.id && <HandleRequest request={r} session={session} onClose={closeHandled} />}
          </li>
        ))}
      </ul>
      {list.hasNextPage && (
        <p>
          <button type="button" className="button" disabled={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
            Show more ({(total - (rows?.length ?? 0)).toLocaleString()} more)
          </button>
        </p>
      )}
    </section>
  )
}

function recipientsText(r: RequestView): string {
  if (r.toAll) return 'everyone'
  const names = r.recipients.map((x) => x.displayName).join(', ')
  const more = r.recipientCount - r.recipients.length
  return more > 0 ? `${names} and ${more} more` : names
}

const STATUS_TEXT: Record<RequestView['status'], string> = {
  open: 'Open',
  'awaiting-approval': 'Awaiting a second administrator',
  reset: '2FA reset',
  'access-code': 'Access code issued',
  rejected: 'Rejected'
}

/** What the help desk is told after a decision, and a code to read out when there is one. */
type Outcome = { text: string; code?: { code: string; expiresAt: number; what: string } }

function outcomeOf(r: Output<'requests:decide'>, name: string): Outcome {
  if (r.removedMethod) return { text: `The method ${name} lost was removed: they log in with the others they hold. Their sessions ended.` }
  if (r.token) return { text: `Token ${r.token} given to ${name}: they confirm its first code at their next login.` }
  if (r.temporaryPassword) {
    return {
      text: `A temporary password was set for ${name}. They choose their own when they log in with it.`,
      code: { code: r.temporaryPassword.password, expiresAt: r.temporaryPassword.expiresAt, what: 'temporary password' }
    }
  }
  if (r.status === 'reset') return { text: `Two-factor authentication of ${name} was reset. They set it up again at their next login.` }
  if (r.status === 'awaiting-approval') return { text: 'Resetting an administrator needs a second administrator: the request now waits for their approval.' }
  return { text: 'One-time access code issued.', code: { ...r.accessCode!, what: 'code' } }
}

function Decided({ outcome, name, onClose }: { outcome: Outcome; name: string; onClose: () => void }) {
  return (
    <div className="subform">
      <Notice tone="ok">{outcome.text}</Notice>
      {outcome.code && (
        <p className="access-code">
          Read this {outcome.code.what} to {name}: <code className="key">{outcome.code.code}</code>. It works until{' '}
          {formatDateTime(outcome.code.expiresAt)}, and is not shown again.
        </p>
      )}
      <button type="button" className="button" autoFocus onClick={onClose}>Done</button>
    </div>
  )
}

/** How the caller's identity was verified; a call-back needs a number on file. */
function IdentityChecks(props: { request: RequestView; check: IdentityCheck | ''; onChange: (c: IdentityCheck) => void; error: string | undefined; inputRef: Ref<HTMLInputElement> }) {
  const { request, check } = props
  const first = request.user.phone ? 0 : 1
  return (
    <Group id={`check-${request.id}`} legend="1. How did you verify who they are?" className="choice-list" error={props.error}>
      {IDENTITY_CHECKS.map((value, i) => {
        // Without a number on file the call-back option says so and cannot be chosen.
        const noPhone = value === 'call-back' && !request.user.phone
        return (
          <label key={value} className="choice">
            <input type="radio" name={`check-${request.id}`} value={value} checked={check === value} autoFocus={i === first} disabled={noPhone} onChange={() => props.onChange(value)}
              ref={i === first ? props.inputRef : undefined} />
            <span>
              {IDENTITY_CHECK_LABELS[value]}
              {value === 'call-back' && (noPhone ? ' (no number on file)' : `: ${request.user.phone}`)}
            </span>
          </label>
        )
      })}
    </Group>
  )
}

function HandleRequest({ request, session, onClose }: { request: RequestView; session: SessionInfo; onClose: () => void }) {
  const [check, setCheck] = useState<IdentityCheck | ''>('')
  const [note, setNote] = useState('')
  const [reason, setReason] = useState('')
  const [serial, setSerial] = useState('')
  const [lost, setLost] = useState<number | null>(null)
  const [result, setResult] = useState<Outcome | null>(null)
  const errors = useFormErrors(['identityCheck', 'reason'] as const)
  const decide = useApiMutation('requests:decide')
  const own = request.user.id === session.user.id
  const awaiting = request.status === 'awaiting-approval'

  function act(action: 'reset' | 'access-code' | 'temporary-password' | 'token' | 'remove-method' | 'reject') {
    errors.clear()
    if (action === 'reject') {
      if (!reason.trim()) return errors.setFieldError('reason', 'Give the reason for rejecting the request.')
      return decide.mutate({ requestId: request.id, decision: { action, reason } }, { onSuccess: () => setResult({ text: 'Rejected.' }), onError: errors.showError })
    }
    if (!check) return errors.setFieldError('identityCheck', 'Record how you verified who they are first.')
    decide.mutate(
      { requestId: request.id, decision: action === 'token' ? { action, identityCheck: check, note, serial } : action === 'remove-method' ? { action, identityCheck: check, note, methodId: lost! } : { action, identityCheck: check, note } },
      {
        onSuccess: (r) => setResult(outcomeOf(r, request.user.displayName)),
        onError: errors.showError
      }
    )
  }

  if (result) return <Decided outcome={result} name={request.user.displayName} onClose={onClose} />

  if (own) return <p className="subform">This is your own request: another member of the help desk must handle it.</p>

  return (
    <form className="subform" aria-label={`Handle the request of ${request.user.displayName}`} noValidate onSubmit={(e: FormEvent) => e.preventDefault()}>
      <FormError message={errors.formError} ref={errors.alertRef} />
      {request.user.disabled && <Notice tone="warn">This account is disabled: enable it first (from the user's detail), or reject the request.</Notice>}
      {awaiting && <Notice tone="warn">{request.handledBy} proposed resetting this administrator. Approve only after checking their identity yourself.</Notice>}
      <IdentityChecks request={request} check={check} onChange={setCheck} error={errors.fieldErrors.identityCheck} inputRef={errors.fieldRef('identityCheck')} />
      <div className="field">
        <label htmlFor={`note-${request.id}`}>Note (what you checked)</label>
        <input id={`note-${request.id}`} value={note} onChange={(e) => setNote(e.target.value)} placeholder="For example: called back on 555-0100, matched date of birth" />
      </div>
      <p className="step-label">2. Then:</p>
      <div className="actions actions--wrap">
        {request.kind === 'password' ? (
          <button type="button" className="button button--primary button--inline" disabled={decide.isPending} onClick={() => act('temporary-password')}>
            Set a temporary password
          </button>
        ) : (
          <button type="button" className="button button--primary button--inline" disabled={decide.isPending} onClick={() => act('reset')}>
            {awaiting ? 'Approve reset' : 'Reset 2FA'}
          </button>
        )}
        {request.kind === 'lost-device' && !awaiting && request.user.role !== 'admin' && (
          <button type="button" className="button" disabled={decide.isPending} onClick={() => act('access-code')}>
            Issue one-time access code
          </button>
        )}
      </div>
      {request.kind === 'lost-device' && !awaiting && <LostMethod userId={request.user.id} requestId={request.id} lost={lost} onChoose={setLost} busy={decide.isPending} onRemove={() => act('remove-method')} />}
      {request.kind === 'lost-device' && !awaiting && (
        <div className="actions spare-token">
          <div className="field">
            <label htmlFor={`serial-${request.id}`}>Or give a spare hardware token, serial</label>
            <input id={`serial-${request.id}`} value={serial} autoComplete="off" spellCheck={false} onChange={(e) => setSerial(e.target.value)} />
          </div>
          <button type="button" className="button" disabled={decide.isPending || !serial.trim()} onClick={() => act('token')}>
            Give token
          </button>
        </div>
      )}
      <div className="reject">
        <Field label="Or reject, with a reason" name="reason" value={reason} onChange={(e) => setReason(e.target.value)} error={errors.fieldErrors.reason} ref={errors.fieldRef('reason')} />
        <div className="actions">
          <button type="button" className="button button--danger" disabled={decide.isPending} onClick={() => act('reject')}>Reject</button>
          <button type="button" className="button" onClick={onClose}>Cancel</button>
        </div>
      </div>
    </form>
  )
}

/** When the person holds several methods: only the one they lost goes, the others still let them in. */
function LostMethod(props: { userId: number; requestId: number; lost: number | null; onChoose: (id: number) => void; busy: boolean; onRemove: () => void }) {
  const detail = useApiQuery('users:get', { userId: props.userId })
  const methods = detail.data?.methods ?? []
  if (methods.length < 2) return null
  const id = `lost-${props.requestId}`
  return (
    <div className="actions spare-token">
      <div className="field">
        <label htmlFor={id}>Or remove only what they lost</label>
        <select id={id} value={props.lost ?? ''} onChange={(e) => props.onChoose(Number(e.target.value))}>
          <option value="" disabled>Choose a method</option>
          {methods.map((m) => (
            <option key={m.id} value={m.id}>{heldMethodLabel(m)}</option>
          ))}
        </select>
      </div>
      <button type="button" className="button" disabled={props.busy || props.lost === null} onClick={props.onRemove}>
        Remove only this
      </button>
    </div>
  )
}
