import { useEffect, useRef, useState, type ReactNode } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import type { EnrolRequirement, EnrolStep, SessionInfo } from '../../../shared/dto'
import { SELF_SERVICE_METHODS, type Method } from '../../../shared/policy'
import { METHOD_WORDS } from '../../../shared/i18n/labels'
import type { MessageId, Translator } from '../../../shared/i18n/translate'
import { useApiMutation } from '../api/hooks'
import { useLogout } from '../api/session'
import { CodeCountdown } from '../components/CodeCountdown'
import { CodeForm } from '../components/CodeForm'
import { Field, FormError } from '../components/forms'
import { RecoveryCodes } from '../components/RecoveryCodes'
import { CardPage, LinkButton, Notice } from '../components/ui'
import { ScanQr } from '../components/ScanQr'
import { useFormErrors } from '../components/use-form-errors'
import { useT } from '../i18n'
import { RegisterKey } from './SecurityKey'

const APPS = ['Google Authenticator', 'Microsoft Authenticator', 'Authy', '2FAS']

/** A method a person sets up themselves (a hardware token is handed out by the help desk). */
type SelfService = Exclude<Method, 'token'>
const isSelfService = (m: Method): m is SelfService => SELF_SERVICE_METHODS.includes(m)

const CHOICE_HINTS = {
  totp: 'setup.choose.hint.totp',
  email: 'setup.choose.hint.email',
  webauthn: 'setup.choose.hint.webauthn'
} as const satisfies Record<SelfService, MessageId>

const REASONS = {
  policy: 'setup.required.reason.policy',
  reset: 'setup.required.reason.reset',
  staff: 'setup.required.reason.staff',
  chosen: 'setup.required.reason.chosen',
  token: 'setup.required.reason.token',
  'method-required': 'setup.required.reason.method-required'
} as const satisfies Record<EnrolRequirement['reason'], MessageId>

/** What to have at hand before setting up each method, in its own words. */
const AT_HAND = {
  totp: 'setup.required.atHand.totp',
  email: 'setup.required.atHand.email',
  webauthn: 'setup.required.atHand.webauthn'
} as const satisfies Record<SelfService, MessageId>

/** "Set up an authenticator app": the title when the policy requires that one method. */
const SET_UP_ONE = {
  totp: 'setup.required.titleFor.totp',
  email: 'setup.required.titleFor.email',
  webauthn: 'setup.required.titleFor.webauthn',
  token: 'setup.required.titleFor.token'
} as const satisfies Record<Method, MessageId>

/** "That is an authenticator app: set one up…", once the policy requires that one method. */
const ONLY = {
  totp: 'setup.required.only.totp',
  email: 'setup.required.only.email',
  webauthn: 'setup.required.only.webauthn'
} as const satisfies Record<SelfService, MessageId>

/** The sentence that says what this setup needs: the method required, or the choices. */
function whatYouNeed(words: Translator, requirement: EnrolRequirement): string {
  const choices = requirement.allowedMethods.filter(isSelfService)
  if (requirement.reason === 'method-required' && requirement.allowedMethods.length === 1) {
    const m = requirement.allowedMethods[0]!
    if (!isSelfService(m)) return words.t('setup.required.only.token')
    return words.t(ONLY[m], { need: words.t(AT_HAND[m]) })
  }
  const [a = '', b = '', c = ''] = choices.map((m) => words.t(AT_HAND[m]))
  if (choices.length >= 3) return words.t('setup.required.need.three', { a, b, c })
  if (choices.length === 2) return words.t('setup.required.need.two', { a, b })
  return words.t('setup.required.need.one', { a })
}

/** A message with an element in it (`<strong>` around a parameter): the text before it and after it. */
const around = (text: string, marker: string): [string, string] => {
  const at = text.indexOf(marker)
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + marker.length)]
}
const MARKER = '\u0000'

