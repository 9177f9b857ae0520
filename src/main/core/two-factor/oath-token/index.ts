/**
 * Hardware OATH tokens: seeds imported from the vendor's file (all or nothing), sealed at rest,
 * each token held by one user at a time. The help desk assigns a token by its serial number (the
 * user confirms its first code at their next login), unassigns it or marks it lost. Each code, and
 * each HOTP counter value, is accepted once.
 */
import type { TokenView } from '../../../../shared/admin-dto'
import type { Role } from '../../../../shared/dto'
import { type Audit, who } from '../../audit'
import type { Clock } from '../../clock'
import { DomainError } from '../../domain-error'
import type { Sealer } from '../../secrets'
import type { Db } from '../../../db/open'
import type { UserRow } from '../../../db/queries/users'
import { checkHotp, checkTotpToken, normalizeTokenCode, type TokenAlgorithm, type TokenKind, type TokenParams } from './otp'
import { readPskc, readTokenCsv, secretToBase32, SeedFileError, type TokenSeed } from './seed-files'

type TokenRow = {
  serial: string
  kind: TokenKind
  secret: Buffer
  digits: 6 | 8
  period: 30 | 60 | null
  algorithm: TokenAlgorithm
  counter: number
  resync_counter: number | null
  user_id: number | null
  state: 'available' | 'assigned' | 'lost'
  imported_at: number
  assigned_at: number | null
  last_used_at: number | null
}

/** What a code did: accepted; the start of a resynchronisation (not accepted); used before; wrong. */
export type TokenCheck = 'ok' | 'resync' | 'replayed' | 'wrong'

const context = (serial: string) => `token:${serial.toLowerCase()}`

