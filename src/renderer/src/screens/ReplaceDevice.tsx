/**
 * "Move to a new phone" in My account: a code from the app on the old phone proves it is them;
 * the new phone scans its own QR code and confirms with its first code, and only then replaces
 * the old one (which keeps working until that moment). No help-desk call, even when 2FA is
 * mandatory; a lost phone goes through the help desk instead.
 */
import { useState } from 'react'
import type { EnrolStep } from '../../../shared/dto'
import { useApiMutation } from '../api/hooks'
import { CodeForm } from '../components/CodeForm'
import { ScanQr } from '../components/ScanQr'
import { useFormErrors } from '../components/use-form-errors'
import { around, MARK, useT } from '../i18n'

type Scan = Extract<EnrolStep, { step: 'scan' }>


export function ReplaceDevice({ onClose }: { onClose: (message?: string) => void }) {
  const [scan, setScan] = useState<Scan | null>(null)
  const errors = useFormErrors(['code'] as const)
  const start = useApiMutation('account:replace-device-start')
  const confirm = useApiMutation('account:replace-device-confirm', { invalidates: ['account:two-factor'] })
  const cancel = () => onClose()
  const words = useT()

  if (!scan) {
    return (
      <div className="subform" role="region" aria-label={words.t('secondStep.replace.region')}>
        <p>{around(words.t('secondStep.replace.prove', { current: MARK }), <strong>{words.t('secondStep.replace.prove.current')}</strong>)}</p>
        <CodeForm label={words.t('secondStep.replace.currentCode')} hint={words.t('secondStep.replace.currentCodeHint')} busy={start.isPending} submitLabel={words.t('secondStep.replace.continue')} errors={errors} onCancel={cancel}
          onCode={(code) => start.mutate({ code }, { onSuccess: (s) => { errors.clear(); if (s.step === 'scan') setScan(s) }, onError: errors.showError })} />
      </div>
    )
  }
  return (
    <div className="subform" role="region" aria-label={words.t('secondStep.replace.region')}>
      <p>{around(words.t('secondStep.replace.scan', { new: MARK }), <strong>{words.t('secondStep.replace.scan.new')}</strong>)}</p>
      <ScanQr step={scan} />
      <CodeForm label={words.t('secondStep.replace.newCode')} hint={words.t('secondStep.replace.newCodeHint')} busy={confirm.isPending} submitLabel={words.t('secondStep.replace.submit')}
        errors={errors} onCancel={cancel}
        onCode={(code) => confirm.mutate({ code }, { onSuccess: () => onClose(words.t('secondStep.replace.done')), onError: errors.showError })} />
    </div>
  )
}
