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
import { message } from '../../../../shared/i18n/translate'
import type { Sealer } from '../../secrets'
import type { Store } from '../../../store'
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

type Listed = TokenRow & { username?: string | null; display_name?: string | null; role?: Role | null }

export function createTokens(deps: { store: Store; clock: Clock; sealer: Sealer; audit: Audit }) {
  const { store, clock, sealer, audit } = deps
  const byUser = (userId: number, lock = '') => store.get<TokenRow>(`SELECT * FROM oath_tokens WHERE user_id = ? AND state = 'assigned'${lock}`, [userId])
  const bySerial = (serial: string, lock = '') => store.get<TokenRow>(`SELECT * FROM oath_tokens WHERE serial = ?${lock}`, [serial])

  function paramsOf(t: TokenRow): TokenParams {
    return { kind: t.kind, secret: sealer.open(t.secret, context(t.serial)), digits: t.digits, period: t.period, algorithm: t.algorithm }
  }

  function view(t: Listed): TokenView {
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

  /** The token, locked until the caller's transaction ends (assigning or releasing decides on its state). */
  async function tokenNamed(serial: string): Promise<TokenRow> {
    const t = await bySerial(serial.trim(), store.forUpdate)
    if (!t) throw new DomainError('NOT_FOUND', message('signInRefusals.noTokenWithSerial', { serial: serial.trim() }))
    return t
  }

  /**
   * Moves the token's counter (HOTP: the next value expected; TOTP: the last step used) to `counter`,
   * only forward: false when another check moved it there or past first (the code was used).
   */
  async function moveCounter(t: TokenRow, counter: number): Promise<boolean> {
    const r = await store.run('UPDATE oath_tokens SET counter = ?, resync_counter = NULL, last_used_at = ? WHERE serial = ? AND counter < ?', [counter, clock.now(), t.serial, counter])
    return r.changes === 1
  }

  return {
    /** Every seed of a file, or none: a serial already imported (or twice in the file) refuses the file. */
    importSeeds(actor: UserRow | null, seeds: TokenSeed[], workstation: string): Promise<{ imported: number }> {
      return store.transaction(async () => {
        const seen = new Set<string>()
        for (const s of seeds) {
          const key = s.serial.toLowerCase()
          if (seen.has(key)) throw new DomainError('INVALID_INPUT', message('signInRefusals.serialTwiceInFile', { serial: s.serial }))
          if (await bySerial(s.serial)) throw new DomainError('INVALID_INPUT', message('signInRefusals.serialAlreadyImported', { serial: s.serial }))
          seen.add(key)
        }
        const now = clock.now()
        for (const s of seeds) {
          const sealed = sealer.seal(secretToBase32(s.secret), context(s.serial))
          await store.run(
            `INSERT INTO oath_tokens (serial, kind, secret, digits, period, algorithm, counter, state, imported_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, 'available', ?)`,
            [s.serial, s.kind, sealed, s.digits, s.period, s.algorithm, s.kind === 'hotp' ? s.counter : -1, now]
          )
        }
        await audit.record({ event: 'tokens.imported', actor: actor && who(actor), workstation, details: { count: seeds.length, serials: seeds.slice(0, 20).map((s) => s.serial) } })
        return { imported: seeds.length }
      })
    },

    /** A vendor's seed file as uploaded: PSKC (XML) or CSV, read whole; a refused file names the entry and why. */
    async importFile(actor: UserRow | null, file: string, pskHex: string | null, workstation: string): Promise<{ imported: number }> {
      let seeds: TokenSeed[]
      try {
        seeds = /^\s*</.test(file) ? readPskc(file, pskHex) : readTokenCsv(file)
      } catch (error) {
        if (error instanceof SeedFileError) throw new DomainError('INVALID_INPUT', message('signInRefusals.nothingImported', { reason: error.message }), 'file')
        throw error
      }
      return this.importSeeds(actor, seeds, workstation)
    },

    async list(filter: { state?: TokenRow['state']; search?: string; limit?: number } = {}): Promise<TokenView[]> {
      const state = filter.state ?? null
      const search = filter.search?.trim() || null
      const rows = await store.all<Listed>(
        `SELECT t.*, u.username, u.display_name, u.role FROM oath_tokens t LEFT JOIN users u ON u.id = t.user_id
         WHERE (CAST(? AS TEXT) IS NULL OR t.state = ?) AND (CAST(? AS TEXT) IS NULL OR t.serial LIKE ? || '%' OR u.username LIKE ? || '%')
         ORDER BY t.serial LIMIT ?`,
        [state, state, search, search, search, filter.limit ?? 100]
      )
      return rows.map(view)
    },

    /** The id of the user holding the token `serial`, or null (no such token, or not assigned). */
    async holderOf(serial: string): Promise<number | null> {
      return (await bySerial(serial.trim()))?.user_id ?? null
    },

    /** The token a user holds, or null. */
    async heldBy(userId: number): Promise<TokenView | null> {
      const t = await byUser(userId)
      return t ? view(t) : null
    },

    /**
     * Gives `target` the token `serial`; returns the token. The caller replaces the user's second
     * factor with it (awaiting the first code) in the same transaction.
     */
    async assign(actor: UserRow | null, serial: string, target: UserRow, workstation: string): Promise<TokenView> {
      const t = await tokenNamed(serial)
      if (t.state === 'lost') throw new DomainError('INVALID_INPUT', message('signInRefusals.tokenMarkedLost', { serial: t.serial }), 'serial')
      if (t.state === 'assigned') throw new DomainError('INVALID_INPUT', message('signInRefusals.tokenAssignedElsewhere', { serial: t.serial }), 'serial')
      const held = await byUser(target.id, store.forUpdate)
      if (held) throw new DomainError('INVALID_INPUT', message('signInRefusals.userHoldsToken', { name: target.display_name, serial: held.serial }), 'serial')
      await store.run("UPDATE oath_tokens SET state = 'assigned', user_id = ?, assigned_at = ?, resync_counter = NULL WHERE serial = ?", [target.id, clock.now(), t.serial])
      await audit.record({ event: 'token.assigned', actor: actor && who(actor), subject: who(target), workstation, details: { serial: t.serial } })
      return view({ ...t, state: 'assigned', user_id: target.id })
    },

    /** Takes the token back (available again, or lost); returns the user who held it, if any. */
    async release(actor: UserRow | null, serial: string, lost: boolean, workstation: string): Promise<{ serial: string; userId: number | null }> {
      const t = await tokenNamed(serial)
      if (lost ? t.state === 'lost' : t.state !== 'assigned') throw new DomainError('INVALID_INPUT', lost ? message('signInRefusals.tokenAlreadyLost', { serial: t.serial }) : message('signInRefusals.tokenNotAssigned', { serial: t.serial }), 'serial')
      await store.run('UPDATE oath_tokens SET state = ?, user_id = NULL, assigned_at = NULL, resync_counter = NULL WHERE serial = ?', [lost ? 'lost' : 'available', t.serial])
      const subject = t.user_id === null ? null : ((await store.get<{ id: number; username: string }>('SELECT id, username FROM users WHERE id = ?', [t.user_id])) ?? null)
      await audit.record({ event: lost ? 'token.lost' : 'token.unassigned', actor: actor && who(actor), subject, workstation, details: { serial: t.serial } })
      return { serial: t.serial, userId: t.user_id }
    },

    /**
     * Checks a code of the user's token inside the caller's transaction, moving its counter on
     * success. The counter moves only forward (a conditional write): a code that another check
     * accepted first is a replay (TOTP) or, as a used HOTP value is, wrong.
     */
    async check(userId: number, code: string): Promise<TokenCheck> {
      const t = await byUser(userId)
      if (!t) return 'wrong'
      const digits = normalizeTokenCode(code, t.digits)
      if (!digits) return 'wrong'
      if (t.kind === 'totp') {
        const r = checkTotpToken(paramsOf(t), digits, clock.now(), t.counter)
        if (r.result === 'ok' && !(await moveCounter(t, r.step))) return 'replayed'
        return r.result
      }
      const r = checkHotp(paramsOf(t), digits, t.counter, t.resync_counter)
      if (r.result === 'ok') return (await moveCounter(t, r.next)) ? 'ok' : 'wrong'
      if (r.result === 'resync-started') {
        await store.run('UPDATE oath_tokens SET resync_counter = ? WHERE serial = ?', [r.expect, t.serial])
        return 'resync'
      }
      return r.result
    }
  }
}

export type Tokens = ReturnType<typeof createTokens>
