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
import { message } from '../../../../shared/i18n/translate'

/**
 * TLS failures Node reports by code (the certificate is there but not one to trust), as the reason
 * staffRefusals.directoryCertificateUntrusted gives: notSigned "it is signed by a CA this seat does
 * not trust", selfSigned "it is self-signed", expired "it has expired", notYetValid "it is not valid
 * yet", otherName "it is made out to another name", revoked "it was revoked".
 */
const NOT_SIGNED = 'notSigned'
const UNTRUSTED: Record<string, string> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: NOT_SIGNED, SELF_SIGNED_CERT_IN_CHAIN: NOT_SIGNED, DEPTH_ZERO_SELF_SIGNED_CERT: 'selfSigned', UNABLE_TO_GET_ISSUER_CERT: NOT_SIGNED,
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: NOT_SIGNED, CERT_UNTRUSTED: NOT_SIGNED, CERT_HAS_EXPIRED: 'expired', CERT_NOT_YET_VALID: 'notYetValid',
  ERR_TLS_CERT_ALTNAME_INVALID: 'otherName', CERT_REVOKED: 'revoked'
}
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE'])

/** One sentence for what went wrong talking to `url`. */
export function explain(error: unknown, url: string): DomainError {
  if (error instanceof DomainError) return error
  const e = error as Error & { code?: string }
  const why = e.code ? UNTRUSTED[e.code] : undefined
  if (why) return new DomainError('DIRECTORY_UNTRUSTED', message('staffRefusals.directoryCertificateUntrusted', { url, why }))
  if ((e.code && UNREACHABLE.has(e.code)) || /timeout|timed out/i.test(e.message)) {
    const code = e.code ?? null
    return new DomainError('DIRECTORY_UNAVAILABLE', code === null ? message('staffRefusals.directoryNoAnswer', { url }) : message('staffRefusals.directoryUnreachable', { url, code }))
  }
  if (error instanceof InvalidCredentialsError) return Object.assign(new DomainError('DIRECTORY_REFUSED', message('staffRefusals.directoryRefusedServiceAccount', { url })), { cause: error })
  if (error instanceof NoSuchObjectError) return new DomainError('DIRECTORY_REFUSED', message('staffRefusals.directoryNoBaseDn', { url }))
  if (error instanceof ResultCodeError) return new DomainError('DIRECTORY_REFUSED', message('staffRefusals.directoryRefusedRequest', { url, reason: e.message }))
  return new DomainError('DIRECTORY_UNAVAILABLE', e.message ? message('staffRefusals.directoryUnusable', { url, reason: e.message }) : message('staffRefusals.directoryConnectionFailed', { url }))
}

function tlsOptionsOf(source: DirectorySource, url: string) {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '')
  let ca: string | undefined
  if (source.caFile) {
    try {
      ca = readFileSync(source.caFile, 'utf8')
    } catch {
      throw new DomainError('DIRECTORY_UNTRUSTED', message('staffRefusals.caFileUnreadable', { file: source.caFile }))
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
  throw last ?? new DomainError('DIRECTORY_UNAVAILABLE', message('staffRefusals.noDirectoryServer'))
}
