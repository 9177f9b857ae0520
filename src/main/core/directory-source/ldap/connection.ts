/**
 * A connection to the organisation's LDAP or Active Directory server, bound as the service account:
 * the servers tried in order, ldap:// upgraded with StartTLS before the bind (ldaps:// is TLS from
 * the start), the certificate checked against the CA file given (or the system's) and never
 * skipped. Whatever goes wrong is said in one plain sentence (DomainError), never a stack trace.
 */
import { readFileSync } from 'node:fs'
import { Client, InvalidCredentialsError, NoSuchObjectError, ResultCodeError } from 'ldapts'
import type { DirectorySource } from '../../../../shared/directory-source'
import { DomainError } from '../../domain-error'

/** TLS failures Node reports by code (the certificate is there but not one to trust), in words. */
const NOT_SIGNED = 'it is signed by a CA this seat does not trust'
const UNTRUSTED: Record<string, string> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: NOT_SIGNED, SELF_SIGNED_CERT_IN_CHAIN: NOT_SIGNED, DEPTH_ZERO_SELF_SIGNED_CERT: 'it is self-signed', UNABLE_TO_GET_ISSUER_CERT: NOT_SIGNED,
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: NOT_SIGNED, CERT_UNTRUSTED: NOT_SIGNED, CERT_HAS_EXPIRED: 'it has expired', CERT_NOT_YET_VALID: 'it is not valid yet',
  ERR_TLS_CERT_ALTNAME_INVALID: 'it is made out to another name', CERT_REVOKED: 'it was revoked'
}
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE'])

/** One sentence for what went wrong talking to `url`. */
export function explain(error: unknown, url: string): DomainError {
  if (error instanceof DomainError) return error
  const e = error as Error & { code?: string }
  const why = e.code ? UNTRUSTED[e.code] : undefined
  if (why) return new DomainError('DIRECTORY_UNTRUSTED', `The certificate of ${url} is not trusted: ${why}. Give the file of the CA that signed it, or check the server's name.`)
  if ((e.code && UNREACHABLE.has(e.code)) || /timeout|timed out/i.test(e.message)) return new DomainError('DIRECTORY_UNAVAILABLE', `The directory server ${url} cannot be reached (${e.code ?? 'no answer in time'}).`)
  if (error instanceof InvalidCredentialsError) return Object.assign(new DomainError('DIRECTORY_REFUSED', `${url} refused the service account: check its DN and password.`), { cause: error })
  if (error instanceof NoSuchObjectError) return new DomainError('DIRECTORY_REFUSED', `${url} has no entry at the base DN: check it.`)
  if (error instanceof ResultCodeError) return new DomainError('DIRECTORY_REFUSED', `${url} refused the request: ${e.message}`)
  return new DomainError('DIRECTORY_UNAVAILABLE', `The directory server ${url} cannot be used: ${e.message || 'the connection failed'}.`)
}

function tlsOptionsOf(source: DirectorySource, url: string) {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '')
  let ca: string | undefined
  if (source.caFile) {
    try {
      ca = readFileSync(source.caFile, 'utf8')
    } catch {
      throw new DomainError('DIRECTORY_UNTRUSTED', `The CA certificate file ${source.caFile} cannot be read on this seat.`)
    }
  }
  return { minVersion: 'TLSv1.2' as const, rejectUnauthorized: true, servername: /^[\d.:]+$/.test(host) ? undefined : host, ...(ca ? { ca } : {}) }
}

/** A client bound as `dn` on the first server that answers; the caller unbinds it. */
export async function connect(source: DirectorySource, dn: string, password: string): Promise<{ client: Client; url: string }> {
  let last: DomainError | null = null
  for (const url of source.urls) {
    const tls = tlsOptionsOf(source, url)
    // TLS options given to the client make it speak TLS at once: only for ldaps://; ldap:// upgrades with StartTLS.
    const secure = url.startsWith('ldaps://')
    const client = new Client({ url, timeout: source.timeoutSeconds * 1000, connectTimeout: source.timeoutSeconds * 1000, ...(secure ? { tlsOptions: tls } : {}), strictDN: false })
    try {
      if (!secure && source.startTls) await client.startTLS(tls)
      await client.bind(dn, password)
      return { client, url }
    } catch (error) {
      await client.unbind().catch(() => undefined)
      last = explain(error, url)
      // A refusal is the directory's answer, the same on every server: no use asking the next.
      if (last.code !== 'DIRECTORY_UNAVAILABLE') throw last
    }
  }
  throw last ?? new DomainError('DIRECTORY_UNAVAILABLE', 'No directory server is set.')
}
