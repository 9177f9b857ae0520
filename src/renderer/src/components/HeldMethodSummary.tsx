import type { HeldMethod } from '../../../shared/dto'
import { heldMethodWords } from '../../../shared/i18n/labels'
import { useT } from '../i18n'
import { formatDateTime } from './ui'

/** One method a person holds, as My account and the help desk list it: what it is, asked first or not, its dates. */
export function HeldMethodSummary({ method: m, showDefault }: { method: HeldMethod; showDefault: boolean }) {
  const words = useT()
  const t = words.t
  return (
    <span>
      <strong>{heldMethodWords(words, m)}</strong>
      {m.isDefault && showDefault && <span className="badge badge--ok">{t('setup.held.default')}</span>}
      <br />
      <span className="field__hint">
        {m.lastUsedAt
          ? t('setup.held.dates', { activated: formatDateTime(m.activatedAt), lastUsed: formatDateTime(m.lastUsedAt) })
          : t('setup.held.datesUnused', { activated: formatDateTime(m.activatedAt) })}
      </span>
    </span>
  )
}
