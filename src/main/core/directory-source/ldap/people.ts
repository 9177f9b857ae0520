/**
 * The people of the directory as Tessera reads them: each entry the user filter matches, turned
 * into a person (stable id, DN, username, e-mail, name, phone, whether the directory disables
 * them), read a page at a time (Active Directory answers at most 1,000 entries to an unpaged
 * search), and the members of the help-desk and administrator groups (nested groups too, on
 * Active Directory, through its in-chain matching rule).
 */
import { escapeFilter, type Client, type Entry } from 'ldapts'
import type { DirectoryPerson, DirectorySource } from '../../../../shared/directory-source'
import { explain } from './connection'
import { problem } from '../../../../shared/validation'

export type Person = DirectoryPerson

/** AD's `userAccountControl` bit for a disabled account. */
const ACCOUNTDISABLE = 0x2
/** AD's `accountExpires`: 100-ns ticks since 1601; 0 and 2^63-1 mean never. */
const FILETIME_EPOCH_MS = 11_644_473_600_000
const NEVER = 0x7fffffffffffffffn
/** AD's matching rule that follows nested group membership. */
const IN_CHAIN = '1.2.840.113556.1.4.1941'

/** An attribute's first value, its name in any case (servers answer in their own spelling). */
export const first = (e: Entry, name: string): string | Buffer | undefined => {
  const key = Object.keys(e).find((k) => k.toLowerCase() === name.toLowerCase())
  const v = key === undefined ? undefined : e[key]
  return Array.isArray(v) ? (v[0] as string | Buffer | undefined) : (v as string | Buffer | undefined)
}
export const textOf = (e: Entry, name: string) => {
  const v = first(e, name)
  return v === undefined ? '' : String(v).trim()
}

/** objectGUID as AD tools write it (mixed-endian, 8-4-4-4-12); entryUUID is text already. */
export function guidText(raw: Buffer): string {
  const h = raw.toString('hex')
  const swap = (s: string) => s.match(/../g)!.reverse().join('')
  return `${swap(h.slice(0, 8))}-${swap(h.slice(8, 12))}-${swap(h.slice(12, 16))}-${h.slice(16, 20)}-${h.slice(20)}`
}

/** Whether the directory itself keeps this account from signing in. */
export function disabledIn(source: DirectorySource, e: Entry, now: number): boolean {
  if (source.kind === 'active-directory') {
    if ((Number(textOf(e, 'userAccountControl') || 0) & ACCOUNTDISABLE) !== 0) return true
    const expires = textOf(e, 'accountExpires')
    if (!expires || expires === '0' || BigInt(expires) >= NEVER) return false
    return Number(BigInt(expires) / 10_000n) - FILETIME_EPOCH_MS <= now
  }
  return textOf(e, 'pwdAccountLockedTime') !== '' || textOf(e, 'nsAccountLock').toLowerCase() === 'true'
}

/** The attributes asked for: the mapped ones and those that say an account is disabled. */
export function attributesOf(source: DirectorySource): string[] {
  const a = source.attributes
  const status = source.kind === 'active-directory' ? ['userAccountControl', 'accountExpires', 'uSNChanged'] : ['pwdAccountLockedTime', 'nsAccountLock', 'entryCSN']
  return [a.username, a.email, a.displayName, a.phone, a.stableId, ...status]
}

/** The entry's stable id as Tessera keeps it ('' when it has none). */
export function stableIdOf(source: DirectorySource, e: Entry): string {
  const raw = first(e, source.attributes.stableId)
  return raw === undefined ? '' : Buffer.isBuffer(raw) ? guidText(raw) : String(raw).trim().toLowerCase()
}

/** The person an entry is, or why it cannot be one (no stable id, no username...). */
export function personOf(source: DirectorySource, e: Entry, now: number): Person | { dn: string; reason: string } {
  const a = source.attributes
  const stableId = stableIdOf(source, e)
  if (!stableId) return { dn: e.dn, reason: problem('staffRefusals.syncNoAttribute', { attribute: a.stableId }) }
  const username = textOf(e, a.username)
  if (!username) return { dn: e.dn, reason: problem('staffRefusals.syncNoAttribute', { attribute: a.username }) }
  return { stableId, dn: e.dn, username, email: textOf(e, a.email), displayName: textOf(e, a.displayName) || username, phone: textOf(e, a.phone) || null, disabled: disabledIn(source, e, now) }
}

/** Pages of the entries `filter` matches under the base DN (each page a round trip); a failure in one sentence. */
export async function* pagesOf(connection: { client: Client; url: string }, source: DirectorySource, filter: string, attributes: string[]): AsyncGenerator<Entry[]> {
  const binary = source.kind === 'active-directory' ? [source.attributes.stableId] : []
  const pages = connection.client.searchPaginated(source.baseDn, { scope: 'sub', filter, attributes, explicitBufferAttributes: binary, paged: { pageSize: source.pageSize }, timeLimit: source.timeoutSeconds })
  try {
    for await (const page of pages) yield page.searchEntries
  } catch (error) {
    throw explain(error, connection.url)
  }
}

/** The user filter, narrowed to members of `groupDn` (nested groups on AD). */
export function membersFilter(source: DirectorySource, groupDn: string): string {
  const rule = source.kind === 'active-directory' ? `memberOf:${IN_CHAIN}:` : 'memberOf'
  // The DN is a value: its *, ( ) and \ escaped (RFC 4515); the rule's own characters need none.
  return `(&${source.userFilter}${escapeFilter`(${rule}=${groupDn})`})`
}
