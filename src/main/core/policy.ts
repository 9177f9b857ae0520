/**
 * The organisation's policy, one row in the database. The SMTP password is sealed apart from the
 * rest and never leaves the main process: readers see only whether one is set.
 *
 * Every service reads the policy synchronously from this seat's copy, which is brought up to date
 * at the start of every call (in the same read as the caller's session: core/caller.ts): a policy
 * another seat saved applies at this seat's next call.
 */
import { DEFAULT_POLICY, policySchema, type Policy } from '../../shared/policy'
import type { Clock } from './clock'
import type { Sealer } from './secrets'
import type { Store } from '../store'

const SMTP_PASSWORD_CONTEXT = 'smtp-password'

export type PolicyRow = { json: string; smtp_password: Buffer | null }

export function createPolicyStore(deps: { store: Store; clock: Clock; sealer: Sealer }) {
  const { store, clock, sealer } = deps
  let row: PolicyRow | undefined
  let parsed: { json: string; policy: Policy } | null = null

  function policyOf(r: PolicyRow | undefined): Policy {
    if (!r) return DEFAULT_POLICY
    if (parsed?.json !== r.json) {
      // A policy written by an older version may lack newer keys: defaults fill them in.
      const merged = { ...DEFAULT_POLICY, ...(JSON.parse(r.json) as Partial<Policy>) }
      parsed = { json: r.json, policy: policySchema.parse(merged) }
    }
    return parsed.policy
  }

  /** This seat's copy, as read just now (undefined: no policy saved yet). */
  function accept(r: PolicyRow | undefined): Policy {
    row = r
    return policyOf(row)
  }

  return {
    /** Reads the stored policy into this seat's copy (at the start of every call). */
    refresh: async () => accept(await store.get<PolicyRow>('SELECT json, smtp_password FROM policy WHERE id = 1')),
    /** The same, given the row as read by a read that joined it to others (core/caller.ts). */
    accept,
    get(): Policy {
      return policyOf(row)
    },
    smtpPasswordSet(): boolean {
      return !!row?.smtp_password
    },
    smtpPassword(): string | null {
      const sealed = row?.smtp_password
      return sealed ? sealer.open(sealed, SMTP_PASSWORD_CONTEXT) : null
    },
    /** `smtpPassword`: undefined keeps the stored one, null removes it. */
    async save(policy: Policy, smtpPassword?: string | null): Promise<void> {
      const json = JSON.stringify(policySchema.parse(policy))
      await store.transaction(async () => {
        const current = await store.get<PolicyRow>(`SELECT json, smtp_password FROM policy WHERE id = 1${store.forUpdate}`)
        const sealed = smtpPassword === undefined ? (current?.smtp_password ?? null) : smtpPassword ? sealer.seal(smtpPassword, SMTP_PASSWORD_CONTEXT) : null
        await store.run(
          `INSERT INTO policy (id, json, smtp_password, updated_at) VALUES (1, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET json = excluded.json, smtp_password = excluded.smtp_password, updated_at = excluded.updated_at`,
          [json, sealed, clock.now()]
        )
        // This seat's copy follows at once; an enclosing transaction that rolls back is corrected by
        // the next call's refresh.
        row = { json, smtp_password: sealed }
      })
    }
  }
}

export type PolicyStore = ReturnType<typeof createPolicyStore>
