/**
 * The organisation's policy, one row in the database. The SMTP password is sealed apart from the
 * rest and never leaves the main process: readers see only whether one is set.
 */
import { DEFAULT_POLICY, policySchema, type Policy } from '../../shared/policy'
import type { Clock } from './clock'
import type { Sealer } from './secrets'
import type { Db } from '../db/open'

const SMTP_PASSWORD_CONTEXT = 'smtp-password'

export function createPolicyStore(deps: { db: Db; clock: Clock; sealer: Sealer }) {
  const { db, clock, sealer } = deps
  const read = db.prepare('SELECT json, smtp_password FROM policy WHERE id = 1')
  let cache: { json: string; policy: Policy } | null = null

  function row(): { json: string; smtp_password: Buffer | null } | undefined {
    return read.get() as { json: string; smtp_password: Buffer | null } | undefined
  }

  return {
    get(): Policy {
      const r = row()
      if (!r) return DEFAULT_POLICY
      if (cache?.json !== r.json) {
        // A policy written by an older version may lack newer keys: defaults fill them in.
        const merged = { ...DEFAULT_POLICY, ...(JSON.parse(r.json) as Partial<Policy>) }
        cache = { json: r.json, policy: policySchema.parse(merged) }
      }
      return cache.policy
    },
    smtpPasswordSet(): boolean {
      return !!row()?.smtp_password
    },
    smtpPassword(): string | null {
      const sealed = row()?.smtp_password
      return sealed ? sealer.open(sealed, SMTP_PASSWORD_CONTEXT) : null
    },
    /** `smtpPassword`: undefined keeps the stored one, null removes it. */
    save(policy: Policy, smtpPassword?: string | null): void {
      const json = JSON.stringify(policySchema.parse(policy))
      const current = row()
      const sealed =
        smtpPassword === undefined ? (current?.smtp_password ?? null) : smtpPassword ? sealer.seal(smtpPassword, SMTP_PASSWORD_CONTEXT) : null
      db.prepare(
        `INSERT INTO policy (id, json, smtp_password, updated_at) VALUES (1, @json, @sealed, @now)
         ON CONFLICT (id) DO UPDATE SET json = excluded.json, smtp_password = excluded.smtp_password, updated_at = excluded.updated_at`
      ).run({ json, sealed, now: clock.now() })
    }
  }
}

export type PolicyStore = ReturnType<typeof createPolicyStore>
