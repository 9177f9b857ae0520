/**
 * Rule: every audit event reads as a sentence naming who did what to whom and where, with times as
 * dates, never a raw id or an epoch number (the raw id stays in the CSV and the details view).
 */
import { expect, it } from 'vitest'
import { eventFacts, eventSentence } from '../../src/shared/audit-events'
import { LOCALES } from '../../src/shared/i18n/locales'
import { translator } from '../../src/shared/i18n/translate'

const en = translator('en')
const time = (ms: number) => new Date(ms).toISOString()

it('reads rows as sentences, with where they happened', () => {
  const row = { actor: null, subject: 'grace', workstation: 'kiosk-3', details: {} }
  expect(eventSentence({ ...row, event: 'login.second-factor-failed' }, en, time)).toBe('grace entered a wrong code at kiosk-3')
  expect(eventSentence({ ...row, event: 'lock.account', details: { until: Date.UTC(2026, 10, 24, 14, 5), factor: 'second-factor' } }, en, time)).toBe(
    "grace's account was locked after too many wrong codes until 2026-11-24T14:05:00.000Z at kiosk-3"
  )
  expect(eventSentence({ ...row, event: 'user.role-changed', actor: 'ada', workstation: 'cli', details: { from: 'user', to: 'helpdesk' } }, en, time)).toBe("ada changed grace's role from user to help desk from the command line")
  expect(eventSentence({ ...row, event: 'enrolment-link.refused', subject: null }, en, time)).toBe('A registration code was refused at kiosk-3')
  expect(eventSentence({ ...row, event: 'login.succeeded', details: { method: 'totp' } }, en, time)).toBe('grace logged in with an authenticator app at kiosk-3')
  expect(eventSentence({ ...row, event: 'login.succeeded', details: { method: 'email' } }, en, time)).toBe('grace logged in with an e-mail code at kiosk-3')
  expect(eventSentence({ ...row, event: 'login.succeeded', details: { method: 'webauthn' } }, en, time)).toBe('grace logged in with a security key at kiosk-3')
  expect(eventSentence({ ...row, event: 'some.future-event' }, en, time)).toBe('some.future-event (grace) at kiosk-3')
})

it('lists details with times as dates', () => {
  expect(eventFacts({ expiresAt: Date.UTC(2026, 10, 24), reason: 'lost phone', unlocked: true }, time)).toEqual([
    ['expires at', '2026-11-24T00:00:00.000Z'],
    ['reason', 'lost phone'],
    ['unlocked', 'true']
  ])
})

it('has a sentence for every event (the type makes the engine write only these), with no raw id and no epoch number in it', async () => {
  const source = (await import('node:fs')).readFileSync(new URL('../../src/shared/audit-events.ts', import.meta.url), 'utf8')
  const events = [...source.matchAll(/^ {2}\| '([a-z.-]+)'$/gm)].map((m) => m[1]!)
  expect(events.length).toBeGreaterThan(50)
  const details = { until: 1_796_065_859_895, expiresAt: 1_796_065_859_895, method: 'totp', serial: 'HW-1', name: 'blue key', count: 2, rows: 3, left: 1, from: 'user', to: 'admin', role: 'user', idleMs: 600_000, reason: 'lost phone' }
  for (const locale of LOCALES) {
    for (const event of events) {
      const sentence = eventSentence({ event, actor: 'ada', subject: 'grace', workstation: 'kiosk-3', details }, translator(locale), time)
      if (event.includes('.')) expect(sentence, `${locale} ${event}`).not.toContain(event)
      expect(sentence, `${locale} ${event}`).not.toMatch(/\d{10,}/)
      expect(sentence, `${locale} ${event}`).not.toMatch(/undefined|null|\[object/)
      expect(sentence, `${locale} ${event}`).toContain('kiosk-3') // and says where
      if (locale !== 'en') expect(sentence, `${locale} ${event}`).not.toBe(eventSentence({ event, actor: 'ada', subject: 'grace', workstation: 'kiosk-3', details }, en, time))
    }
  }
})

it('reads in the reader\'s language, dates and lists as that language writes them', () => {
  const row = { event: 'user.role-changed', actor: 'ada', subject: 'grace', workstation: 'kiosk-3', details: { from: 'user', to: 'helpdesk' } }
  expect(eventSentence(row, translator('ja'))).toBe('ada が grace のロールをユーザーからヘルプデスクに変更しました（端末 kiosk-3 で）')
  expect(eventSentence({ ...row, event: 'login.succeeded', actor: null, workstation: 'cli', details: { method: 'webauthn' } }, translator('vi'))).toBe('grace đã đăng nhập bằng khóa bảo mật qua dòng lệnh')
  const locked = { ...row, event: 'lock.account', actor: null, details: { until: Date.UTC(2026, 10, 24, 14, 5) } }
  expect(eventSentence(locked, translator('ko'), time)).toContain('2026-11-24T14:05:00.000Z까지')
  expect(eventSentence({ ...row, event: 'user.updated', details: { changed: ['email', 'phone'] } }, translator('ja'))).toContain('メールアドレス、電話番号')
})
