import type { HeldMethod } from '../../../shared/dto'
import { heldMethodLabel } from '../../../shared/policy'
import { formatDateTime } from './ui'

/** One method a person holds, as My account and the help desk list it: what it is, asked first or not, its dates. */
export function HeldMethodSummary({ method: m, showDefault }: { method: HeldMethod; showDefault: boolean }) {
  return (
    <span>
      <strong>{heldMethodLabel(m)}</strong>
      {m.isDefault && showDefault && <span className="badge badge--ok">Asked first</span>}
      <br />
      <span className="field__hint">
        Set up {formatDateTime(m.activatedAt)} · {m.lastUsedAt ? `last used ${formatDateTime(m.lastUsedAt)}` : 'not used yet'}
      </span>
    </span>
  )
}
