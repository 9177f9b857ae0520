/**
 * Loads the built main bundle (out/main/index.js) once per test file, against the stand-in
 * `electron` module the file has mocked, with a fresh data directory and extra command-line
 * arguments; returns what to call when the file is done.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { tempDir } from './engine'
import type * as FakeElectron from './fake-electron'

const BUNDLE = join(import.meta.dirname, '../../out/main/index.js')

export async function loadMainBundle(fake: typeof FakeElectron, argv: string[] = []): Promise<{ dataDir: string; unload(): Promise<void> }> {
  if (!existsSync(BUNDLE)) throw new Error('Build first: npm run build (npm test does it).')
  const data = tempDir()
  process.env['TESSERA_DATA_DIR'] = data.dir
  process.argv.push(...argv)
  await import(/* @vite-ignore */ BUNDLE)
  await fake.becomeReady()
  return {
    dataDir: data.dir,
    /** Quits as Electron would: the engine's worker closes the database, then the app quits. */
    async unload() {
      const quits = fake.recorded.quitCalls
      for (const l of fake.recorded.appListeners.get('will-quit') ?? []) l({ preventDefault() {} })
      while (fake.recorded.quitCalls === quits) await new Promise((r) => setTimeout(r, 10))
      data.remove()
    }
  }
}
