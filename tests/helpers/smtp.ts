/** A real SMTP server on loopback (smtp-server) that keeps what it receives, parsed enough to read. */
import { SMTPServer } from 'smtp-server'
import type { AddressInfo } from 'node:net'

/** `subject` and `text` decoded as a mail reader would (RFC 2047 words, quoted-printable or base64 bodies); `body` as sent. */
export type Received = { from: string; to: string[]; raw: string; subject: string; body: string; text: string }

/** A header's value, unfolded, with its RFC 2047 encoded words (=?UTF-8?B?...?= or ?Q?) decoded. */
function headerValue(head: string, name: string): string {
  const folded = new RegExp(`^${name}: (.*(?:\\r?\\n[ \\t].*)*)`, 'mi').exec(head)?.[1] ?? ''
  return folded
    .replace(/\r?\n[ \t]/g, ' ')
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, _charset: string, kind: string, text: string) =>
      kind.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : qp(text.replace(/_/g, ' '))
    )
}

/** Quoted-printable to text (soft line breaks dropped, =XX as bytes of UTF-8). */
function qp(text: string): string {
  const bytes = text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h: string) => `%${h}`)
  return decodeURIComponent(bytes.replace(/%(?![0-9A-F]{2})/gi, '%25'))
}

function bodyText(head: string, body: string): string {
  const encoding = headerValue(head, 'Content-Transfer-Encoding').toLowerCase()
  if (encoding === 'quoted-printable') return qp(body).replace(/\r\n/g, '\n')
  if (encoding === 'base64') return Buffer.from(body, 'base64').toString('utf8').replace(/\r\n/g, '\n')
  return body.replace(/\r\n/g, '\n')
}

export async function startSmtp(opts: { user?: string; pass?: string } = {}) {
  const messages: Received[] = []
  const waiters: ((m: Received) => void)[] = []
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    authOptional: !opts.user,
    allowInsecureAuth: true,
    onAuth(auth, _session, cb) {
      if (auth.username === opts.user && auth.password === opts.pass) cb(null, { user: auth.username })
      else cb(new Error('Invalid username or password'))
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8')
        const [head = '', ...rest] = raw.split(/\r?\n\r?\n/)
        const m: Received = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          subject: headerValue(head, 'Subject'),
          body: rest.join('\n\n'),
          text: bodyText(head, rest.join('\n\n'))
        }
        messages.push(m)
        waiters.splice(0).forEach((w) => w(m))
        cb()
      })
    }
  })
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()))
  const port = (server.server.address() as AddressInfo).port
  return {
    port,
    messages,
    /** The next message (or the last one if it already arrived since `after`). */
    next(after = messages.length): Promise<Received> {
      if (messages.length > after) return Promise.resolve(messages[after]!)
      return new Promise((ok) => waiters.push(ok))
    },
    close: () => new Promise<void>((ok) => server.close(() => ok()))
  }
}

export function sixDigits(m: Received): string {
  const found = /\b(\d{6})\b/.exec(m.body)
  if (!found) throw new Error('no code in the message')
  return found[1]!
}
