import { ipcMain, type IpcMainInvokeEvent } from 'electron'
import { CHANNELS } from '../../shared/contract'
import { ERROR_MESSAGES } from '../../shared/errors'
import { EXPORT_CHANNELS, type EngineHost } from '../worker/engine-host'
import type { SaveTarget } from './handlers'

export type BindingOptions = {
  /** True only for the main frame of our own window showing our own page. */
  isTrustedSender(event: IpcMainInvokeEvent): boolean
  /** The connection (session holder, kept in the engine's worker) and workstation of that window. */
  contextFor(event: IpcMainInvokeEvent): { conn: string; workstationId: string }
  /** Asks where to write an export (the save dialog); null when the user cancels. */
  saveTo(kind: 'users' | 'audit'): Promise<SaveTarget | null>
}

/**
 * Registers one `ipcMain.handle` per contract channel: the sender is checked here, in the main
 * process; the call then crosses to the engine's worker, which validates and answers it.
 */
export function bindIpc(host: EngineHost, options: BindingOptions): void {
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, async (event, input: unknown) => {
      if (!options.isTrustedSender(event)) {
        return { ok: false, code: 'FORBIDDEN_SENDER', message: ERROR_MESSAGES.FORBIDDEN_SENDER }
      }
      const { conn, workstationId } = options.contextFor(event)
      const kind = EXPORT_CHANNELS[channel]
      const saveTo = kind ? await options.saveTo(kind) : null
      return host.call(conn, workstationId, channel, input, saveTo)
    })
  }
}
