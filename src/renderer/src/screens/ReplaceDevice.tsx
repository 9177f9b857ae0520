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

type Scan = Extract<EnrolStep, { step: 'scan' }>

export function ReplaceDevice({ onClose }: { onClose: (message?: string) => void }) {
  const [scan, setScan] = useState<Scan | null>(null)
  const errors = useFormErrors(['code'] as const)
  const start = useApiMutation('account:replace-device-start')
  const confirm = useApiMutation('account:replace-device-confirm', { invalidates: ['account:two-factor'] })
  const cancel = () => onClose()

  if (!scan) {
    return (
      <div className="subform" role="region" aria-label="Move to a new phone">
        <p>Have both phones at hand. First, prove it is you with the app on your <strong>current</strong> phone.</p>
        <CodeForm label="Code from your current phone" hint="The 6 digits your authenticator app shows now." busy={start.isPending} submitLabel="Continue" errors={errors} onCancel={cancel}
          onCode={(code) => start.mutate({ code }, { onSuccess: (s) => { errors.clear(); if (s.step === 'scan') setScan(s) }, onError: errors.showError })} />
      </div>
    )
  }
  return (
    <div className="subform" role="region" aria-label="Move to a new phone">
      <p>On your <strong>new</strong> phone, add an account in the authenticator app and scan this code. Your current phone keeps working until the new one is confirmed.</p>
      <ScanQr step={scan} />
      <CodeForm label="Code from your new phone" hint="Once it is accepted, the old phone's codes stop working. Your recovery codes stay the same." busy={confirm.isPending} submitLabel="Use the new phone"
        errors={errors} onCancel={cancel}
        onCode={(code) => confirm.mutate({ code }, { onSuccess: () => onClose('Your new phone is now your authenticator app. Remove Tessera from the old one.'), onError: errors.showError })} />
    </div>
  )
}
