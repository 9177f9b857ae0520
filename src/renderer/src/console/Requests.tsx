import { useState, type FormEvent, type Ref } from 'react'
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query'
import { IDENTITY_CHECKS, type IdentityCheck, type RequestView } from '../../../shared/admin-dto'
import type { Output } from '../../../shared/contract'
import type { SessionInfo } from '../../../shared/dto'
import { heldMethodWords, ROLE_WORDS } from '../../../shared/i18n/labels'
import type { MessageId, Translator } from '../../../shared/i18n/translate'
import { call } from '../api/client'
import { useApiMutation, useApiQuery } from '../api/hooks'
import { Field, FormError, Group } from '../components/forms'
import { Notice, formatDateTime } from '../components/ui'
import { useFormErrors } from '../components/use-form-errors'
import { useT } from '../i18n'

/** How long ago, as a person says it: "just now" under a minute. */
function age(words: Translator, ms: number): string {
  const now = Date.now()
  return now - ms < 60_000 ? words.t('console.requests.justNow') : words.ago(ms, now)
}

const KIND_WORDS = { 'lost-device': 'console.requests.kind.lost-device', password: 'console.requests.kind.password' } as const satisfies Record<RequestView['kind'], MessageId>

const STATUS_WORDS = {
  open: 'console.requests.status.open',
  'awaiting-approval': 'console.requests.status.awaiting-approval',
  reset: 'console.requests.status.reset',
  'access-code': 'console.requests.status.access-code',
  rejected: 'console.requests.status.rejected'
} as const satisfies Record<RequestView['status'], MessageId>

const CHECK_WORDS = {
  'call-back': 'console.requests.check.call-back',
  'in-person': 'console.requests.check.in-person',
  manager: 'console.requests.check.manager'
} as const satisfies Record<IdentityCheck, MessageId>

/** What a closed request's status means for its kind. */
function statusText(words: Translator, r: RequestView): string {
  return words.t(r.kind === 'password' && r.status === 'reset' ? 'console.requests.status.passwordSet' : STATUS_WORDS[r.status])
}