/** The login stops here until two-factor authentication is set up (or postponed, while allowed). */
export function SetupRequired({ requirement, session }: { requirement: EnrolRequirement; session: SessionInfo }) {
  const [started, setStarted] = useState(false)
  const client = useQueryClient()
  const logout = useLogout()
  const postpone = useApiMutation('enrol:postpone', { invalidates: ['app:status'] })
  const errors = useFormErrors([] as const)
  const words = useT()
  const t = words.t

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
    <CardPage title={requirement.reason === 'method-required' && requirement.allowedMethods.length === 1 ? t(SET_UP_ONE[requirement.allowedMethods[0]!]) : t('setup.required.title')} titleId="setup-title">
      <p className="lead">{t('setup.required.greeting', { name: session.user.displayName, reason: t(REASONS[requirement.reason]) })}</p>
      {requirement.tokenSerial ? (
        <p>{t('setup.required.tokenAtHand', { serial: requirement.tokenSerial })}</p>
      ) : (
        <p>{whatYouNeed(words, requirement)}</p>
      )}
      <FormError message={errors.formError} ref={errors.alertRef} />
      {(requirement.tokenSerial !== null || requirement.allowedMethods.some((m) => SELF_SERVICE_METHODS.includes(m))) && (
        <button type="button" className="button button--primary" autoFocus onClick={() => setStarted(true)}>
          {t('setup.required.start')}
        </button>
      )}
      {requirement.reason === 'policy' && (
        <p className="postpone">
          {left > 0 ? (
            <button type="button" className="button button--block" disabled={postpone.isPending} onClick={() => postpone.mutate({}, { onError: errors.showError })}>
              {t('setup.required.postpone', { left })}
            </button>
          ) : (
            <span>{t('setup.required.noPostponeLeft')}</span>
          )}
        </p>
      )}
      <div className="secondary-links">
        <LinkButton onClick={() => void logout()}>{t('setup.required.logOut')}</LinkButton>
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

type ChooseProps = { choices: SelfService[]; nameApp: boolean; busy: boolean; errors: Errors; onChoose: (m: Method, name?: string) => void; cancelLink: ReactNode }

/** The first page: which method (when the policy allows more than one); a second app gets a name. */
function ChooseMethod({ choices, nameApp, busy, errors, onChoose, cancelLink }: ChooseProps) {
  const t = useT().t
  const [method, setMethod] = useState<SelfService>(choices.includes('totp') ? 'totp' : choices[0] ?? 'totp')
  const [name, setName] = useState('')
  const naming = nameApp && method === 'totp'
  return (
    <CardPage title={nameApp ? t('setup.choose.titleAdd') : t('setup.choose.title')} titleId="wizard-title">
      <form onSubmit={(e) => { e.preventDefault(); onChoose(method, naming ? name : undefined) }} aria-labelledby="wizard-title" noValidate>
        <FormError message={errors.formError} ref={errors.alertRef} />
        <fieldset className="choice-list">
          <legend>{t('setup.choose.legend')}</legend>
          {choices.map((m, i) => (
            <label key={m} className="choice">
              <input type="radio" name="method" value={m} checked={method === m} autoFocus={i === 0} onChange={() => setMethod(m)} />
              <span>
                <strong>{t(METHOD_WORDS[m])}</strong>
                {t(CHOICE_HINTS[m])}
              </span>
            </label>
          ))}
        </fieldset>
        {naming && (
          <Field label={t('setup.choose.nameLabel')} name="name" autoComplete="off" maxLength={40} value={name} onChange={(e) => setName(e.target.value)}
            hint={t('setup.choose.nameHint')} error={errors.fieldErrors.name} ref={errors.fieldRef('name')} />
        )}
        <button type="submit" className="button button--primary" disabled={busy}>
          {t('setup.choose.continue')}
        </button>
      </form>
      {cancelLink}
    </CardPage>
  )
}

/** The authenticator app's page: install, scan (or type the key), enter the code. */
function ScanPage({ step, codeForm, cancelLink }: { step: Extract<EnrolStep, { step: 'scan' }>; codeForm: ReactNode; cancelLink: ReactNode }) {
  const t = useT().t
  return (
    <CardPage title={t('setup.app.title')} titleId="wizard-title" wide>
      <ol className="steps">
        <li>
          <h2>{t('setup.app.install.title')}</h2>
          <p>{t('setup.app.install.body', { apps: APPS.join(', ') })}</p>
        </li>
        <li>
          <h2>{t('setup.app.scan.title')}</h2>
          <p>{t('setup.app.scan.body')}</p>
          <ScanQr step={step} />
        </li>
        <li>
          <h2>{t('setup.app.code.title')}</h2>
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
  const t = useT().t
  const choices = allowedMethods.filter(isSelfService).filter((m) => m === 'totp' || !held.includes(m))
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
      <LinkButton onClick={leave}>{t('setup.wizard.cancel')}</LinkButton>
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
      <CardPage title={t('setup.added.title', { method: t(METHOD_WORDS[step.method]) })} titleId="wizard-title">
        <p className="lead">{step.name ? t('setup.added.bodyNamed', { name: step.name }) : t('setup.added.body')}</p>
        <FormError message={errors.formError} ref={errors.alertRef} />
        <button type="button" className="button button--primary" autoFocus disabled={complete.isPending} onClick={() => complete.mutate({}, { onSuccess: onDone, onError: errors.showError })}>
          {t('setup.added.done')}
        </button>
      </CardPage>
    )
  }
  if (step.step === 'recovery-codes') {
    return (
      <CardPage title={t('setup.codes.title')} titleId="wizard-title" wide>
        <RecoveryCodes step={step} completeLabel={t('setup.codes.complete')} busy={complete.isPending} onComplete={() => complete.mutate({}, { onSuccess: onDone, onError: errors.showError })} />
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
      <CardPage title={step.step === 'verify-email' ? t('setup.email.verifyTitle') : t('setup.email.codeTitle')} titleId="wizard-title">
        <Notice tone="ok">{t('setup.email.sent', { email: step.maskedEmail })}</Notice>
        {codeForm(t('setup.email.codeLabel'), t('setup.email.codeHint'))}
        <div className="secondary-links">
          <LinkButton onClick={() => resend.mutate({}, { onError: errors.showError })} disabled={resend.isPending}>
            {t('setup.email.resend')}
          </LinkButton>
          <LinkButton onClick={leave}>{t('setup.wizard.cancel')}</LinkButton>
        </div>
      </CardPage>
    )
  }
  if (step.step === 'token-code') {
    const [beforeSerial, afterSerial] = around(t('setup.token.lead', { serial: MARKER }), MARKER)
    return (
      <CardPage title={t('setup.token.title')} titleId="wizard-title">
        <p className="lead">{beforeSerial}<strong translate="no">{step.serial}</strong>{afterSerial}</p>
        <p>{t('setup.token.body', { digits: step.digits })}</p>
        {codeForm(t('setup.token.codeLabel', { digits: step.digits }), undefined)}
        {cancelLink}
      </CardPage>
    )
  }
  return <ScanPage step={step} codeForm={codeForm(t('setup.app.codeLabel'), <CodeCountdown />)} cancelLink={cancelLink} />
}
