/**
 * TOTP (RFC 6238) with otplib, in the profile every common authenticator app understands:
 * HMAC-SHA1, 6 digits, 30-second steps, 160-bit secrets. Pure functions; the clock is an argument.
 */
import { generateSecret, generateSync, generateURI, verifySync } from 'otplib'

export const TOTP_PERIOD_SECONDS = 30
export const TOTP_DIGITS = 6
/** RFC 4226 4 (R6) recommends 160 bits. */
export const TOTP_SECRET_BYTES = 20
/** +-1 time step (RFC 6238 5.2), as seconds for otplib's epochTolerance. */
const TOLERANCE_SECONDS = TOTP_PERIOD_SECONDS

export function newTotpSecret(): string {
  return generateSecret({ length: TOTP_SECRET_BYTES })
}

export function totpUri(issuer: string, account: string, secret: string): string {
  return generateURI({ issuer, label: account, secret, algorithm: 'sha1', digits: TOTP_DIGITS, period: TOTP_PERIOD_SECONDS })
}

/** "JBSW Y3DP EHPK 3PXP": easier to type from the screen into an app. */
export function groupKey(secret: string): string {
  return secret.replace(/=+$/, '').match(/.{1,4}/g)?.join(' ') ?? secret
}

/** Accepts "123456", "123 456" or "123-456" (as pasted from an app); null if it is not 6 digits. */
/** Six digits as typed: full-width ones (１２３４５６, from a Japanese or Korean input method) are the same digits (NFKC). */
export function normalizeOtp(input: string): string | null {
  const digits = input.normalize('NFKC').replace(/[\s-]/g, '')
  return /^\d{6}$/.test(digits) ? digits : null
}

export function totpAt(secret: string, nowMs: number): string {
  return generateSync({ secret, epoch: Math.floor(nowMs / 1000), digits: TOTP_DIGITS, period: TOTP_PERIOD_SECONDS, algorithm: 'sha1' })
}

export type TotpCheck = { valid: true; step: number } | { valid: false; replayedStep: number | null }

/**
 * Checks a code against the steps around now. A code whose step is not after `lastStep` is a
 * replay: it was (or an earlier one was) already accepted.
 */
export function checkTotp(secret: string, code: string, nowMs: number, lastStep: number | null): TotpCheck {
  const result = verifySync({
    secret,
    token: code,
    epoch: Math.floor(nowMs / 1000),
    epochTolerance: TOLERANCE_SECONDS,
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
    algorithm: 'sha1'
  })
  if (!result.valid) return { valid: false, replayedStep: null }
  const step = (result as { timeStep: number }).timeStep
  if (lastStep !== null && step <= lastStep) return { valid: false, replayedStep: step }
  return { valid: true, step }
}
