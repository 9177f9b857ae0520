import { useEffect, useRef, useState, type ReactNode } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import type { EnrolRequirement, EnrolStep, SessionInfo } from '../../../shared/dto'
import { METHOD_LABELS, SELF_SERVICE_METHODS, type Method } from '../../../shared/policy'
import { useApiMutation } from '../api/hooks'
import { useLogout } from '../api/session'
import { CodeCountdown } from '../components/CodeCountdown'
import { CodeForm } from '../components/CodeForm'
import { Field, FormError } from '../components/forms'
import { RecoveryCodes } from '../components/RecoveryCodes'
import { CardPage, LinkButton, Notice } from '../components/ui'
import { ScanQr } from '../components/ScanQr'
import { useFormErrors } from '../components/use-form-errors'
import { RegisterKey } from './SecurityKey'

const APPS = ['Google Authenticator', 'Microsoft Authenticator', 'Authy', '2FAS']

const CHOICE_HINTS: Record<Method, string> = {
  totp: ' (recommended): a 6-digit code from an app on your phone, even without a network.',
  email: ': a 6-digit code sent to your e-mail each time you log in.',
  webauthn: ': a key you carry (USB or NFC) and touch when you log in. No phone needed.',
  token: ': a key fob from the help desk that shows a code.'
}

const REASONS: Record<EnrolRequirement['reason'], string> = {
  policy: 'Your organisation requires two-factor authentication. It protects your account even if someone learns your password.',
  reset: 'Your two-factor authentication was reset. Set it up again, on your new device, to continue.',
  staff: 'Your account can act on other people’s accounts, so it always needs two-factor authentication. Set it up to open the console.',
  chosen: 'Two-factor authentication protects your account even if someone learns your password.',
  token: 'The help desk gave you a hardware token. Confirm it with the first code it shows to continue.',
  'method-required': 'Your organisation now requires a particular kind of second factor for your role.'
}

/** What to have at hand before setting up each method, in its own words. */
const AT_HAND: Record<Method, string> = {
  totp: 'your phone, with an authenticator app (or one you can install now)',
  email: 'access to your e-mail',
  webauthn: 'a security key of your own (USB or NFC): if you have none, ask the help desk for one',
  token: 'the hardware token the help desk gave you'
}

const withArticle = (m: Method) => `${m === 'totp' || m === 'email' ? 'an' : 'a'} ${METHOD_LABELS[m].toLowerCase()}`

/** The sentence that says what this setup needs: the method required, or the choices. */
function whatYouNeed(requirement: EnrolRequirement): string {
  const choices = requirement.allowedMethods.filter((m) => SELF_SERVICE_METHODS.includes(m))
  if (requirement.reason === 'method-required' && requirement.allowedMethods.length === 1) {
    const m = requirement.allowedMethods[0]!
    if (m === 'token') return 'That is a hardware token, which the help desk hands out: ask them for one. The methods you have stay.'
    return `That is ${withArticle(m)}: set one up to continue (the methods you have stay). You need ${AT_HAND[m]}.`
  }
  return `It takes about two minutes. You need ${choices.map((m) => AT_HAND[m]).join(', or ')}.`
}

/** The login stops here until two-factor authentication is set up (or postponed, while allowed). */
export function SetupRequired({ requirement, session }: { requirement: EnrolRequirement; session: SessionInfo }) {
  const [started, setStarted] = useState(false)
  const client = useQueryClient()
  const logout = useLogout()
  const postpone = useApiMutation('enrol:postpone', { invalidates: ['app:status'] })
  const errors = useFormErrors([] as const)

  if (started) {
    return (
      <SetupWizard
        allowedMethods={requirement.allowedMethods}
        pendingToken={requirement.tokenSerial !== null}
        onCancel={() => setStarted(false)}
        onDone={() => void client.invalidateQueries({ queryKey: ['app:status'] })}
      />
    )
  }
  const left = requirement.postponementsLeft
  return (
    <CardPage title={requirement.reason === 'method-required' && requirement.allowedMethods.length === 1 ? `Set up ${withArticle(requirement.allowedMethods[0]!)}` : 'Set up two-factor authentication'} titleId="setup-title">
      <p className="lead">
        Hello {session.user.displayName}. {REASONS[requirement.reason]}
      </p>
      {requirement.tokenSerial ? (
        <p>Have your token (serial number {requirement.tokenSerial}) at hand.</p>
      ) : (
        <p>{whatYouNeed(requirement)}</p>
      )}
      <FormError message={errors.formError} ref={errors.alertRef} />
      {(requirement.tokenSerial !== null || requirement.allowedMethods.some((m) => SELF_SERVICE_METHODS.includes(m))) && (
        <button type="button" className="button button--primary" autoFocus onClick={() => setStarted(true)}>
          Set up now
        </button>
      )}
      {requirement.reason === 'policy' && (
        <p className="postpone">
          {left > 0 ? (
            <button type="button" className="button button--block" disabled={postpone.isPending} onClick={() => postpone.mutate({}, { onError: errors.showError })}>
              Postpone ({left} left)
            </button>
          ) : (
            <span>You have postponed the setup as many times as your organisation allows.</span>
          )}
        </p>
      )}
      <div className="secondary-links">
        <LinkButton onClick={() => void logout()}>Log out</LinkButton>
      </div>
    </CardPage>
  )
}

