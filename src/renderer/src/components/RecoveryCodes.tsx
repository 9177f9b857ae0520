import { useState } from 'react'
import type { EnrolStep } from '../../../shared/dto'
import { downloadText } from './download'

type Codes = Extract<EnrolStep, { step: 'recovery-codes' }>

function asText(s: Codes): string {
  return [
    `${s.issuer} recovery codes`,
    `Account: ${s.account}`,
    `Created: ${new Date(s.issuedAt).toLocaleString()}`,
    '',
    ...s.codes,
    '',
    'Each code works once, instead of a code from your authenticator app.',
    'Keep them somewhere safe, apart from your phone.',
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

  function download() {
    downloadText(`${step.issuer.replace(/[^A-Za-z0-9-]+/g, '-')}-recovery-codes.txt`, asText(step), 'text/plain;charset=utf-8')
    setStatus('Downloaded.')
  }

  return (
    <div className="recovery">
      <p className="lead">
        If you lose your phone, each of these codes lets you log in once. This is the only time they are shown: save them now, somewhere apart from
        your phone.
      </p>
      <div className="print-area">
        <p className="print-only">
          {step.issuer} recovery codes for {step.account}
        </p>
        <ol className="codes" aria-label="Recovery codes">
          {step.codes.map((c) => (
            <li key={c}>
              <code>{c}</code>
            </li>
          ))}
        </ol>
      </div>
      <div className="actions">
        <button
          type="button"
          className="button"
          onClick={() =>
            void navigator.clipboard.writeText(asText(step)).then(
              () => setStatus('Copied to the clipboard.'),
              () => setStatus('Copying failed: download or print the codes instead.')
            )
          }
        >
          Copy
        </button>
        <button type="button" className="button" onClick={download}>
          Download (.txt)
        </button>
        <button type="button" className="button" onClick={() => window.print()}>
          Print
        </button>
        <span role="status" className="action-status">
          {status}
        </span>
      </div>
      <label className="choice choice--confirm">
        <input type="checkbox" checked={saved} onChange={(e) => setSaved(e.target.checked)} />
        <span>I have saved these codes</span>
      </label>
      <button type="button" className="button button--primary" disabled={!saved || busy} onClick={onComplete}>
        {completeLabel}
      </button>
    </div>
  )
}
