/**
 * What a seat of the organisation's shared PostgreSQL database is given when it joins: checked with
 * the same words by `tessera seat join` (which names the field first: "Database address: enter
 * it, ..."), by the main process, and by the first-run screen beside each field.
 */
import { z } from 'zod'
import { problem } from './validation' // and plain-words messages for whatever a schema here does not word itself

export const EXAMPLE_DATABASE_URL = 'postgres://tessera@db.example.org/tessera'

/** libpq also reads a password from the address (user:password@host, ?password=): refused, it is kept in a file. */
export function passwordInUrl(url: URL): boolean {
  return url.password !== '' || [...url.searchParams.keys()].some((k) => k.toLowerCase() === 'password')
}

const isPostgresUrl = (s: string) => URL.canParse(s) && ['postgres:', 'postgresql:'].includes(new URL(s).protocol)

export const databaseUrlSchema = z
  .string()
  .trim()
  .min(1, problem('validation.databaseUrlEmpty', { example: EXAMPLE_DATABASE_URL }))
  .max(2048)
  .refine(isPostgresUrl, problem('validation.databaseUrlPostgres', { example: EXAMPLE_DATABASE_URL }))
  .refine((s) => !URL.canParse(s) || !passwordInUrl(new URL(s)), problem('validation.databaseUrlPassword'))

export const FULL_PATH_MESSAGE = problem('validation.fullPath')
/** A full path on any system: /etc/..., C:\..., \\server\share\... (the main process checks the file is there). */
const looksAbsolute = (s: string) => /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(s)

/** The bundle file's text: a small JSON document (about 1 KB); anything much longer is something else. */
export const MAX_KEY_BUNDLE_CHARS = 64_000
/** Far beyond any typed password; bounds what is stored. */
const MAX_PASSWORD_CHARS = 1024
/** As the bundle's own check: a passphrase is at most 1,024 characters once normalised, so four times that as typed. */
const MAX_PASSPHRASE_CHARS = 4096

/** The first-run screen's "Join an existing organisation": everything it sends, each field checked. */
export const joinOrganisationSchema = z
  .object({
    databaseUrl: databaseUrlSchema,
    /** Empty: the server needs none (trust, a client certificate). Otherwise kept in a 0600 file in the data directory. */
    password: z.string().max(MAX_PASSWORD_CHARS).refine((s) => !/[\r\n]/.test(s), problem('validation.passwordOneLine')).default(''),
    /** Empty: no TLS. Otherwise the CA certificate the server's is checked against (sslmode=verify-full). */
    caFile: z.string().trim().max(4096).refine((s) => s === '' || looksAbsolute(s), FULL_PATH_MESSAGE).default(''),
    bundleText: z.string().trim().min(1, problem('validation.chooseKeyBundle')).max(MAX_KEY_BUNDLE_CHARS, problem('validation.keyBundleTooLong')),
    passphrase: z.string().min(1, problem('validation.enterPassphrase')).max(MAX_PASSPHRASE_CHARS)
  })
  .strict()
