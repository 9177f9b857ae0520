/**
 * Rule: TOTP is RFC 6238 with SHA-1, 6 digits and 30 s steps, so every common authenticator app
 * agrees with it; +-1 step is accepted and a step is never accepted twice.
 */
import { execFileSync } from 'node:child_process'
import { generateSync } from 'otplib'
import { describe, expect, it } from 'vitest'
import { checkTotp, groupKey, newTotpSecret, normalizeOtp, totpAt, totpUri } from '../../src/main/core/two-factor/totp'
import { normalizeCode } from '../../src/main/core/two-factor/recovery-codes'

const RFC_SECRET = new TextEncoder().encode('12345678901234567890')

describe('known answers', () => {
  it('matches RFC 4226 Appendix D (HOTP, counters 0-9)', () => {
    const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489']
    expected.forEach((code, counter) => expect(generateSync({ strategy: 'hotp', secret: RFC_SECRET, counter, digits: 6 })).toBe(code))
  })

  it('matches RFC 6238 Appendix B (TOTP, SHA-1, 8 digits)', () => {
    const vectors: [number, string][] = [
      [59, '94287082'],
      [1111111109, '07081804'],
      [1111111111, '14050471'],
      [1234567890, '89005924'],
      [2000000000, '69279037'],
      [20000000000, '65353130']
    ]
    for (const [epoch, code] of vectors) expect(generateSync({ secret: RFC_SECRET, epoch, digits: 8, period: 30, algorithm: 'sha1' })).toBe(code)
  })

  it('agrees with oathtool, an independent implementation', () => {
    const secret = newTotpSecret()
    const now = Date.UTC(2026, 10, 22, 10, 0, 0)
    const theirs = execFileSync('oathtool', ['--totp', '-b', `--now=${new Date(now).toISOString().replace('.000Z', ' UTC')}`, secret]).toString().trim()
    expect(totpAt(secret, now)).toBe(theirs)
  })
})

describe('secrets and URIs', () => {
  it('makes 160-bit base32 secrets and an otpauth URI apps understand', () => {
    const secret = newTotpSecret()
    expect(secret).toMatch(/^[A-Z2-7]{32}$/) // 32 base32 characters = 160 bits
    const raw = totpUri('Acme Corp', 'ada@example.org', secret)
    expect(raw.startsWith('otpauth://totp/Acme%20Corp:ada%40example.org?')).toBe(true)
    const uri = new URL(raw)
    expect(Object.fromEntries(uri.searchParams)).toMatchObject({ secret, issuer: 'Acme Corp' })
    // The defaults of Google Authenticator's key URI format: SHA1, 6 digits, 30 s (omitted or explicit).
    expect(uri.searchParams.get('algorithm') ?? 'SHA1').toBe('SHA1')
    expect(uri.searchParams.get('digits') ?? '6').toBe('6')
    expect(uri.searchParams.get('period') ?? '30').toBe('30')
  })

  it('groups the key by four for typing', () => {
    expect(groupKey('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP')).toBe('JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP')
  })

  it('accepts pasted codes with a space or hyphen, and nothing else', () => {
    expect(normalizeOtp(' 123 456 ')).toBe('123456')
    expect(normalizeOtp('123-456')).toBe('123456')
    expect(normalizeOtp('12345')).toBeNull()
    expect(normalizeOtp('12345a')).toBeNull()
  })

  it('reads full-width digits, spaces and hyphens as an input method types them (１２３ ４５６)', () => {
    expect(normalizeOtp('１２３４５６')).toBe('123456')
    expect(normalizeOtp('１２３\u3000４５６')).toBe('123456')
    expect(normalizeOtp('１２３－４５６')).toBe('123456')
    expect(normalizeOtp('١٢٣٤٥٦')).toBeNull() // other scripts' digits are not taken for these
    expect(normalizeCode('ａｂｃｄ－２３４５', 8)).toBe('ABCD2345')
  })
})

describe('checking codes', () => {
  const secret = newTotpSecret()
  const now = Date.UTC(2026, 10, 22, 10, 0, 15)

  it('accepts the previous, current and next step only', () => {
    for (const d of [-30_000, 0, 30_000]) expect(checkTotp(secret, totpAt(secret, now + d), now, null).valid).toBe(true)
    for (const d of [-60_000, 60_000]) expect(checkTotp(secret, totpAt(secret, now + d), now, null).valid).toBe(false)
  })

  it('refuses a step at or before the last accepted one, and says it was a replay', () => {
    const first = checkTotp(secret, totpAt(secret, now), now, null)
    expect(first.valid).toBe(true)
    const step = (first as { step: number }).step
    expect(checkTotp(secret, totpAt(secret, now), now, step)).toEqual({ valid: false, replayedStep: step })
    expect(checkTotp(secret, totpAt(secret, now - 30_000), now, step)).toEqual({ valid: false, replayedStep: step - 1 })
    expect(checkTotp(secret, totpAt(secret, now + 30_000), now, step).valid).toBe(true)
  })
})
