/** The QR code of a new authenticator-app account, with the key to type where scanning is not possible. */
import { useState } from 'react'
import type { EnrolStep } from '../../../shared/dto'

export function ScanQr({ step }: { step: Extract<EnrolStep, { step: 'scan' }> }) {
  const [showKey, setShowKey] = useState(false)
  const [copied, setCopied] = useState(false)
  return (
    <>
      <img className="qr" src={step.qrDataUrl} width={220} height={220} alt={`QR code to add ${step.issuer} (${step.account}) to your authenticator app`} />
      <p>
        <button type="button" className="link-button" aria-expanded={showKey} aria-controls="manual-key" onClick={() => setShowKey((v) => !v)}>
          Unable to scan?
        </button>
      </p>
      {showKey && (
        <div id="manual-key" className="manual-key">
          <p>Choose “Enter a setup key” in the app and type:</p>
          <dl>
            <dt>Account</dt>
            <dd>{step.account}</dd>
            <dt>Key</dt>
            <dd>
              <code className="key" aria-label={`Key: ${step.key.split(' ').join(', ')}`}>{step.key}</code>{' '}
              <button
                type="button"
                className="button button--small"
                onClick={() =>
                  void navigator.clipboard.writeText(step.key.replace(/ /g, '')).then(
                    () => setCopied(true),
                    () => setCopied(false)
                  )
                }
              >
                Copy key
              </button>
              {copied && <span role="status"> Copied.</span>}
            </dd>
            <dt>Type of key</dt>
            <dd>Time-based</dd>
          </dl>
        </div>
      )}
    </>
  )
}
