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

it('lists details in the reader\'s language, with times as dates, yes or no, methods and roles in words', () => {
  const details = { expiresAt: Date.UTC(2026, 10, 24), reason: 'lost phone', unlocked: true, method: 'totp', from: 'user', to: 'admin', someFutureKey: 3, factor: 'second-factor' }
  expect(eventFacts(details, en, time)).toEqual([
    ['Expires', '2026-11-24T00:00:00.000Z'],
    ['Reason', 'lost phone'],
    ['Unlocked', 'Yes'],
    ['Method', 'Authenticator app'],
    ['From', 'User'],
    ['To', 'Administrator'],
    ['some future key', '3'],
    ['Factor', 'Second factor']
  ])
  expect(eventFacts(details, translator('ja'), time).slice(0, 6)).toEqual([
    ['有効期限', '2026-11-24T00:00:00.000Z'],
    ['理由', 'lost phone'],
    ['ロック解除', 'はい'],
    ['認証方法', '認証アプリ'],
    ['変更前', 'ユーザー'],
    ['変更後', '管理者']
  ])
})

it('has a label in every language for each detail the engine records', async () => {
  const { readFileSync, readdirSync } = await import('node:fs')
  const files = readdirSync(new URL('../../src/main', import.meta.url), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'))
  const keys = new Set<string>()
  for (const f of files) {
    const source = readFileSync(new URL(`../../src/main/${f}`, import.meta.url), 'utf8')
    for (const m of source.matchAll(/details: \{([^{}()]*)\}/g)) for (const k of m[1]!.matchAll(/(?:^|,)\s*(\w+)\s*(?=[:,]|$)/g)) keys.add(k[1]!)
  }
  expect(keys.size).toBeGreaterThan(40)
  for (const locale of LOCALES) {
    const words = translator(locale)
    const unlabelled = [...keys].filter((key) => words.t('audit.detailKey', { key, label: '?' }) === '?')
    expect(unlabelled, locale).toEqual([])
  }
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