export function createTokens(deps: { db: Db; clock: Clock; sealer: Sealer; audit: Audit }) {
  const { db, clock, sealer, audit } = deps
  const byUser = db.prepare("SELECT * FROM oath_tokens WHERE user_id = ? AND state = 'assigned'")
  const bySerial = db.prepare('SELECT * FROM oath_tokens WHERE serial = ?')

  function paramsOf(t: TokenRow): TokenParams {
    return { kind: t.kind, secret: sealer.open(t.secret, context(t.serial)), digits: t.digits, period: t.period, algorithm: t.algorithm }
  }

  function view(t: TokenRow & { username?: string | null; display_name?: string | null; role?: Role | null }): TokenView {
    return {
      serial: t.serial,
      kind: t.kind,
      digits: t.digits,
      period: t.period,
      algorithm: t.algorithm,
      state: t.state,
      user: t.user_id !== null && t.username ? { id: t.user_id, username: t.username, displayName: t.display_name!, role: t.role! } : null,
      importedAt: t.imported_at,
      assignedAt: t.assigned_at,
      lastUsedAt: t.last_used_at
    }
  }

  function tokenNamed(serial: string): TokenRow {
    const t = bySerial.get(serial.trim()) as TokenRow | undefined
    if (!t) throw new DomainError('NOT_FOUND', `No token with serial number ${serial.trim()}.`)
    return t
  }

  return {
    /** Every seed of a file, or none: a serial already imported (or twice in the file) refuses the file. */
    importSeeds(actor: UserRow | null, seeds: TokenSeed[], workstation: string): { imported: number } {
      return db.transaction(() => {
        const seen = new Set<string>()
        for (const s of seeds) {
          const key = s.serial.toLowerCase()
          if (seen.has(key)) throw new DomainError('INVALID_INPUT', `Serial number ${s.serial} is in the file twice; nothing was imported.`)
          if (bySerial.get(s.serial)) throw new DomainError('INVALID_INPUT', `Serial number ${s.serial} is already imported; nothing was imported.`)
          seen.add(key)
        }
        const insert = db.prepare(
          `INSERT INTO oath_tokens (serial, kind, secret, digits, period, algorithm, counter, state, imported_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, 'available', ?)`
        )
        const now = clock.now()
        for (const s of seeds) {
          const sealed = sealer.seal(secretToBase32(s.secret), context(s.serial))
          insert.run(s.serial, s.kind, sealed, s.digits, s.period, s.algorithm, s.kind === 'hotp' ? s.counter : -1, now)
        }
        audit.record({ event: 'tokens.imported', actor: actor && who(actor), workstation, details: { count: seeds.length, serials: seeds.slice(0, 20).map((s) => s.serial) } })
        return { imported: seeds.length }
      }).immediate()
    },

    /** A vendor's seed file as uploaded: PSKC (XML) or CSV, read whole; a refused file names the entry and why. */
    importFile(actor: UserRow | null, file: string, pskHex: string | null, workstation: string): { imported: number } {
      let seeds: TokenSeed[]
      try {
        seeds = /^\s*</.test(file) ? readPskc(file, pskHex) : readTokenCsv(file)
      } catch (error) {
        if (error instanceof SeedFileError) throw new DomainError('INVALID_INPUT', `Nothing was imported: ${error.message}.`, 'file')
        throw error
      }
      return this.importSeeds(actor, seeds, workstation)
    },

    list(filter: { state?: TokenRow['state']; search?: string; limit?: number } = {}): TokenView[] {
      const rows = db
        .prepare(
          `SELECT t.*, u.username, u.display_name, u.role FROM oath_tokens t LEFT JOIN users u ON u.id = t.user_id
           WHERE (@state IS NULL OR t.state = @state) AND (@search IS NULL OR t.serial LIKE @search || '%' OR u.username LIKE @search || '%')
           ORDER BY t.serial LIMIT @limit`
        )
        .all({ state: filter.state ?? null, search: filter.search?.trim() || null, limit: filter.limit ?? 100 }) as Parameters<typeof view>[0][]
      return rows.map(view)
    },

    /** The id of the user holding the token `serial`, or null (no such token, or not assigned). */
    holderOf(serial: string): number | null {
      return (bySerial.get(serial.trim()) as TokenRow | undefined)?.user_id ?? null
    },

    /** The token a user holds, or null. */
    heldBy(userId: number): TokenView | null {
      const t = byUser.get(userId) as TokenRow | undefined
      return t ? view(t) : null
    },

    /**
     * Gives `target` the token `serial`; returns the token. The caller replaces the user's second
     * factor with it (awaiting the first code) in the same transaction.
     */
    assign(actor: UserRow | null, serial: string, target: UserRow, workstation: string): TokenView {
      const t = tokenNamed(serial)
      if (t.state === 'lost') throw new DomainError('INVALID_INPUT', `Token ${t.serial} is marked lost.`, 'serial')
      if (t.state === 'assigned') throw new DomainError('INVALID_INPUT', `Token ${t.serial} already belongs to someone; unassign it first.`, 'serial')
      const held = byUser.get(target.id) as TokenRow | undefined
      if (held) throw new DomainError('INVALID_INPUT', `${target.display_name} already holds token ${held.serial}; unassign it first.`, 'serial')
      db.prepare("UPDATE oath_tokens SET state = 'assigned', user_id = ?, assigned_at = ?, resync_counter = NULL WHERE serial = ?").run(target.id, clock.now(), t.serial)
      audit.record({ event: 'token.assigned', actor: actor && who(actor), subject: who(target), workstation, details: { serial: t.serial } })
      return view({ ...t, state: 'assigned', user_id: target.id })
    },

    /** Takes the token back (available again, or lost); returns the user who held it, if any. */
    release(actor: UserRow | null, serial: string, lost: boolean, workstation: string): { serial: string; userId: number | null } {
      const t = tokenNamed(serial)
      if (lost ? t.state === 'lost' : t.state !== 'assigned') throw new DomainError('INVALID_INPUT', lost ? `Token ${t.serial} is already marked lost.` : `Token ${t.serial} is not assigned.`, 'serial')
      db.prepare('UPDATE oath_tokens SET state = ?, user_id = NULL, assigned_at = NULL, resync_counter = NULL WHERE serial = ?').run(lost ? 'lost' : 'available', t.serial)
      const subject = t.user_id === null ? null : (db.prepare('SELECT id, username FROM users WHERE id = ?').get(t.user_id) as { id: number; username: string })
      audit.record({ event: lost ? 'token.lost' : 'token.unassigned', actor: actor && who(actor), subject, workstation, details: { serial: t.serial } })
      return { serial: t.serial, userId: t.user_id }
    },

    /** Checks a code of the user's token inside the caller's transaction, moving its counter on success. */
    check(userId: number, code: string): TokenCheck {
      const t = byUser.get(userId) as TokenRow | undefined
      if (!t) return 'wrong'
      const digits = normalizeTokenCode(code, t.digits)
      if (!digits) return 'wrong'
      const used = (counter: number) => db.prepare('UPDATE oath_tokens SET counter = ?, resync_counter = NULL, last_used_at = ? WHERE serial = ?').run(counter, clock.now(), t.serial)
      if (t.kind === 'totp') {
        const r = checkTotpToken(paramsOf(t), digits, clock.now(), t.counter)
        if (r.result === 'ok') used(r.step)
        return r.result
      }
      const r = checkHotp(paramsOf(t), digits, t.counter, t.resync_counter)
      if (r.result === 'ok') used(r.next)
      if (r.result === 'resync-started') db.prepare('UPDATE oath_tokens SET resync_counter = ? WHERE serial = ?').run(r.expect, t.serial)
      return r.result === 'resync-started' ? 'resync' : r.result
    }
  }
}

export type Tokens = ReturnType<typeof createTokens>
