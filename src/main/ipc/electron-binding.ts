import { ipcMain, type IpcMainInvokeEvent } from 'electron'
import { CHANNELS } from '../../shared/contract'
import { ERROR_MESSAGES } from '../../shared/errors'
import type { Engine } from '../core/engine'
import { dispatch } from './dispatch'
import type { CallContext, HandlerTable } from './handlers'

export type BindingOptions = {
  /** True only for the main frame of our own window showing our own page. */
  isTrustedSender(event: IpcMainInvokeEvent): boolean
  /** The connection (session holder) and workstation of that window. */
  contextFor(event: IpcMainInvokeEvent): CallContext
}

/** Registers one `ipcMain.handle` per contract channel, each going through `dispatch`. */
export function bindIpc(table: HandlerTable, engine: Engine, options: BindingOptions): void {
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, (event, input: unknown) => {
      if (!options.isTrustedSender(event)) {
        return { ok: false, code: 'FORBIDDEN_SENDER', message: ERROR_MESSAGES.FORBIDDEN_SENDER }
      }
      return dispatch(table, engine, options.contextFor(event), channel, input)
    })
  }
}
