import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import type { SecondFactorStep, SessionInfo } from '../../../shared/dto'
import { useApiMutation } from '../api/hooks'
import { useLogout } from '../api/session'
import { CodeCountdown } from '../components/CodeCountdown'
import { Field, FormError } from '../components/forms'
import { CardPage, LinkButton, Notice, formatTime } from '../components/ui'
import { useFormErrors } from '../components/use-form-errors'
import { useNotices } from '../components/notices'
import { around, MARK, useT } from '../i18n'
import type { MessageId } from '../../../shared/i18n/translate'
import { LostDevice } from './LostDevice'
import { loginWithKey } from './SecurityKey'

type Mode = 'totp' | 'email' | 'token' | 'webauthn' | 'recovery' | 'access-code' | 'lost'

const COPY: Record<Exclude<Mode, 'lost' | 'webauthn'>, { title: MessageId; label: MessageId; hint?: MessageId }> = {
  totp: { title: 'secondStep.code.title', label: 'secondStep.totp.label' },
  email: { title: 'secondStep.email.title', label: 'secondStep.email.label' },
  token: { title: 'secondStep.code.title', label: 'secondStep.token.label', hint: 'secondStep.token.hint' },
  recovery: { title: 'secondStep.recovery.title', label: 'secondStep.recovery.label', hint: 'secondStep.recovery.hint' },
  'access-code': { title: 'secondStep.accessCode.title', label: 'secondStep.accessCode.label', hint: 'secondStep.accessCode.hint' }
}


/** The second step of the login: the code, or one of the ways around a missing device. */
export function SecondStep({ step, session }: { step: SecondFactorStep; session: SessionInfo }) {
  const initial: Mode = step.method ?? 'access-code'
  const [mode, setMode] = useState<Mode>(initial)
  const [code, setCode] = useState('')
  const [sentTo, setSentTo] = useState<string | null>(null)
  const errors = useFormErrors(['code'] as const)
  const client = useQueryClient()
  const logout = useLogout()
  const notices = useNotices()
  const words = useT()
  const verify = useApiMutation('auth:verify')
  const send = useApiMutation('auth:send-email-code')
  const autoSent = useRef(false)
  const locked = step.lockedUntil !== null

  useRefreshWhenUnlocked(step.lockedUntil)

  function sendCode() {
    errors.clear()
    send.mutate({}, { onSuccess: (r) => setSentTo(r.maskedEmail), onError: errors.showError })
  }

  // E-mail users get their code as soon as they arrive here.
  useEffect(() => {
    if (mode === 'email' && !autoSent.current && !locked) {
      autoSent.current = true
      sendCode()
    }
  }, [mode])

  function switchTo(next: Mode) {
    errors.clear()
    setCode('')
    setMode(next)
    requestAnimationFrame(() => document.getElementById('second-step-title')?.focus())
  }

  const onVerified = async ({ result }: { result: { lowOnRecoveryCodes: boolean; recoveryCodesLeft: number | null } }) => {
    if (result.lowOnRecoveryCodes) notices.add(words.t('secondStep.recoveryLow', { count: result.recoveryCodesLeft ?? 0 }))
    await client.invalidateQueries({ queryKey: ['app:status'] })
  }
  const onRefused = async (error: Error & { code?: string }) => {
    setCode('')
    // A lock is shown (and announced) by the banner above the disabled field instead.
    if (error.code === 'ACCOUNT_LOCKED' || error.code === 'WORKSTATION_LOCKED') await client.invalidateQueries({ queryKey: ['app:status'] })
    else errors.showError(error)
  }

  function submit(event: FormEvent) {
    event.preventDefault()
    if (mode === 'lost' || mode === 'webauthn') return
    errors.clear()
    verify.mutate({ method: mode, code }, { onSuccess: onVerified, onError: onRefused })
  }

  if (mode === 'lost') return <LostDevice onBack={() => switchTo(initial)} />
  const others = <OtherWays step={step} mode={mode} locked={locked} sending={send.isPending} onSend={sendCode} switchTo={switchTo} logout={() => void logout()} />
  if (mode === 'webauthn') return <KeyStep step={step} session={session} locked={locked} errors={errors} onVerified={onVerified} onRefused={onRefused} others={others} />

  return (
    <CardPage title={words.t(COPY[mode].title)} titleId="second-step-title">
      <Pending step={step} session={session} what="codes" />
      {mode === 'email' && sentTo && <Notice tone="ok">{words.t('secondStep.emailSent', { email: sentTo })}</Notice>}
      <CodeForm mode={mode} code={code} setCode={setCode} locked={locked} busy={verify.isPending} errors={errors} onSubmit={submit} />
      {others}
    </CardPage>
  )
}

/** The security-key way: press the button, then touch the key. */
function KeyStep(props: {
  step: SecondFactorStep
  session: SessionInfo
  locked: boolean
  errors: ReturnType<typeof useFormErrors<'code'>>
  onVerified: (r: Awaited<ReturnType<typeof loginWithKey>>) => Promise<void>
  onRefused: (error: Error & { code?: string }) => Promise<void>
  others: ReactNode
}) {
  const { errors } = props
  const words = useT()
  const [busy, setBusy] = useState(false)
  async function touchKey() {
    errors.clear()
    setBusy(true)
    try {
      await props.onVerified(await loginWithKey())
    } catch (error) {
      await props.onRefused(error as Error)
    } finally {
      setBusy(false)
    }
  }
  return (
    <CardPage title={words.t('secondStep.key.title')} titleId="second-step-title">
      <Pending step={props.step} session={props.session} what="attempts" />
      <FormError message={errors.formError} ref={errors.alertRef} />
      <p>{words.t('secondStep.key.instructions')}</p>
      <button type="button" className="button button--primary" autoFocus disabled={props.locked || busy} onClick={() => void touchKey()}>
        {busy ? words.t('secondStep.key.touch') : words.t('secondStep.key.use')}
      </button>
      {props.others}
    </CardPage>
  )
}

