/**
 * A directory user's password, checked by the directory: the service account finds the user's
 * entry by their username (the value escaped, RFC 4515) and it must be the entry Tessera linked
 * (the same stable id), then Tessera binds as that entry with the password typed. The caller has
 * reserved the attempt first (core/attempts.ts, with the directory's own lower budget).
 *
 * Active Directory says why a bind failed in a sub-code of its error text ("... data 52e, v4563").
 * Only a wrong password (52e) or an unknown one (525) and a locked account (775, which AD reports
 * whatever the password) count as wrong; the rest come after a right password, so they may be said:
 * expired, disabled, to be changed first. Nothing is ever checked against a local password instead.
 */
import { escapeFilter, InvalidCredentialsError, type Client } from 'ldapts'
import type { DirectorySource } from '../../../shared/directory-source'
import { DomainError } from '../domain-error'
import { message } from '../../../shared/i18n/translate'
import { connect, explain } from './ldap/connection'
import { stableIdOf } from './ldap/people'

export type BindCheck = { ok: true } | { ok: false; refusal: DomainError | null }

/** The organisation's own way to change a directory password, as a sentence's tail (' Change it at ...'), or ''. */
export const helpOf = (source: DirectorySource) => {
  const { text, url } = source.passwordHelp
  return text || url ? ` ${[text, url].filter(Boolean).join(' ')}` : ''
}

/** What an Active Directory bind failure's sub-code means, when the password was right (null: a wrong password). */
export function adRefusal(errorText: string, source: DirectorySource): DomainError | null {
  const code = /\bdata ([0-9a-f]{3,8})\b/i.exec(errorText)?.[1]?.toLowerCase()
  switch (code) {
    case '530':
    case '531':
      return new DomainError('ACCOUNT_DISABLED', message('signInRefusals.directoryAccountRestricted'))
    case '532':
      return new DomainError('PASSWORD_EXPIRED', message('signInRefusals.directoryPasswordExpired', { help: helpOf(source) }))
    case '533':
      return new DomainError('ACCOUNT_DISABLED', message('signInRefusals.directoryAccountDisabled'))
    case '701':
      return new DomainError('ACCOUNT_DISABLED', message('signInRefusals.directoryAccountExpired'))
    case '773':
      return new DomainError('PASSWORD_EXPIRED', message('signInRefusals.directoryPasswordMustChange', { help: helpOf(source) }))
    default:
      return null
  }
}

/** The DN of the linked entry named `username`, or null when the directory has no such entry (any more). */
async function dnOf(client: Client, source: DirectorySource, user: { username: string; externalId: string }): Promise<string | null> {
  const filter = `(&${source.userFilter}${escapeFilter`(${source.attributes.username}=${user.username})`})`
  const binary = source.kind === 'active-directory' ? [source.attributes.stableId] : []
  const { searchEntries } = await client.search(source.baseDn, { scope: 'sub', filter, attributes: [source.attributes.stableId], explicitBufferAttributes: binary, sizeLimit: 2, timeLimit: source.timeoutSeconds })
  const mine = searchEntries.filter((e) => stableIdOf(source, e) === user.externalId)
  return mine.length === 1 ? mine[0]!.dn : null
}

/**
 * One connection per login: bound as the service account to find the entry, then bound again on
 * the same connection as the entry with the password typed (LDAP allows a bind at any point of a
 * connection), so a login costs one TCP and TLS handshake, not two.
 */
export async function checkByBind(source: DirectorySource, servicePassword: string, user: { username: string; externalId: string }, password: string): Promise<BindCheck> {
  // An empty password would be an unauthenticated bind, which LDAP servers answer with success.
  if (password === '') return { ok: false, refusal: null }
  const { client, url } = await connect(source, source.bindDn, servicePassword)
  try {
    const dn = await dnOf(client, source, user)
    if (dn === null) return { ok: false, refusal: null }
    try {
      await client.bind(dn, password)
      return { ok: true }
    } catch (error) {
      if (!(error instanceof InvalidCredentialsError)) throw explain(error, url)
      return { ok: false, refusal: source.kind === 'active-directory' ? adRefusal(error.message, source) : null }
    }
  } finally {
    await client.unbind().catch(() => undefined)
  }
}
