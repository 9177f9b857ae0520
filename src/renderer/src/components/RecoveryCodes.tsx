import { useState } from 'react'
import type { EnrolStep } from '../../../shared/dto'
import type { Translator } from '../../../shared/i18n/translate'
import { useT } from '../i18n'
import { downloadText } from './download'

type Codes = Extract<EnrolStep, { step: 'recovery-codes' }>

function asText(words: Translator, s: Codes): string {
  return [
    words.t('setup.recovery.file.title', { issuer: s.issuer }),
    words.t('setup.recovery.file.account', { account: s.account }),
    words.t('setup.recovery.file.created', { date: words.date(s.issuedAt) }),
    '',
    ...s.codes,
    '',
    words.t('setup.recovery.file.once'),
    words.t('setup.recovery.file.keep'),
    ''
  ].join('\n')
}

/**
 * The recovery codes, shown once: copy, download as .txt or print, then "I have saved these codes"
 * before the button that finishes.
 */
export function RecoveryCodes({ step, onComplete, completeLabel, busy }: { step: Codes; onComplete: () => void; completeLabel: string; busy: boolean }) {
  const [saved, setSaved] = useState(false)
  const [status, setStatus] = useState('')
  const words = useT()
  const t = words.t

  function download() {
    downloadText(`${step.issuer.replace(/[^A-Za-z0-9-]+/g, '-')}-recovery-codes.txt`, asText(words, step), 'text/plain;charset=utf-8')
    setStatus(t('setup.recovery.downloaded'))
  }

  return (
    <div className="recovery">
      <p className="lead">{t('setup.recovery.lead')}</p>
      <div className="print-area">
        <p className="print-only">{t('setup.recovery.printTitle', { issuer: step.issuer, account: step.account })}</p>
        <ol className="codes" aria-label={t('setup.recovery.listLabel')}>
          {step.codes.map((c) => (
            <li key={c}>
              <code translate="no">{c}</code>
            </li>
          ))}
        </ol>
      </div>
      <div className="actions">
        <button
          type="button"
          className="button"
          onClick={() =>
            void navigator.clipboard.writeText(asText(words, step)).then(
              () => setStatus(t('setup.recovery.copied')),
              () => setStatus(t('setup.recovery.copyFailed'))
            )
          }
        >
          {t('setup.recovery.copy')}
        </button>
        <button type="button" className="button" onClick={download}>
          {t('setup.recovery.download')}
        </button>
        <button type="button" className="button" onClick={() => window.print()}>
          {t('setup.recovery.print')}
        </button>
        <span role="status" className="action-status">
          {status}
        </span>
      </div>
      <label className="choice choice--confirm">
        <input type="checkbox" checked={saved} onChange={(e) => setSaved(e.target.checked)} />
        <span>{t('setup.recovery.saved')}</span>
      </label>
      <button type="button" className="button button--primary" disabled={!saved || busy} onClick={onComplete}>
        {completeLabel}
      </button>
    </div>
  )
}
