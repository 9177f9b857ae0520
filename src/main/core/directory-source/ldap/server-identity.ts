/**
 * Which database an Active Directory domain controller's uSNChanged stamps are counted in. A USN is
 * one domain controller's own counter: another DC numbers its changes apart, and a DC restored
 * from a backup counts on from the backup's number, taking a new invocation id so that replication
 * can tell. A watermark is only worth comparing with the database that gave it, so a sync keeps the
 * invocation id beside it (sync.ts). The rootDSE names the DC's NTDS Settings object
 * (dsServiceName), which holds the invocationId; its highestCommittedUSN is the DC's counter now.
 */
import { InsufficientAccessError, NoSuchObjectError, type Client, type Entry } from 'ldapts'
import { explain } from './connection'
import { first, guidText, textOf } from './people'

/** GUIDs are 16 bytes. */
const GUID_BYTES = 16

/** `invocationId` null: the server did not say, and `unknown` says why. */
export type ServerIdentity = { invocationId: string | null; highestUsn: number | null; unknown: string | null }

async function baseEntry(connection: { client: Client; url: string }, dn: string, attributes: string[]): Promise<Entry | undefined> {
  const { searchEntries } = await connection.client.search(dn, { scope: 'base', filter: '(objectClass=*)', attributes, explicitBufferAttributes: ['invocationId'] })
  return searchEntries[0]
}

/** The invocation id of the domain controller this connection reached (as AD tools write GUIDs), and its highest USN now. */
export async function identityOf(connection: { client: Client; url: string }): Promise<ServerIdentity> {
  const { url } = connection
  let root: Entry | undefined
  try {
    root = await baseEntry(connection, '', ['dsServiceName', 'highestCommittedUSN'])
  } catch (error) {
    throw explain(error, url)
  }
  const usn = root ? textOf(root, 'highestCommittedUSN') : ''
  const highestUsn = /^\d+$/.test(usn) ? Number(usn) : null
  const service = root ? textOf(root, 'dsServiceName') : ''
  if (!service) return { invocationId: null, highestUsn, unknown: 'its rootDSE gives no dsServiceName' }
  let ntds: Entry | undefined
  try {
    ntds = await baseEntry(connection, service, ['invocationId'])
  } catch (error) {
    // Not there, or hidden from the service account: unknown, which costs a full read, not the sync.
    if (!(error instanceof NoSuchObjectError || error instanceof InsufficientAccessError)) throw explain(error, url)
  }
  const raw = ntds && first(ntds, 'invocationId')
  if (!Buffer.isBuffer(raw) || raw.length !== GUID_BYTES) return { invocationId: null, highestUsn, unknown: `the service account reads no invocationId on ${service}` }
  return { invocationId: guidText(raw), highestUsn, unknown: null }
}
