/**
 * Rule: the packaged app has its Electron fuses set (no running as Node, no NODE_OPTIONS, no
 * --inspect; the app loaded only from its asar archive, whose integrity is checked: Electron's
 * security checklist item 19), better-sqlite3's native module outside the archive, the tessera://
 * protocol registered, a package for each desktop OS, and an icon in every size those need.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FuseState, FuseV1Options, FuseVersion, flipFuses, getCurrentFuseWire } from '@electron/fuses'
import { expect, it } from 'vitest'

const root = join(import.meta.dirname, '../..')
/** The marker Electron's binary puts before its fuse wire (what @electron/fuses looks for). */
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'
const config = createRequire(import.meta.url)(join(root, 'electron-builder.config.cjs')) as {
  electronFuses: Record<string, boolean>
  asarUnpack: string[]
  protocols: { schemes: string[] }[]
  linux: { target: string[]; icon: string }
  win: { target: string; icon: string }
  mac: { target: string; icon: string }
  npmRebuild: boolean
}

it('turns the dangerous fuses off and the asar checks on', () => {
  expect(config.electronFuses).toMatchObject({
    runAsNode: false,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true
  })
})

it('names only fuses that exist, and they flip as configured in an Electron binary\'s fuse wire', async () => {
  // A stand-in for the Electron binary: bytes around the fuse wire (sentinel, version, length, one byte per fuse).
  const count = Object.keys(FuseV1Options).length / 2
  const file = join(mkdtempSync(join(tmpdir(), 'tessera-fuses-')), 'electron')
  writeFileSync(file, Buffer.concat([Buffer.from('ELF...binary...'), Buffer.from(SENTINEL), Buffer.from([1, count]), Buffer.alloc(count, FuseState.ENABLE), Buffer.from('...rest')]))
  const options = Object.fromEntries(
    Object.entries(config.electronFuses).map(([name, on]) => {
      const option = FuseV1Options[(name[0]!.toUpperCase() + name.slice(1)) as keyof typeof FuseV1Options]
      expect(option, name).toBeTypeOf('number')
      return [option, on]
    })
  )
  await flipFuses(file, { version: FuseVersion.V1, ...options })
  const wire = await getCurrentFuseWire(file)
  for (const [option, on] of Object.entries(options)) expect(wire[Number(option) as FuseV1Options], FuseV1Options[Number(option)]).toBe(on ? FuseState.ENABLE : FuseState.DISABLE)
})

it('unpacks better-sqlite3, registers tessera:// and packages for every desktop OS', () => {
  expect(config.asarUnpack).toContain('node_modules/better-sqlite3/**')
  expect(config.npmRebuild).toBe(false) // N-API prebuilt binary: the same file works in Electron
  expect(config.protocols.flatMap((p) => p.schemes)).toEqual(['tessera'])
  expect(config.linux.target).toEqual(['AppImage', 'deb'])
  expect(config.win.target).toBe('nsis')
  expect(config.mac.target).toBe('dmg')
})

/** Width and height from a PNG's IHDR chunk. */
const pngSize = (png: Buffer) => [png.readUInt32BE(16), png.readUInt32BE(20)]

it('has the icon in every size the packages need', () => {
  for (const size of [16, 32, 48, 64, 128, 256, 512, 1024]) expect(pngSize(readFileSync(join(root, config.linux.icon, `${size}x${size}.png`)))).toEqual([size, size])
  const ico = readFileSync(join(root, config.win.icon))
  expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1])
  const icoSizes = Array.from({ length: ico.readUInt16LE(4) }, (_, i) => ico.readUInt8(6 + 16 * i) || 256)
  expect(icoSizes).toEqual(expect.arrayContaining([16, 32, 48, 256]))
  const icns = readFileSync(join(root, config.mac.icon))
  expect(icns.toString('ascii', 0, 4)).toBe('icns')
  expect(icns.readUInt32BE(4)).toBe(icns.length)
  for (const type of ['ic07', 'ic08', 'ic09', 'ic10']) expect(icns.includes(Buffer.from(type)), type).toBe(true)
  expect(readFileSync(join(root, 'resources/icon.svg'), 'utf8')).toMatch(/^<svg /)
})
