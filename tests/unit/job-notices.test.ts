/** Rule: a job a crash interrupted is told, at the next start, in the reader's language: what it had done, and what to do now. */
import { expect, it } from 'vitest'
import type { JobNotice } from '../../src/shared/admin-dto'
import { LOCALES } from '../../src/shared/i18n/locales'
import { translator } from '../../src/shared/i18n/translate'
import { jobNoticeText } from '../../src/shared/job-notices'

const time = (ms: number) => new Date(ms).toISOString()
const base = { id: 'j1', actor: 'ada', workstation: 'kiosk-3', inputName: 'hr.csv', total: null, startedAt: Date.UTC(2026, 11, 4, 9), settledAt: Date.UTC(2026, 11, 4, 10) }
const importRemoved: JobNotice = { ...base, kind: 'users-import', state: 'rolled-back', outcome: { removed: 1_204 } }
const bulk: JobNotice = { ...base, kind: 'users-bulk', state: 'interrupted', workstation: 'cli', actor: null, inputName: null, total: 300, outcome: { action: 'reset-2fa', done: 12, names: ['grace', 'linus'] } }

it('says in English what an interrupted import and bulk action had done', () => {
  const en = translator('en')
  expect(jobNoticeText(importRemoved, en, time)).toBe(
    'The import of hr.csv started by ada at kiosk-3 on 2026-12-04T09:00:00.000Z was interrupted: the 1,204 users it had created were removed again, so nothing of it is left. Import the file again.'
  )
  expect(jobNoticeText({ ...importRemoved, outcome: { removed: 1 } }, en, time)).toContain('the 1 user it had created was removed again')
  expect(jobNoticeText({ ...importRemoved, outcome: { removed: 0 } }, en, time)).toContain('was interrupted before it created anyone: nothing was imported.')
  expect(jobNoticeText({ ...importRemoved, state: 'done', outcome: { created: 3 } }, en, time)).toContain('after it had created all its 3 users: it is complete.')
  expect(jobNoticeText(bulk, en, time)).toBe(
    'The bulk 2FA reset started at the command line on 2026-12-04T09:00:00.000Z was interrupted. It was done for 12 of 300 accounts: grace, linus and 10 others; the others were not done.'
  )
  expect(jobNoticeText({ ...bulk, kind: 'directory-sync' }, en, time)).toMatch(/^The directory sync started at the command line on .* was interrupted; what it had read is applied/)
})

it('says it in each language, with the names, counts and time in it', () => {
  expect(jobNoticeText(importRemoved, translator('ja'), time)).toBe(
    '端末 kiosk-3 で2026-12-04T09:00:00.000Zに ada が開始した hr.csv のインポートは中断されました。作成済みだった1,204人のユーザーは削除し、何も残っていません。もう一度ファイルをインポートしてください。'
  )
  for (const locale of LOCALES) {
    const words = translator(locale)
    for (const n of [importRemoved, bulk, { ...bulk, kind: 'directory-sync' as const }]) {
      const text = jobNoticeText(n, words, time)
      expect(text).toContain('2026-12-04T09:00:00.000Z')
      if (locale !== 'en') expect(text).not.toMatch(/\b(the|was|started|import|interrupted)\b/i)
    }
    expect(jobNoticeText(bulk, words, time)).toContain(words.list(['grace', 'linus']))
  }
})
