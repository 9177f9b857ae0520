/**
 * The directory source's settings, one row: the server and how to read it (shared/directory-source.ts),
 * and the service account's password sealed by the data key apart from the rest (as the SMTP
 * password is), never shown again once saved.
 */
import { directorySourceSchema, type DirectorySource } from '../../../shared/directory-source'
import type { Clock } from '../clock'
import type { Sealer } from '../secrets'
import type { Store } from '../../store'

const PASSWORD_CONTEXT = 'directory-bind-password'

type Row = { json: string; bind_password: Buffer | null }

export function createSourceSettings(deps: { store: Store; clock: Clock; sealer: Sealer }) {
  const { store, clock, sealer } = deps
  const read = () => store.get<Row>('SELECT json, bind_password FROM directory_source WHERE one = 1')
  return {
    /** The settings, or null when no directory is set up. */
    async get(): Promise<DirectorySource | null> {
      const row = await read()
      return row ? directorySourceSchema.parse(JSON.parse(row.json)) : null
    },
    /** The settings and the service account's password, to connect with. */
    async withPassword(): Promise<{ source: DirectorySource; password: string } | null> {
      const row = await read()
      if (!row) return null
      return { source: directorySourceSchema.parse(JSON.parse(row.json)), password: row.bind_password ? sealer.open(row.bind_password, PASSWORD_CONTEXT) : '' }
    },
    async passwordSet(): Promise<boolean> {
      return !!(await read())?.bind_password
    },
    /** `password`: undefined keeps the stored one. */
    async save(source: DirectorySource, password?: string): Promise<void> {
      const json = JSON.stringify(directorySourceSchema.parse(source))
      await store.transaction(async () => {
        const current = await store.get<Row>(`SELECT json, bind_password FROM directory_source WHERE one = 1${store.forUpdate}`)
        const sealed = password === undefined ? (current?.bind_password ?? null) : sealer.seal(password, PASSWORD_CONTEXT)
        await store.run(
          `INSERT INTO directory_source (one, json, bind_password, updated_at) VALUES (1, ?, ?, ?)
           ON CONFLICT (one) DO UPDATE SET json = excluded.json, bind_password = excluded.bind_password, updated_at = excluded.updated_at`,
          [json, sealed, clock.now()]
        )
      })
    },
    async remove(): Promise<void> {
      await store.run('DELETE FROM directory_source')
    }
  }
}

export type SourceSettings = ReturnType<typeof createSourceSettings>
