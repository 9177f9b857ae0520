/**
 * The only bridge between the sandboxed page and the main process: `window.api`, one function per
 * contract channel, each an `ipcRenderer.invoke`. No other Electron or Node API is exposed.
 */
import { contextBridge, ipcRenderer } from 'electron'
import { CHANNELS } from '../shared/channels'
import type { TesseraApi } from '../shared/contract'

const api = Object.fromEntries(
  CHANNELS.map((channel) => [channel, (input: unknown) => ipcRenderer.invoke(channel, input)])
) as TesseraApi

contextBridge.exposeInMainWorld('api', Object.freeze(api))
