/**
 * Outgoing e-mail through nodemailer: SMTP from the policy, or, while no SMTP server is configured,
 * a pickup directory of .eml files in the data directory (mode 0600) that an administrator can
 * forward or open.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import nodemailer from 'nodemailer'
import type { SmtpSettings } from '../../shared/policy'
import type { Clock } from './clock'
import { DomainError } from './domain-error'
import type { PolicyStore } from './policy'
import type { Locale } from '../../shared/i18n/locales'
import { message as refusal, translator, type Translator } from '../../shared/i18n/translate'

export type Message = { to: string; subject: string; text: string }

/** The recipient's language (their own, else the organisation's default, else English), for their e-mail. */
export const recipientWords = (policy: PolicyStore, recipient: { language: Locale | null }): Translator =>
  translator(recipient.language ?? policy.get().defaultLanguage ?? 'en')

/** An e-mail's text: the greeting, then its paragraphs (a code or a link indented on its own), a blank line between. */
export function letter(words: Translator, name: string, paragraphs: string[]): string {
  return `${[words.t('mail.greeting', { name }), ...paragraphs].join('\n\n')}\n`
}

/** A code or a link on its own line, indented, so it is easy to select and copy. */
export const block = (text: string) => `    ${text}`

/** A moment in an e-mail: a reader may be anywhere, so it is given in UTC, said so in the reader's language. */
export const utcMoment = (words: Translator, ms: number) => words.intl.formatDate(ms, { dateStyle: 'long', timeStyle: 'long', timeZone: 'UTC' })
export type Delivery = { via: 'smtp'; messageId: string } | { via: 'pickup'; file: string }

const SMTP_TIMEOUT_MS = 10_000
const PICKUP_FROM = 'Tessera <tessera@localhost>'

function smtpTransport(smtp: SmtpSettings, password: string | null) {
  return nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.security === 'tls',
    requireTLS: smtp.security === 'starttls',
    ignoreTLS: smtp.security === 'none',
    auth: smtp.username ? { user: smtp.username, pass: password ?? '' } : undefined,
    connectionTimeout: SMTP_TIMEOUT_MS,
    greetingTimeout: SMTP_TIMEOUT_MS,
    socketTimeout: SMTP_TIMEOUT_MS
  })
}

export function createMailer(deps: { policy: PolicyStore; pickupDir: string; clock: Clock }) {
  const { policy, pickupDir, clock } = deps

  async function sendSmtp(smtp: SmtpSettings, message: Message, password: string | null): Promise<Delivery> {
    const transport = smtpTransport(smtp, password)
    try {
      const info = await transport.sendMail({ from: smtp.from, ...message })
      return { via: 'smtp', messageId: info.messageId }
    } catch (error) {
      throw new DomainError('MAIL_FAILED', refusal('staffRefusals.mailNotSent', { reason: (error as Error).message }))
    } finally {
      transport.close()
    }
  }

  return {
    smtpConfigured(): boolean {
      return policy.get().smtp !== null
    },
    async send(message: Message): Promise<Delivery> {
      const smtp = policy.get().smtp
      if (smtp) return sendSmtp(smtp, message, policy.smtpPassword())
      const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' })
      const info = await transport.sendMail({ from: PICKUP_FROM, ...message })
      mkdirSync(pickupDir, { recursive: true, mode: 0o700 })
      const file = join(pickupDir, `${clock.now()}-${randomBytes(4).toString('hex')}.eml`)
      writeFileSync(file, info.message as Buffer, { mode: 0o600 })
      return { via: 'pickup', file }
    },
    /** The policy screen's "Send test e-mail", with settings not yet saved. */
    sendWith(smtp: SmtpSettings, password: string | null, message: Message): Promise<Delivery> {
      return sendSmtp(smtp, message, password)
    }
  }
}

export type Mailer = ReturnType<typeof createMailer>
