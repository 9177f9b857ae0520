/**
 * Draws the application icon from resources/icon.svg at every size the packager needs, with the
 * same Chromium the browser tests use: resources/icons/NxN.png (Linux), resources/icon.png (1024),
 * resources/icon.ico (Windows: PNG entries 16-256) and resources/icon.icns (macOS: PNG entries
 * 16-1024). Run `npm run icons` after changing the SVG; the outputs are committed.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { chromium } from '@playwright/test'

const ROOT = join(import.meta.dirname, '..', 'resources')
const SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024]
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256]
/** ICNS element types holding PNG data, by pixel size. */
const ICNS_TYPES: [string, number][] = [['icp4', 16], ['icp5', 32], ['icp6', 64], ['ic07', 128], ['ic08', 256], ['ic09', 512], ['ic10', 1024]]

/** An ICO file whose entries are PNG images (Windows Vista and later read them). */
export function ico(pngs: Map<number, Buffer>, sizes: number[]): Buffer {
  const header = Buffer.alloc(6 + 16 * sizes.length)
  header.writeUInt16LE(0, 0)
  header.writeUInt16LE(1, 2) // 1: icon
  header.writeUInt16LE(sizes.length, 4)
  let offset = header.length
  sizes.forEach((size, i) => {
    const png = pngs.get(size)!
    const at = 6 + 16 * i
    header.writeUInt8(size >= 256 ? 0 : size, at) // 0 means 256
    header.writeUInt8(size >= 256 ? 0 : size, at + 1)
    header.writeUInt16LE(1, at + 4) // colour planes
    header.writeUInt16LE(32, at + 6) // bits per pixel
    header.writeUInt32LE(png.length, at + 8)
    header.writeUInt32LE(offset, at + 12)
    offset += png.length
  })
  return Buffer.concat([header, ...sizes.map((s) => pngs.get(s)!)])
}

/** An ICNS file: 'icns', total length, then (type, length, PNG data) elements. */
export function icns(pngs: Map<number, Buffer>): Buffer {
  const elements = ICNS_TYPES.map(([type, size]) => {
    const png = pngs.get(size)!
    const head = Buffer.alloc(8)
    head.write(type, 0, 'ascii')
    head.writeUInt32BE(png.length + 8, 4)
    return Buffer.concat([head, png])
  })
  const head = Buffer.alloc(8)
  head.write('icns', 0, 'ascii')
  head.writeUInt32BE(8 + elements.reduce((n, e) => n + e.length, 0), 4)
  return Buffer.concat([head, ...elements])
}

async function main(): Promise<void> {
  const svg = readFileSync(join(ROOT, 'icon.svg'), 'utf8')
  const browser = await chromium.launch({ executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium', args: ['--no-sandbox'] })
  const pngs = new Map<number, Buffer>()
  try {
    const page = await browser.newPage()
    for (const size of SIZES) {
      await page.setViewportSize({ width: size, height: size })
      await page.setContent(`<html><body style="margin:0;background:transparent">${svg.replace('<svg ', `<svg width="${size}" height="${size}" `)}</body></html>`)
      pngs.set(size, await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } }))
    }
  } finally {
    await browser.close()
  }
  mkdirSync(join(ROOT, 'icons'), { recursive: true })
  for (const [size, png] of pngs) writeFileSync(join(ROOT, 'icons', `${size}x${size}.png`), png)
  writeFileSync(join(ROOT, 'icon.png'), pngs.get(1024)!)
  writeFileSync(join(ROOT, 'icon.ico'), ico(pngs, ICO_SIZES))
  writeFileSync(join(ROOT, 'icon.icns'), icns(pngs))
  console.log(`resources/: icon.png, icon.ico (${ICO_SIZES.join(', ')}), icon.icns (${ICNS_TYPES.map(([, s]) => s).join(', ')}), icons/ (${SIZES.join(', ')})`)
}

if (process.argv[1] === import.meta.filename) await main()
