/**
 * The directory's rows: a virtualised table (only the rows in view exist, see scaled-rows.ts) with
 * a box to tick each row for a bulk action, sortable headers, and a button opening each user.
 */
import type { UserListRow } from '../../../shared/admin-dto'
import type { Input } from '../../../shared/contract'
import { ROLE_WORDS } from '../../../shared/i18n/labels'
import type { MessageId } from '../../../shared/i18n/translate'
import type { useScaledRows } from '../components/scaled-rows'
import { formatShortDateTime } from '../components/ui'
import { useT } from '../i18n'
import { StatusBadge } from './StatusBadge'

export const ROW_HEIGHT = 48
export type Sort = Input<'users:list'>['sort']

const COLUMNS = [
  { key: 'displayName', label: 'users.field.name' },
  { key: 'username', label: 'users.grid.username' },
  { key: 'email', label: 'users.grid.email' },
  { key: 'role', label: 'users.field.role' },
  { key: 'status', label: 'users.grid.status' },
  { key: null, label: 'users.grid.codes', spoken: 'users.grid.codesSpoken' },
  { key: 'lastLogin', label: 'users.grid.lastLogin' }
] as const satisfies readonly { key: Sort | null; label: MessageId; spoken?: MessageId }[]

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
  const words = useT()
  return (
    <div className="grid__head" role="rowgroup">
      <div className="grid__row" role="row" aria-rowindex={1}>
        <div role="columnheader" className="grid__cell" aria-label={words.t('users.grid.selectedColumn')} />
        {COLUMNS.map((col) => ({ col, spoken: 'spoken' in col ? words.t(col.spoken) : undefined })).map(({ col, spoken }) => (
          <div key={col.label} role="columnheader" className="grid__cell" aria-label={spoken} title={spoken}
            aria-sort={col.key && sort === col.key ? (descending ? 'descending' : 'ascending') : undefined}>
            {col.key ? (
              <button type="button" className="sort-button" onClick={() => onSort(col.key!)}>
                {words.t(col.label)}
                <span aria-hidden="true">{sort === col.key ? (descending ? ' ▼' : ' ▲') : ''}</span>
              </button>
            ) : (
              words.t(col.label)
            )}
          </div>
        ))}
      </div>
    </div>
  )
}

function Cells({ row, onOpen, ticked, onTick, postponementsAllowed }: { row: UserListRow } & Pick<Props, 'onOpen' | 'ticked' | 'onTick' | 'postponementsAllowed'>) {
  const words = useT()
  return (
    <>
      <div role="cell" className="grid__cell grid__cell--tick">
        <input type="checkbox" checked={ticked.has(row.id)} onChange={(e) => onTick(row.id, e.target.checked)} aria-label={words.t('users.grid.select', { name: row.displayName })} />
      </div>
      <div role="cell" className="grid__cell">
        <button type="button" className="link-button grid__open" data-user-id={row.id} onClick={() => onOpen(row.id)} aria-label={words.t('users.grid.open', { name: row.displayName })} title={row.displayName} translate="no">
          {row.displayName}
        </button>
      </div>
      <div role="cell" className="grid__cell" title={row.username} translate="no">{row.username}</div>
      <div role="cell" className="grid__cell" title={row.email} translate="no">{row.email}</div>
      <div role="cell" className="grid__cell">{words.t(ROLE_WORDS[row.role])}</div>
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
  const words = useT()
  return (
    <div className="grid" role="table" aria-label={words.t('users.title')} aria-rowcount={total + 1}>
      <Header sort={p.sort} descending={p.descending} onSort={p.onSort} />
      <div ref={list.ref} className="grid__body" role="rowgroup" tabIndex={0} aria-label={words.t('users.grid.scrollHelp')} onScroll={list.onScroll} onKeyDown={list.onKeyDown}>
        <div style={{ height: list.spacerHeight, position: 'relative' }}>
          {list.rows.map((item) => {
            const row = p.rowAt(item.index)
            return (
              <div key={item.index} role="row" aria-rowindex={item.index + 2} className={row?.id === p.open ? 'grid__row grid__row--selected' : 'grid__row'}
                style={{ position: 'absolute', top: 0, transform: `translateY(${item.top}px)`, height: ROW_HEIGHT, width: '100%' }}>
                {row ? <Cells row={row} onOpen={p.onOpen} ticked={p.ticked} onTick={p.onTick} postponementsAllowed={p.postponementsAllowed} /> : <div role="cell" className="grid__cell grid__cell--loading">{words.t('common.loading')}</div>}
              </div>
            )
          })}
        </div>
        {p.empty && <p className="empty">{words.t('users.grid.noMatch')}</p>}
      </div>
    </div>
  )
}
