/**
 * Where the Electron window's page comes from, and who may call the IPC channels.
 *
 * The renderer is served from `https://tessera.internal/`, answered inside the app by intercepting
 * the https scheme (`protocol.handle`), never from the network. Not `file://`: every file:// page,
 * and every data:, about:blank or blob:null frame, has the origin "null", so an origin check could
 * not tell our page from any other. Not a custom scheme either: Chromium only offers WebAuthn
 * (security keys) to https origins and http://localhost, with a domain as the relying-party ID.
 * `tessera.internal` is in the .internal top-level domain reserved for private use (ICANN, 2024),
 * so it can never be a real site; the RP ID of keys registered in the app is this name, and it must
 * never change, or keys stop working after an update.
 */
import { statSync } from 'node:fs'
import { normalize, relative, resolve, sep } from 'node:path'

export const RENDERER_HOST = 'tessera.internal'
export const RENDERER_ORIGIN = `https://${RENDERER_HOST}`

/** The file under `rootDir` that a request for `url` is answered with, or null (another host, outside the root, no such file). */
export function rendererFile(url: string, rootDir: string): string | null {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return null
  }
  if (parsed.origin !== RENDERER_ORIGIN) return null
  const root = resolve(rootDir)
  const path = decodeURIComponent(parsed.pathname)
  const file = normalize(resolve(root, '.' + (path === '/' ? '/index.html' : path)))
  const inside = relative(root, file)
  if (!inside || inside.startsWith('..') || inside.includes(`..${sep}`)) return null
  return statSync(file, { throwIfNoEntry: false })?.isFile() ? file : null
}

/** True only for a frame showing a page of exactly `allowedOrigin` ("null" origins never match). */
export function isOwnOrigin(frame: { url: string; origin?: string }, allowedOrigin: string): boolean {
  let urlOrigin: string
  try {
    urlOrigin = new URL(frame.url).origin
  } catch {
    return false
  }
  return urlOrigin === allowedOrigin && (frame.origin === undefined || frame.origin === allowedOrigin)
}
