import { useEffect, useMemo, useRef, useState } from 'react'
import { useIsFetching, useQueries } from '@tanstack/react-query'
import { USER_STATUSES, type StatusCounts, type UserListRow, type UserSource } from '../../../shared/admin-dto'
import type { Input } from '../../../shared/contract'
import type { SessionInfo } from '../../../shared/dto'
import { ROLE_WORDS, STATUS_WORDS } from '../../../shared/i18n/labels'
import { useT } from '../i18n'
import { call } from '../api/client'
import { AddUser } from './AddUser'
import { BulkActions } from './BulkActions'
import { ImportUsers } from './ImportUsers'
import { ROW_HEIGHT, UserGrid, type Sort } from './UserGrid'
import { UserDetail } from './UserDetail'
import { ExportButton } from '../components/Job'
import { useScaledRows } from '../components/scaled-rows'

type Query = Required<Pick<Input<'users:list'>, 'search' | 'status' | 'role' | 'source' | 'sort' | 'descending'>>

const PAGE = 100

/** The filter offers every status by its one name, in the directory's order (most urgent first). */
const STATUS_FILTERS = [['all', 'users.filter.allStatuses'], ...USER_STATUSES.map((st) => [st, STATUS_WORDS[st]] as const)] as const

/** The number of users in each status; each number filters the list by it (again: all). */
function Counts({ counts, status, onStatus }: { counts: StatusCounts; status: Query['status']; onStatus: (s: Query['status']) => void }) {
  const words = useT()
  return (
    <p className="counts" aria-live="polite">
      <strong>{words.t('users.counts.total', { count: counts.total })}</strong>{words.t('users.counts.afterTotal')}
      {USER_STATUSES.map((st, i) => (
        <span key={st}>
          {i > 0 && words.t('users.counts.between')}
          <button type="button" className="link-button" aria-pressed={status === st} onClick={() => onStatus(status === st ? 'all' : st)}>
            {words.t('users.counts.status', { count: counts[st], status: words.t(STATUS_WORDS[st]).toLocaleLowerCase(words.tag) })}
          </button>
        </span>
      ))}
    </p>
  )
}

/**
 * Where accounts come from, with how many of each: offered once anyone comes from the directory
 * (a machine without a directory source never sees it).
 */
function SourceFilter({ q, onQuery, sources }: { q: Query; onQuery: (next: Partial<Query>) => void; sources: Record<UserSource, number> | undefined }) {
  const words = useT()
  if (!sources || (sources.directory === 0 && q.source === 'all')) return null
  return (
    <div className="field field--inline">
      <label htmlFor="source-filter">{words.t('users.filter.source')}</label>
      <select id="source-filter" value={q.source} onChange={(e) => onQuery({ source: e.target.value as Query['source'] })}>
        <option value="all">{words.t('users.filter.allSources')}</option>
        <option value="directory">{words.t('users.filter.fromDirectory', { count: sources.directory })}</option>
        <option value="local">{words.t('users.filter.localOnly', { count: sources.local })}</option>
      </select>
    </div>
  )
}

type ToolbarProps = { search: string; onSearch: (v: string) => void; q: Query; onQuery: (next: Partial<Query>) => void; total: string; sources: Record<UserSource, number> | undefined }

/** Search, the status, role and source filters, and how many rows the list holds. */
function Toolbar({ search, onSearch, q, onQuery, total, sources }: ToolbarProps) {
  const words = useT()
  return (
    <div className="toolbar" role="search">
      <div className="field field--inline">
        <label htmlFor="user-search">{words.t('users.filter.search')}</label>
        <input id="user-search" type="search" value={search} autoComplete="off" placeholder={words.t('users.filter.searchPlaceholder')} onChange={(e) => onSearch(e.target.value)} />
      </div>
      <div className="field field--inline">
        <label htmlFor="status-filter">{words.t('users.filter.status')}</label>
        <select id="status-filter" value={q.status} onChange={(e) => onQuery({ status: e.target.value as Query['status'] })}>
          {STATUS_FILTERS.map(([v, l]) => <option key={v} value={v}>{words.t(l)}</option>)}
        </select>
      </div>
      <div className="field field--inline">
        <label htmlFor="role-filter">{words.t('users.filter.role')}</label>
        <select id="role-filter" value={q.role} onChange={(e) => onQuery({ role: e.target.value as Query['role'] })}>
          <option value="all">{words.t('users.filter.allRoles')}</option>
          {(['user', 'helpdesk', 'admin'] as const).map((r) => <option key={r} value={r}>{words.t(ROLE_WORDS[r])}</option>)}
        </select>
      </div>
      <SourceFilter q={q} onQuery={onQuery} sources={sources} />
      <p className="toolbar__total" role="status">{total}</p>
    </div>
  )
}

/**
 * The directory's pages around the viewport for query `q`, and its number of rows: from whichever
 * of its pages answered last, so it stays put while other pages load, and the previous query's
 * stands in until the new one's first answer.
 */
