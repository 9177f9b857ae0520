/**
 * `npm run dist`: packages the built app for this OS with electron-builder (Linux: AppImage and
 * deb; Windows: NSIS; macOS: dmg). electron-builder needs Electron's release zip, fetched from
 * GitHub (or $ELECTRON_MIRROR) at packaging time; where it cannot be had, this says so in one line
 * instead of electron-builder's stack trace.
 */
import { spawnSync } from 'node:child_process'
import { preflight } from './preflight.mjs'

preflight([], process.cwd())
const target = { linux: ['--linux', 'AppImage', 'deb'], win32: ['--win', 'nsis'], darwin: ['--mac', 'dmg'] }[process.platform]
if (!target) {
  process.stderr.write(`Tessera is packaged for Linux, Windows and macOS, not ${process.platform}.\n`)
  process.exit(1)
}
const run = spawnSync('npx', ['electron-builder', '--config', 'electron-builder.config.cjs', ...target, '--publish', 'never'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
if (run.status === 0) process.stdout.write(run.stdout ?? '')
else {
  const output = `${run.stdout}\n${run.stderr}`
  const offline = /github\.com|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|getaddrinfo|unable to download|electron-v\d/i.test(output)
  process.stderr.write(
    offline
      ? 'Packaging needs Electron\'s release zip, which could not be downloaded here: run "npm run dist" where GitHub can be reached (or set ELECTRON_MIRROR to a mirror of Electron\'s releases).\n'
      : `${output}\nelectron-builder failed (above).\n`
  )
  process.exit(1)
}
