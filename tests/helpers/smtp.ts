/** A real SMTP server on loopback (smtp-server) that keeps what it receives, parsed enough to read. */
import { SMTPServer } from 'smtp-server'
import type { AddressInfo } from 'node:net'

export type Received = { from: string; to: string[]; raw: string; subject: string; body: string }

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
          subject: /^Subject: (.*)$/m.exec(head)?.[1] ?? '',
          body: rest.join('\n\n')
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