function useDirectoryPages(q: Query) {
  const key = JSON.stringify(q)
  const [known, setKnown] = useState({ key: '', total: 0 })
  const total = known.total

  const list = useScaledRows(total, ROW_HEIGHT)
  const pagesNeeded = useMemo(() => {
    const from = Math.floor(list.first / PAGE)
    const to = Math.floor(Math.max(list.first, list.last) / PAGE)
    return Array.from({ length: to - from + 1 }, (_, i) => from + i)
  }, [list.first, list.last])

  const pages = useQueries({
    queries: pagesNeeded.map((p) => ({
      queryKey: ['users:list', { ...q, offset: p * PAGE, limit: PAGE }],
      queryFn: () => call('users:list', { ...q, offset: p * PAGE, limit: PAGE })
    }))
  })
  const first = pages.find((p) => p.data)?.data
  const answered = first?.total
  useEffect(() => {
    if (answered !== undefined && (known.key !== key || known.total !== answered)) setKnown({ key, total: answered })
  }, [answered, key, known])
  const rowAt = (i: number): UserListRow | undefined => {
    const page = pages[pagesNeeded.indexOf(Math.floor(i / PAGE))]?.data
    return page?.rows[i % PAGE]
  }
  return { total, list, rowAt, first }
}

/** The user directory: searched, filtered and sorted in the main process, fetched a page at a time. */
export function Directory({ session }: { session: SessionInfo }) {
  const words = useT()
  const [search, setSearch] = useState('')
  const [q, setQ] = useState<Query>({ search: '', status: 'all', role: 'all', source: 'all', sort: 'displayName', descending: false })
  const [selected, setSelected] = useState<number | null>(null)
  const [panel, setPanel] = useState<null | 'add' | 'import'>(null)
  /** Rows ticked for a bulk action (kept while scrolling; cleared when the query changes). */
  const [ticked, setTicked] = useState<ReadonlySet<number>>(new Set())
  const tick = (id: number, on: boolean) => setTicked((t) => { const next = new Set(t); if (on) next.add(id); else next.delete(id); return next })
  const [typed, setTyped] = useState('')
  const debounce = useRef<number | undefined>(undefined)
  // Focus goes back to the user's row (re-rendered meanwhile) when the detail panel closes.
  const closeDetail = () => {
    const id = selected
    setSelected(null)
    requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-user-id="${id}"]`)?.focus())
  }

  function onSearch(value: string) {
    setSearch(value)
    window.clearTimeout(debounce.current)
    debounce.current = window.setTimeout(() => setTyped(value), 150)
  }

  const { total, list, rowAt, first } = useDirectoryPages(q)

  // A search is sent only when the one before it has answered, and then only the latest text:
  // what was typed meanwhile is never asked (it would only queue behind it in the engine).
  const listing = useIsFetching({ queryKey: ['users:list'] })
  useEffect(() => {
    if (listing > 0 || typed === q.search) return
    setQ((x) => ({ ...x, search: typed }))
    list.toTop()
  }, [listing, typed, q.search, list])

  function requery(next: Partial<Query>) {
    setQ((x) => ({ ...x, ...next }))
    setTicked(new Set())
    list.toTop()
  }

  function sortBy(key: Sort) {
    requery({ sort: key, descending: q.sort === key ? !q.descending : false })
  }

  const c = first?.counts
  return (
    <section aria-labelledby="directory-title" className="directory">
      <div className="section-head">
        <h1 id="directory-title">{words.t('users.title')}</h1>
        <div className="actions">
          <button type="button" className="button" onClick={() => setPanel('add')}>{words.t('users.add')}</button>
          <button type="button" className="button" onClick={() => setPanel('import')}>{words.t('users.importCsv')}</button>
          <ExportButton channel="users:export" input={{}} label={words.t('users.exportCsv')} />
        </div>
      </div>
      {c && <Counts counts={c} status={q.status} onStatus={(status) => requery({ status })} />}
      {panel === 'add' && <AddUser role={session.user.role} onClose={() => setPanel(null)} />}
      {panel === 'import' && <ImportUsers onClose={() => setPanel(null)} />}
      <Toolbar search={search} onSearch={onSearch} q={q} onQuery={requery} sources={first?.sources}
        total={!first ? words.t('common.loading') : first.capped ? words.t('users.total.capped', { count: total }) : words.t('users.total.shown', { count: total })} />

      <BulkActions selected={[...ticked]} filter={{ search: q.search, status: q.status, role: q.role, source: q.source }} matching={total} onDone={() => setTicked(new Set())} />
      <UserGrid total={total} list={list} rowAt={rowAt} sort={q.sort} descending={q.descending} onSort={sortBy} open={selected} onOpen={setSelected}
        ticked={ticked} onTick={tick} postponementsAllowed={first?.postponementsAllowed ?? 0} empty={!!first && total === 0} />
      {selected !== null && <UserDetail userId={selected} session={session} onClose={closeDetail} />}
    </section>
  )
}
