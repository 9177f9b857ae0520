/**
 * The codes of hardware OATH tokens: HOTP (RFC 4226, a counter moved by each button press) and TOTP
 * (RFC 6238, 30 or 60 s), 6 or 8 digits, HMAC-SHA1 or SHA-256. Pure functions over the token's
 * parameters; the counter or time step comes in, and what to store comes out.
 */
import { timingSafeEqual } from 'node:crypto'
import { generateSync } from 'otplib'

export type TokenKind = 'hotp' | 'totp'
export type TokenAlgorithm = 'sha1' | 'sha256'

export type TokenParams = {
  kind: TokenKind
  /** Base32, as otplib takes it. */
  secret: string
  digits: 6 | 8
  /** Seconds per step (TOTP only). */
  period: 30 | 60 | null
  algorithm: TokenAlgorithm
}

/** Presses not seen by the server that a code may be ahead by and still be accepted (RFC 4226 7.4). */
export const HOTP_LOOK_AHEAD = 10
/** Further ahead than that, a code only starts a resynchronisation: the next code must follow it. */
export const HOTP_RESYNC_WINDOW = 1_000

/** The code for a HOTP counter value or a TOTP time step. */
export function tokenCode(p: TokenParams, moving: number): string {
  return generateSync({ strategy: 'hotp', secret: p.secret, counter: moving, digits: p.digits, algorithm: p.algorithm })
}

/** The TOTP step of a moment. */
export function stepAt(p: TokenParams, nowMs: number): number {
  return Math.floor(nowMs / 1000 / (p.period ?? 30))
}

const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b))

/** Accepts "123456", "1234 5678" or "123-456"; null unless it has the token's number of digits. */
export function normalizeTokenCode(input: string, digits: number): string | null {
  const plain = input.replace(/[\s-]/g, '')
  return new RegExp(`^\\d{${digits}}$`).test(plain) ? plain : null
}

export type HotpCheck =
  | { result: 'ok'; next: number }
  /** Far ahead of the counter: not accepted; the token's next code must come next. */
  | { result: 'resync-started'; expect: number }
  | { result: 'wrong' }

/**
 * Checks a HOTP code from `counter` (the next value expected) up to HOTP_LOOK_AHEAD presses ahead.
 * A code that matches the value a resynchronisation waits for (`resync`) is the second of two
 * consecutive codes: accepted, and the counter moves past it.
 */
export function checkHotp(p: TokenParams, code: string, counter: number, resync: number | null): HotpCheck {
  if (resync !== null && same(tokenCode(p, resync), code)) return { result: 'ok', next: resync + 1 }
  for (let c = counter; c <= counter + HOTP_LOOK_AHEAD; c++) if (same(tokenCode(p, c), code)) return { result: 'ok', next: c + 1 }
  for (let c = counter + HOTP_LOOK_AHEAD + 1; c <= counter + HOTP_RESYNC_WINDOW; c++) {
    if (same(tokenCode(p, c), code)) return { result: 'resync-started', expect: c + 1 }
  }
  return { result: 'wrong' }
}

export type TotpTokenCheck = { result: 'ok'; step: number } | { result: 'replayed'; step: number } | { result: 'wrong' }

/** Checks a TOTP code at the steps around now (+-1); a step at or before `lastStep` was used already. */
export function checkTotpToken(p: TokenParams, code: string, nowMs: number, lastStep: number): TotpTokenCheck {
  const now = stepAt(p, nowMs)
  for (const step of [now, now - 1, now + 1]) {
    if (!same(tokenCode(p, step), code)) continue
    return step <= lastStep ? { result: 'replayed', step } : { result: 'ok', step }
  }
  return { result: 'wrong' }
}
