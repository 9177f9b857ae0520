import { useEffect, useState } from 'react'
import { useT } from '../i18n'

const PERIOD_S = 30

/** "Codes change every 30 seconds", with a quiet bar showing how long the current one lasts. */
export function CodeCountdown() {
  const words = useT()
  const [left, setLeft] = useState(() => PERIOD_S - (Math.floor(Date.now() / 1000) % PERIOD_S))
  useEffect(() => {
    const timer = window.setInterval(() => setLeft(PERIOD_S - (Math.floor(Date.now() / 1000) % PERIOD_S)), 1000)
    return () => window.clearInterval(timer)
  }, [])
  return (
    <div className="countdown">
      <span>{words.t('secondStep.countdown.period')}</span>{' '}
      <span aria-hidden="true" className="countdown__left">
        {words.t('secondStep.countdown.left', { left })}
      </span>
      <span className="countdown__bar" aria-hidden="true">
        <span style={{ width: `${(left / PERIOD_S) * 100}%` }} />
      </span>
    </div>
  )
}
