/**
 * The directory's rows: a virtualised table (only the rows in view exist, see scaled-rows.ts) with
 * a box to tick each row for a bulk action, sortable headers, and a button opening each user.
 */
import type { UserListRow } from '../../../shared/admin-dto'
import type { Input } from '../../../shared/contract'
import { ROLE_LABELS } from '../../../shared/dto'
import type { useScaledRows } from '../components/scaled-rows'
import { formatShortDateTime } from '../components/ui'
import { StatusBadge } from './StatusBadge'

export const ROW_HEIGHT = 48
export type Sort = Input<'users:list'>['sort']

const COLUMNS: { key: Sort | null; label: string; spoken?: string }[] = [
  { key: 'displayName', label: 'Name' },
  { key: 'username', label: 'Username' },
  { key: 'email', label: 'E-mail' },
  { key: 'role', label: 'Role' },
  { key: 'status', label: '2FA status' },
  { key: null, label: 'Codes', spoken: 'Recovery codes left' },
  { key: 'lastLogin', label: 'Last login' }
]

type Props = {
  total: number
  list: ReturnType<typeof useScaledRows>
  rowAt: (i: number) => UserListRow | undefined
  sort: Sort
  descending: boolean
  onSort: (key: Sort) => void
  open: number | null
  onOpen: (id: number) => void
  ticked: ReadonlySet<number>
  onTick: (id: number, on: boolean) => void
  postponementsAllowed: number
  empty: boolean
}

function Header({ sort, descending, onSort }: Pick<Props, 'sort' | 'descending' | 'onSort'>) {
  return (
    <div className="grid__head" role="rowgroup">
      <div className="grid__row" role="row" aria-rowindex={1}>
        <div role="columnheader" className="grid__cell" aria-label="Selected for an action" />
        {COLUMNS.map((col) => (
          <div key={col.label} role="columnheader" className="grid__cell" aria-label={col.spoken} title={col.spoken}
            aria-sort={col.key && sort === col.key ? (descending ? 'descending' : 'ascending') : undefined}>
            {col.key ? (
              <button type="button" className="sort-button" onClick={() => onSort(col.key!)}>
                {col.label}
                <span aria-hidden="true">{sort === col.key ? (descending ? ' ▼' : ' ▲') : ''}</span>
              </button>
            ) : (
              col.label
            )}
          </div>
        ))}
      </div>
    </div>
  )
}

function Cells({ row, onOpen, ticked, onTick, postponementsAllowed }: { row: UserListRow } & Pick<Props, 'onOpen' | 'ticked' | 'onTick' | 'postponementsAllowed'>) {
  return (
    <>
      <div role="cell" className="grid__cell grid__cell--tick">
        <input type="checkbox" checked={ticked.has(row.id)} onChange={(e) => onTick(row.id, e.target.checked)} aria-label={`Select ${row.displayName}`} />
      </div>
      <div role="cell" className="grid__cell">
        <button type="button" className="link-button grid__open" data-user-id={row.id} onClick={() => onOpen(row.id)} aria-label={`${row.displayName}: open details`} title={row.displayName}>
          {row.displayName}
        </button>
      </div>
      <div role="cell" className="grid__cell" title={row.username}>{row.username}</div>
      <div role="cell" className="grid__cell" title={row.email}>{row.email}</div>
      <div role="cell" className="grid__cell">{ROLE_LABELS[row.role]}</div>
      <div role="cell" className="grid__cell grid__cell--status">
        <StatusBadge row={row} postponementsAllowed={postponementsAllowed} />
      </div>
      <div role="cell" className="grid__cell">{row.method ? row.recoveryCodesLeft : '—'}</div>
      <div role="cell" className="grid__cell">{formatShortDateTime(row.lastLoginAt)}</div>
    </>
  )
}

export function UserGrid(p: Props) {
  const { total, list } = p
  return (
    <div className="grid" role="table" aria-label="Users" aria-rowcount={total + 1}>
      <Header sort={p.sort} descending={p.descending} onSort={p.onSort} />
      <div ref={list.ref} className="grid__body" role="rowgroup" tabIndex={0} aria-label="Users: Page Up, Page Down, Home and End scroll" onScroll={list.onScroll} onKeyDown={list.onKeyDown}>
        <div style={{ height: list.spacerHeight, position: 'relative' }}>
          {list.rows.map((item) => {
            const row = p.rowAt(item.index)
            return (
              <div key={item.index} role="row" aria-rowindex={item.index + 2} className={row?.id === p.open ? 'grid__row grid__row--selected' : 'grid__row'}
                style={{ position: 'absolute', top: 0, transform: `translateY(${item.top}px)`, height: ROW_HEIGHT, width: '100%' }}>
                {row ? <Cells row={row} onOpen={p.onOpen} ticked={p.ticked} onTick={p.onTick} postponementsAllowed={p.postponementsAllowed} /> : <div role="cell" className="grid__cell grid__cell--loading">Loading…</div>}
              </div>
            )
          })}
        </div>
        {p.empty && <p className="empty">No user matches.</p>}
      </div>
    </div>
  )
}
