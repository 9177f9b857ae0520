import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react'
import { call } from '../api/client'
import { useLogout } from '../api/session'
import { useT } from '../i18n'
import { UnsavedChanges } from './unsaved'

/** The warning shows this long before the session ends (or a third of the timeout if shorter). */
const WARNING_MS = 60_000
const ACTIVITY_EVENTS = ['keydown', 'pointerdown', 'wheel', 'touchstart'] as const
/** Where the countdown (in bold) goes in its sentence. */
const COUNTDOWN = '\u0001'

/**
 * Ends an unattended session: after `timeoutMs` without keyboard or pointer activity the user is
 * logged out, with a visible, announced warning first. Activity keeps the main-process session
 * alive too (it expires on its own clock).
 */
export function IdleGuard({ timeoutMs, children }: { timeoutMs: number; children: ReactNode }) {
  const words = useT()
  const { t } = words
  const logout = useLogout()
  const lastActivity = useRef(Date.now())
  const lastPing = useRef(Date.now())
  const [remaining, setRemaining] = useState<number | null>(null)
  const stayButton = useRef<HTMLButtonElement>(null)
  const warnAt = Math.min(WARNING_MS, timeoutMs / 3)
  const [unsaved, setUnsaved] = useState<Record<string, string>>({})
  const report = useCallback((key: string, what: string | null) => {
    setUnsaved((u) => {
      if ((u[key] ?? null) === what) return u
      const { [key]: _gone, ...rest } = u
      return what === null ? rest : { ...rest, [key]: what }
    })
  }, [])
  const unsavedWhat = [...new Set(Object.values(unsaved).map((what) => words.sayText(what)))]

  useEffect(() => {
    const onActivity = () => {
      lastActivity.current = Date.now()
      // Tell the main process at most every third of the timeout.
      if (Date.now() - lastPing.current > timeoutMs / 3) {
        lastPing.current = Date.now()
        void call('app:status', {}).catch(() => undefined)
      }
    }
    for (const e of ACTIVITY_EVENTS) window.addEventListener(e, onActivity, { passive: true, capture: true })
    const timer = window.setInterval(() => {
      const left = timeoutMs - (Date.now() - lastActivity.current)
      if (left <= 0) {
        window.clearInterval(timer)
        void logout()
      } else setRemaining(left <= warnAt ? left : null)
    }, 1000)
    return () => {
      window.clearInterval(timer)
      for (const e of ACTIVITY_EVENTS) window.removeEventListener(e, onActivity, { capture: true })
    }
  }, [timeoutMs, warnAt, logout])

  const warning = remaining !== null
  const [beforeCountdown, afterCountdown] = t('account.idle.loggedOutIn', { time: COUNTDOWN }).split(COUNTDOWN)
  useEffect(() => {
    if (warning) stayButton.current?.focus()
  }, [warning])

  return (
    <>
      {/* While the warning is up, the screen behind it cannot be reached by keyboard or pointer. */}
      <div inert={warning} className="idle-guard__content">
        <UnsavedChanges value={report}>{children}</UnsavedChanges>
      </div>
      {warning && (
        <div className="idle-warning" role="alertdialog" aria-modal="true" aria-labelledby="idle-title" aria-describedby="idle-text">
          <div className="idle-warning__box">
            <h2 id="idle-title">{t('account.idle.title')}</h2>
            <p id="idle-text">
              {beforeCountdown}
              <strong>{t('account.idle.seconds', { count: Math.ceil(remaining / 1000) })}</strong>
              {afterCountdown}{' '}
              {unsavedWhat.length > 0 ? (
                <strong className="warn-text">{t('account.idle.unsaved', { what: words.intl.formatList(unsavedWhat, { type: 'conjunction' }) })}</strong>
              ) : (
                t('account.idle.lost')
              )}
            </p>
            <div className="actions">
              <button ref={stayButton} type="button" className="button button--primary button--inline" onClick={() => {
                  lastActivity.current = Date.now()
                  setRemaining(null)
                }}>
                {t('account.idle.stay')}
              </button>
              <button type="button" className="button" onClick={() => void logout()}>
                {t('account.idle.logOutNow')}
              </button>
            </div>
          </div>
        </div>
      )}
    </>
  )
}