/**
 * The setup itself: choose a method, verify the e-mail address when the policy asks, scan the QR
 * code (or type the key), confirm with a code, then save the recovery codes. Leaving mid-way keeps
 * nothing.
 */
type Errors = ReturnType<typeof useFormErrors<'code' | 'name'>>

type ChooseProps = { choices: Method[]; nameApp: boolean; busy: boolean; errors: Errors; onChoose: (m: Method, name?: string) => void; cancelLink: ReactNode }

/** The first page: which method (when the policy allows more than one); a second app gets a name. */
function ChooseMethod({ choices, nameApp, busy, errors, onChoose, cancelLink }: ChooseProps) {
  const [method, setMethod] = useState<Method>(choices.includes('totp') ? 'totp' : choices[0] ?? 'totp')
  const [name, setName] = useState('')
  const naming = nameApp && method === 'totp'
  return (
    <CardPage title={nameApp ? 'Add a method' : 'Choose how you will confirm it is you'} titleId="wizard-title">
      <form onSubmit={(e) => { e.preventDefault(); onChoose(method, naming ? name : undefined) }} aria-labelledby="wizard-title" noValidate>
        <FormError message={errors.formError} ref={errors.alertRef} />
        <fieldset className="choice-list">
          <legend>Method</legend>
          {choices.map((m, i) => (
            <label key={m} className="choice">
              <input type="radio" name="method" value={m} checked={method === m} autoFocus={i === 0} onChange={() => setMethod(m)} />
              <span>
                <strong>{METHOD_LABELS[m]}</strong>
                {CHOICE_HINTS[m]}
              </span>
            </label>
          ))}
        </fieldset>
        {naming && (
          <Field label="Name of this app" name="name" autoComplete="off" maxLength={40} value={name} onChange={(e) => setName(e.target.value)}
            hint='To tell it from the app you have, like "tablet" or "work phone".' error={errors.fieldErrors.name} ref={errors.fieldRef('name')} />
        )}
        <button type="submit" className="button button--primary" disabled={busy}>
          Continue
        </button>
      </form>
      {cancelLink}
    </CardPage>
  )
}

/** The authenticator app's page: install, scan (or type the key), enter the code. */
function ScanPage({ step, codeForm, cancelLink }: { step: Extract<EnrolStep, { step: 'scan' }>; codeForm: ReactNode; cancelLink: ReactNode }) {
  return (
    <CardPage title="Set up your authenticator app" titleId="wizard-title" wide>
      <ol className="steps">
        <li>
          <h2>Install an authenticator app</h2>
          <p>On your phone, install one if you have none yet: {APPS.join(', ')} or any app that supports time-based codes.</p>
        </li>
        <li>
          <h2>Scan this QR code</h2>
          <p>In the app, choose to add an account, then scan the code.</p>
          <ScanQr step={step} />
        </li>
        <li>
          <h2>Enter the code the app shows</h2>
          {codeForm}
        </li>
      </ol>
      {cancelLink}
    </CardPage>
  )
}

/** Setup from the method to the recovery codes; each page is one step the engine answered with. */
type WizardProps = {
  allowedMethods: Method[]
  /** The methods the person holds already (adding one more): those but apps are not offered again. */
  held?: Method[]
  pendingToken?: boolean
  onCancel: () => void
  onDone: () => void
}