/** The help-desk queue (lost devices, forgotten passwords), newest first, and the handling of one request. */
export function Requests({ session }: { session: SessionInfo }) {
  const words = useT()
  const { t } = words
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
        <h1 id="requests-title">{t('console.requests.title')}</h1>
        <label className="choice">
          <input type="checkbox" checked={showClosed} onChange={(e) => setShowClosed(e.target.checked)} />
          <span>{t('console.requests.showHandled')}</span>
        </label>
      </div>
      {rows?.length === 0 && <p>{t('console.requests.none')}</p>}
      <ul className="requests">
        {rows?.map((r) => (
          <li key={r.id} className="panel request">
            <div className="request__summary">
              <div>
                <h2 className="request__who">
                  {r.user.displayName} <span className="muted">{t('console.requests.who', { username: r.user.username, role: t(ROLE_WORDS[r.user.role]) })}</span>
                  {r.user.disabled && <> <span className="badge badge--disabled">{t('console.requests.accountDisabled')}</span></>}
                </h2>
                <p className="request__kind">{t(KIND_WORDS[r.kind])}</p>
                <p className="muted">
                  {t('console.requests.meta', { ago: age(words, r.createdAt), time: formatDateTime(r.createdAt), workstation: r.workstation, recipients: recipientsText(words, r) })}
                </p>
                {r.message && <p className="quote" translate="no">{t('console.requests.quote', { message: r.message })}</p>}
                <p>
                  <span className={`badge badge--${r.status}`}>{statusText(words, r)}</span>
                  {r.handledBy && (
                    <span className="muted">
                      {' '}
                      {r.approvedBy ? t('console.requests.handledAndApprovedBy', { handler: r.handledBy, approver: r.approvedBy }) : t('console.requests.handledBy', { handler: r.handledBy })}
                    </span>
                  )}
                  {r.reason && <span className="muted"> · {r.reason}</span>}
                </p>
              </div>
              {(r.status === 'open' || r.status === 'awaiting-approval') && open !== r.id && (
                <button type="button" className="button" onClick={() => setOpen(r.id)} aria-label={t('console.requests.handleLabel', { name: r.user.displayName })}>
                  {r.status === 'awaiting-approval' ? t('console.requests.review') : t('console.requests.handle')}
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
            {t('console.requests.showMore', { count: total - (rows?.length ?? 0) })}
          </button>
        </p>
      )}
    </section>
  )
}

function recipientsText(words: Translator, r: RequestView): string {
  if (r.toAll) return words.t('console.requests.recipients.everyone')
  const names = r.recipients.map((x) => x.displayName).join(words.t('console.separator'))
  const more = r.recipientCount - r.recipients.length
  return more > 0 ? words.t('console.requests.recipients.more', { names, count: more }) : names
}

/** What the help desk is told after a decision, and a code to read out when there is one. */
type Outcome = { text: string; code?: { code: string; expiresAt: number; what: 'temporaryPassword' | 'code' } }

function outcomeOf(words: Translator, r: Output<'requests:decide'>, name: string): Outcome {
  const { t } = words
  if (r.removedMethod) return { text: t('console.requests.outcome.removed', { name }) }
  if (r.token) return { text: t('console.requests.outcome.token', { token: r.token, name }) }
  if (r.temporaryPassword) {
    return {
      text: t('console.requests.outcome.temporaryPassword', { name }),
      code: { code: r.temporaryPassword.password, expiresAt: r.temporaryPassword.expiresAt, what: 'temporaryPassword' }
    }
  }
  if (r.status === 'reset') return { text: t('console.requests.outcome.reset', { name }) }
  if (r.status === 'awaiting-approval') return { text: t('console.requests.outcome.awaiting') }
  return { text: t('console.requests.outcome.accessCode'), code: { ...r.accessCode!, what: 'code' } }
}

function Decided({ outcome, name, onClose }: { outcome: Outcome; name: string; onClose: () => void }) {
  const { t } = useT()
  return (
    <div className="subform">
      <Notice tone="ok">{outcome.text}</Notice>
      {outcome.code && (
        <p className="access-code">
          {outcome.code.what === 'temporaryPassword' ? t('console.requests.readOut.temporaryPassword', { name }) : t('console.requests.readOut.code', { name })}{' '}
          <code className="key" translate="no">{outcome.code.code}</code>
          {t('console.requests.readOut.until', { time: formatDateTime(outcome.code.expiresAt) })}
        </p>
      )}
      <button type="button" className="button" autoFocus onClick={onClose}>{t('console.requests.done')}</button>
    </div>
  )
}

/** How the caller's identity was verified; a call-back needs a number on file. */
function IdentityChecks(props: { request: RequestView; check: IdentityCheck | ''; onChange: (c: IdentityCheck) => void; error: string | undefined; inputRef: Ref<HTMLInputElement> }) {
  const { request, check } = props
  const { t } = useT()
  const first = request.user.phone ? 0 : 1
  return (
    <Group id={`check-${request.id}`} legend={t('console.requests.check.legend')} className="choice-list" error={props.error}>
      {IDENTITY_CHECKS.map((value, i) => {
        // Without a number on file the call-back option says so and cannot be chosen.
        const noPhone = value === 'call-back' && !request.user.phone
        return (
          <label key={value} className="choice">
            <input type="radio" name={`check-${request.id}`} value={value} checked={check === value} autoFocus={i === first} disabled={noPhone} onChange={() => props.onChange(value)}
              ref={i === first ? props.inputRef : undefined} />
            <span>
              {value !== 'call-back'
                ? t(CHECK_WORDS[value])
                : noPhone
                  ? t('console.requests.check.noPhone', { check: t(CHECK_WORDS[value]) })
                  : t('console.requests.check.phone', { check: t(CHECK_WORDS[value]), phone: request.user.phone ?? '' })}
            </span>
          </label>
        )
      })}
    </Group>
  )
}

function HandleRequest({ request, session, onClose }: { request: RequestView; session: SessionInfo; onClose: () => void }) {
  const words = useT()
  const { t } = words
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
      if (!reason.trim()) return errors.setFieldError('reason', t('console.requests.error.reason'))
      return decide.mutate({ requestId: request.id, decision: { action, reason } }, { onSuccess: () => setResult({ text: t('console.requests.outcome.rejected') }), onError: errors.showError })
    }
    if (!check) return errors.setFieldError('identityCheck', t('console.requests.error.check'))
    decide.mutate(
      { requestId: request.id, decision: action === 'token' ? { action, identityCheck: check, note, serial } : action === 'remove-method' ? { action, identityCheck: check, note, methodId: lost! } : { action, identityCheck: check, note } },
      {
        onSuccess: (r) => setResult(outcomeOf(words, r, request.user.displayName)),
        onError: errors.showError
      }
    )
  }

  if (result) return <Decided outcome={result} name={request.user.displayName} onClose={onClose} />

  if (own) return <p className="subform">{t('console.requests.own')}</p>

  return (
    <form className="subform" aria-label={t('console.requests.handleLabel', { name: request.user.displayName })} noValidate onSubmit={(e: FormEvent) => e.preventDefault()}>
      <FormError message={errors.formError} ref={errors.alertRef} />
      {request.user.disabled && <Notice tone="warn">{t('console.requests.disabledNotice')}</Notice>}
      {awaiting && <Notice tone="warn">{t('console.requests.awaitingNotice', { handler: request.handledBy ?? '' })}</Notice>}
      <IdentityChecks request={request} check={check} onChange={setCheck} error={errors.fieldErrors.identityCheck} inputRef={errors.fieldRef('identityCheck')} />
      <div className="field">
        <label htmlFor={`note-${request.id}`}>{t('console.requests.note')}</label>
        <input id={`note-${request.id}`} value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('console.requests.notePlaceholder')} />
      </div>
      <p className="step-label">{t('console.requests.then')}</p>
      <div className="actions actions--wrap">
        {request.kind === 'password' ? (
          <button type="button" className="button button--primary button--inline" disabled={decide.isPending} onClick={() => act('temporary-password')}>
            {t('console.requests.setTemporaryPassword')}
          </button>
        ) : (
          <button type="button" className="button button--primary button--inline" disabled={decide.isPending} onClick={() => act('reset')}>
            {awaiting ? t('console.requests.approveReset') : t('console.requests.reset')}
          </button>
        )}
        {request.kind === 'lost-device' && !awaiting && request.user.role !== 'admin' && (
          <button type="button" className="button" disabled={decide.isPending} onClick={() => act('access-code')}>
            {t('console.requests.issueAccessCode')}
          </button>
        )}
      </div>
      {request.kind === 'lost-device' && !awaiting && <LostMethod userId={request.user.id} requestId={request.id} lost={lost} onChoose={setLost} busy={decide.isPending} onRemove={() => act('remove-method')} />}
      {request.kind === 'lost-device' && !awaiting && (
        <div className="actions spare-token">
          <div className="field">
            <label htmlFor={`serial-${request.id}`}>{t('console.requests.spareToken')}</label>
            <input id={`serial-${request.id}`} value={serial} autoComplete="off" spellCheck={false} onChange={(e) => setSerial(e.target.value)} />
          </div>
          <button type="button" className="button" disabled={decide.isPending || !serial.trim()} onClick={() => act('token')}>
            {t('console.requests.giveToken')}
          </button>
        </div>
      )}
      <div className="reject">
        <Field label={t('console.requests.rejectReason')} name="reason" value={reason} onChange={(e) => setReason(e.target.value)} error={errors.fieldErrors.reason} ref={errors.fieldRef('reason')} />
        <div className="actions">
          <button type="button" className="button button--danger" disabled={decide.isPending} onClick={() => act('reject')}>{t('console.requests.reject')}</button>
          <button type="button" className="button" onClick={onClose}>{t('console.requests.cancel')}</button>
        </div>
      </div>
    </form>
  )
}

/** When the person holds several methods: only the one they lost goes, the others still let them in. */
function LostMethod(props: { userId: number; requestId: number; lost: number | null; onChoose: (id: number) => void; busy: boolean; onRemove: () => void }) {
  const words = useT()
  const { t } = words
  const detail = useApiQuery('users:get', { userId: props.userId })
  const methods = detail.data?.methods ?? []
  if (methods.length < 2) return null
  const id = `lost-${props.requestId}`
  return (
    <div className="actions spare-token">
      <div className="field">
        <label htmlFor={id}>{t('console.requests.lostMethod')}</label>
        <select id={id} value={props.lost ?? ''} onChange={(e) => props.onChoose(Number(e.target.value))}>
          <option value="" disabled>{t('console.requests.chooseMethod')}</option>
          {methods.map((m) => (
            <option key={m.id} value={m.id}>{heldMethodWords(words, m)}</option>
          ))}
        </select>
      </div>
      <button type="button" className="button" disabled={props.busy || props.lost === null} onClick={props.onRemove}>
        {t('console.requests.removeOnly')}
      </button>
    </div>
  )
}