/** The code field of the current way (app, e-mail, token, recovery or access code). */
function CodeForm({ mode, code, setCode, locked, busy, errors, onSubmit }: { mode: Exclude<Mode, 'lost' | 'webauthn'>; code: string; setCode: (c: string) => void; locked: boolean; busy: boolean; errors: ReturnType<typeof useFormErrors<'code'>>; onSubmit: (e: FormEvent) => void }) {
  const words = useT()
  const copy = COPY[mode]
  const isOtp = mode === 'totp' || mode === 'email' || mode === 'token'
  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="second-step-title">
      <FormError message={errors.formError} ref={errors.alertRef} />
      <Field
        key={mode}
        label={words.t(copy.label)}
        name="code"
        autoComplete="off"
        spellCheck={false}
        autoCapitalize={isOtp ? 'off' : 'characters'}
        inputMode={isOtp ? 'numeric' : 'text'}
        maxLength={isOtp ? 8 : 24}
        autoFocus
        required
        disabled={locked}
        value={code}
        onChange={(e) => setCode(e.target.value)}
        error={errors.fieldErrors.code}
        ref={errors.fieldRef('code')}
        hint={mode === 'totp' ? <CodeCountdown /> : copy.hint && words.t(copy.hint)}
      />
      <button type="submit" className="button button--primary" disabled={locked || busy}>
        {busy ? words.t('secondStep.checking') : words.t('secondStep.verify')}
      </button>
    </form>
  )
}

/** When a lock ends, ask again where we stand so the field comes back. */
function useRefreshWhenUnlocked(lockedUntil: number | null): void {
  const client = useQueryClient()
  useEffect(() => {
    if (!lockedUntil) return
    const timer = window.setTimeout(() => void client.invalidateQueries({ queryKey: ['app:status'] }), Math.max(0, lockedUntil - Date.now()) + 500)
    return () => window.clearTimeout(timer)
  }, [lockedUntil, client])
}

type OtherWaysProps = { step: SecondFactorStep; mode: Mode; locked: boolean; sending: boolean; onSend: () => void; switchTo: (m: Mode) => void; logout: () => void }

/** Every other way to finish the login from here: another method the user has, a recovery or access code, the help desk. */
function OtherWays({ step, mode, locked, sending, onSend, switchTo, logout }: OtherWaysProps) {
  const words = useT()
  const has = (m: Mode) => mode !== m && step.methods.includes(m as never)
  const lost = words.t(step.method === 'token' ? 'secondStep.others.lostToken' : step.method === 'webauthn' ? 'secondStep.others.lostKey' : 'secondStep.others.lostDevice')
  const another = has('totp') || has('token') || has('webauthn') || (mode !== 'email' && step.emailAllowed && step.method !== null)
  return (
    <div className="secondary-links" role="group" aria-label={words.t('secondStep.others.label')}>
      {mode === 'email' && (
        <LinkButton onClick={onSend} disabled={sending || locked}>
          {words.t('secondStep.others.sendNew')}
        </LinkButton>
      )}
      {another && (
        <div role="group" aria-labelledby="another-method" className="another-method">
          <span id="another-method">{words.t('secondStep.others.another')}</span>
          {has('totp') && <LinkButton onClick={() => switchTo('totp')}>{words.t('secondStep.others.app')}</LinkButton>}
          {has('token') && <LinkButton onClick={() => switchTo('token')}>{words.t('secondStep.others.token')}</LinkButton>}
          {has('webauthn') && <LinkButton onClick={() => switchTo('webauthn')}>{words.t('secondStep.key.use')}</LinkButton>}
          {mode !== 'email' && step.emailAllowed && step.method !== null && <LinkButton onClick={() => switchTo('email')}>{words.t('secondStep.others.email')}</LinkButton>}
        </div>
      )}
      {mode !== 'recovery' && step.method !== null && <LinkButton onClick={() => switchTo('recovery')}>{words.t('secondStep.others.recovery')}</LinkButton>}
      {mode !== 'access-code' && <LinkButton onClick={() => switchTo('access-code')}>{words.t('secondStep.others.accessCode')}</LinkButton>}
      <LinkButton onClick={() => switchTo('lost')}>{lost}</LinkButton>
      <LinkButton onClick={logout}>{words.t('secondStep.others.logout')}</LinkButton>
    </div>
  )
}

/** Who is logging in and until when, and the lock when there is one. */
function Pending({ step, session, what }: { step: SecondFactorStep; session: SessionInfo; what: 'codes' | 'attempts' }) {
  const words = useT()
  return (
    <>
      <p className="lead">
        {around(words.t('secondStep.signedInAs', { name: MARK, time: formatTime(step.expiresAt) }), <strong translate="no">{session.user.displayName}</strong>)}
      </p>
      {step.lockedUntil !== null && (
        <div className="form-error" role="alert">
          {around(words.t(what === 'codes' ? 'secondStep.locked.codes' : 'secondStep.locked.attempts', { time: MARK }), <strong>{formatTime(step.lockedUntil)}</strong>)}
        </div>
      )}
    </>
  )
}
