/** Rule: times read as a person says them ("just now", "5 minutes ago"), in the reader's language; the engine's own moments the same on every seat. */
import { expect, it } from 'vitest'
import { translator } from '../../src/shared/i18n/translate'
import { utcMinute } from '../../src/shared/words'

it('says how long ago, from "just now" to days, in the reader\'s language', () => {
  const now = Date.UTC(2026, 10, 24, 12)
  const en = translator('en')
  expect(en.ago(now, now)).toBe('now')
  expect(en.ago(now + 5_000, now)).toBe('now') // a clock a little ahead is not "in the future"
  expect(en.ago(now - 60_000, now)).toBe('1 minute ago')
  expect(en.ago(now - 5 * 60_000, now)).toBe('5 minutes ago')
  expect(en.ago(now - 47 * 3_600_000, now)).toBe('47 hours ago')
  expect(en.ago(now - 3 * 86_400_000, now)).toBe('3 days ago')
  expect(translator('ja').ago(now - 5 * 60_000, now)).toBe('5 分前')
  expect(translator('ko').ago(now - 3 * 86_400_000, now)).toBe('3일 전')
})

it('names a moment the same way on every seat, in UTC', () => {
  expect(utcMinute(Date.UTC(2026, 11, 2, 14, 3, 59))).toBe('2026-12-02 14:03 UTC')
})