export function SetupWizard({ allowedMethods, held = [], pendingToken = false, onCancel, onDone }: WizardProps) {
  const choices = allowedMethods.filter((m) => SELF_SERVICE_METHODS.includes(m) && (m === 'totp' || !held.includes(m)))
  const [step, setStep] = useState<EnrolStep | null>(null)
  const errors = useFormErrors(['code', 'name'] as const)
  const start = useApiMutation('enrol:start')
  const verifyEmail = useApiMutation('enrol:verify-email')
  const resend = useApiMutation('enrol:resend-email')
  const confirm = useApiMutation('enrol:confirm')
  const complete = useApiMutation('enrol:complete', { invalidates: ['app:status', 'account:two-factor'] })
  const cancel = useApiMutation('enrol:cancel')

  const next = (s: EnrolStep) => {
    errors.clear()
    setStep(s)
  }
  const leave = () => cancel.mutate({}, { onSettled: onCancel })
  // A token from the help desk: straight to its first code.
  const askedToken = useRef(false)
  useEffect(() => {
    if (!pendingToken || askedToken.current) return
    askedToken.current = true
    start.mutate({ method: 'token' }, { onSuccess: next, onError: errors.showError })
  })

  const cancelLink = (
    <div className="secondary-links">
      <LinkButton onClick={leave}>Cancel setup</LinkButton>
    </div>
  )
  const choose = (method: Method, name?: string) => {
    errors.clear()
    start.mutate({ method, ...(name === undefined ? {} : { name }) }, { onSuccess: next, onError: errors.showError })
  }
  if (!step) return <ChooseMethod choices={choices} nameApp={held.includes('totp')} busy={start.isPending} errors={errors} cancelLink={cancelLink} onChoose={choose} />
  if (step.step === 'register-key') return <RegisterKey options={step.options} onRegistered={next} onCancel={leave} />
  if (step.step === 'added') {
    return (
      <CardPage title={`${METHOD_LABELS[step.method]} added`} titleId="wizard-title">
        <p className="lead">
          {step.name ? `“${step.name}” works` : 'It works'}: you can log in with it from now on, or with any of your other methods. Your recovery codes stay as they were.
        </p>
        <FormError message={errors.formError} ref={errors.alertRef} />
        <button type="button" className="button button--primary" autoFocus disabled={complete.isPending} onClick={() => complete.mutate({}, { onSuccess: onDone, onError: errors.showError })}>
          Done
        </button>
      </CardPage>
    )
  }
  if (step.step === 'recovery-codes') {
    return (
      <CardPage title="Save your recovery codes" titleId="wizard-title" wide>
        <RecoveryCodes step={step} completeLabel="Complete" busy={complete.isPending} onComplete={() => complete.mutate({}, { onSuccess: onDone, onError: errors.showError })} />
        <FormError message={errors.formError} ref={errors.alertRef} />
        {cancelLink}
      </CardPage>
    )
  }

  const onCode = (code: string, refused: () => void) => {
    errors.clear()
    const onError = (e: Error) => { refused(); errors.showError(e) }
    if (step.step === 'verify-email') verifyEmail.mutate({ code }, { onSuccess: next, onError })
    else confirm.mutate({ code }, { onSuccess: next, onError })
  }
  const codeForm = (label: string, hint: ReactNode) => (
    <CodeForm key={step.step} label={label} hint={hint} autoFocus={step.step !== 'scan'} busy={confirm.isPending || verifyEmail.isPending} errors={errors} onCode={onCode} labelledBy="wizard-title" />
  )

  if (step.step === 'verify-email' || step.step === 'email-code') {
    return (
      <CardPage title={step.step === 'verify-email' ? 'First, confirm your e-mail address' : 'Enter the code from your e-mail'} titleId="wizard-title">
        <Notice tone="ok">We sent a 6-digit code to {step.maskedEmail}.</Notice>
        {codeForm('Code from the e-mail', 'The code works for 5 minutes.')}
        <div className="secondary-links">
          <LinkButton onClick={() => resend.mutate({}, { onError: errors.showError })} disabled={resend.isPending}>
            Send a new code
          </LinkButton>
          <LinkButton onClick={leave}>Cancel setup</LinkButton>
        </div>
      </CardPage>
    )
  }
  if (step.step === 'token-code') {
    return (
      <CardPage title="Confirm your hardware token" titleId="wizard-title">
        <p className="lead">The help desk gave you the token with serial number <strong>{step.serial}</strong>.</p>
        <p>Press its button and enter the {step.digits} digits it shows. From now on you log in with a code from this token.</p>
        {codeForm(`${step.digits}-digit code from the token`, undefined)}
        {cancelLink}
      </CardPage>
    )
  }
  return <ScanPage step={step} codeForm={codeForm('6-digit code from the app', <CodeCountdown />)} cancelLink={cancelLink} />
}
