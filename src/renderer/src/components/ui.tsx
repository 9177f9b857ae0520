import { currentWords, LanguageMenu } from '../i18n'
import type { ReactNode } from 'react'

/** The centred card most signed-out and setup screens use. */
export function CardPage({ title, titleId, children, wide = false }: { title: string; titleId: string; children: ReactNode; wide?: boolean }) {
  return (
    <main className="card-page">
      <section className={wide ? 'card card--wide' : 'card'} aria-labelledby={titleId}>
        <div className="card__head">
          <p className="brand" translate="no">Tessera</p>
          <LanguageMenu />
        </div>
        <h1 id={titleId} tabIndex={-1}>
          {title}
        </h1>
        {children}
      </section>
    </main>
  )
}

/** A message that is not an error: announced politely. Tone sets the colour; the text says it all. */
export function Notice({ tone = 'info', children }: { tone?: 'info' | 'ok' | 'warn'; children: ReactNode }) {
  return (
    <div className={`notice notice--${tone}`} role="status">
      {children}
    </div>
  )
}

/** A button that looks like a link, for secondary choices ("Use a recovery code"). */
export function LinkButton({ onClick, children, disabled }: { onClick: () => void; children: ReactNode; disabled?: boolean }) {
  return (
    <button type="button" className="link-button" onClick={onClick} disabled={disabled}>
      {children}
    </button>
  )
}

/** Times and dates in the screen's language (its `Intl` formats). */
export function formatTime(ms: number): string {
  return currentWords().intl.formatTime(ms, { hour: '2-digit', minute: '2-digit' })
}

export function formatDateTime(ms: number | null): string {
  if (ms === null) return '—'
  return currentWords().intl.formatDate(ms, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' })
}

/** For table cells: "22 Nov, 14:05". */
export function formatShortDateTime(ms: number | null): string {
  if (ms === null) return '—'
  return currentWords().intl.formatDate(ms, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' })
}
