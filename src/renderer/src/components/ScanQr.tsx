/** The QR code of a new authenticator-app account, with the key to type where scanning is not possible. */
import { useState } from 'react'
import type { EnrolStep } from '../../../shared/dto'
import { useT } from '../i18n'

export function ScanQr({ step }: { step: Extract<EnrolStep, { step: 'scan' }> }) {
  const [showKey, setShowKey] = useState(false)
  const [copied, setCopied] = useState(false)
  const t = useT().t
  return (
    <>
      <img className="qr" src={step.qrDataUrl} width={220} height={220} alt={t('setup.scanQr.alt', { issuer: step.issuer, account: step.account })} />
      <p>
        <button type="button" className="link-button" aria-expanded={showKey} aria-controls="manual-key" onClick={() => setShowKey((v) => !v)}>
          {t('setup.scanQr.unable')}
        </button>
      </p>
      {showKey && (
        <div id="manual-key" className="manual-key">
          <p>{t('setup.scanQr.enterKey')}</p>
          <dl>
            <dt>{t('setup.scanQr.account')}</dt>
            <dd translate="no">{step.account}</dd>
            <dt>{t('setup.scanQr.key')}</dt>
            <dd>
              <code className="key" translate="no" aria-label={t('setup.scanQr.keyLabel', { key: step.key.split(' ').join(', ') })}>{step.key}</code>{' '}
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
                {t('setup.scanQr.copyKey')}
              </button>
              {copied && <span role="status"> {t('setup.scanQr.copied')}</span>}
            </dd>
            <dt>{t('setup.scanQr.keyType')}</dt>
            <dd>{t('setup.scanQr.timeBased')}</dd>
          </dl>
        </div>
      )}
    </>
  )
}
