/** Rule: counts and times read as a person says them ("1 user", "just now"), in the console and the CLI. */
import { expect, it } from 'vitest'
import { ago, plural } from '../../src/shared/words'

it('puts the noun in the plural unless there is exactly one', () => {
  expect(plural(1, 'user')).toBe('1 user')
  expect(plural(0, 'user')).toBe('0 users')
  expect(plural(1_204, 'user')).toBe('1,204 users')
  expect(plural(2, 'entry', 'entries')).toBe('2 entries')
})

it('says how long ago, from "just now" to days', () => {
  const now = Date.UTC(2026, 10, 24, 12)
  expect(ago(now, now)).toBe('just now')
  expect(ago(now - 59_000, now)).toBe('just now')
  expect(ago(now + 5_000, now)).toBe('just now') // a clock a little ahead is not "in the future"
  expect(ago(now - 60_000, now)).toBe('1 minute ago')
  expect(ago(now - 5 * 60_000, now)).toBe('5 minutes ago')
  expect(ago(now - 60 * 60_000, now)).toBe('1 hour ago')
  expect(ago(now - 47 * 3_600_000, now)).toBe('47 hours ago')
  expect(ago(now - 3 * 86_400_000, now)).toBe('3 days ago')
})
