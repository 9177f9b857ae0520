/**
 * Before Tessera starts from the checkout (`npm start`, `npm run web`, the CLI): one clear line,
 * not a segfault or a stack trace, when this machine cannot run it. Plain JavaScript that any Node
 * can read, so the check itself runs on the old versions it refuses.
 *   node scripts/preflight.mjs [electron]
 */
import { existsSync, readFileSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const MINIMUM = [22, 12]

/** Why this Node cannot run Tessera, or null. better-sqlite3 13 crashes (exit 139) on Node 20. */
export function nodeProblem(version) {
  const [major, minor] = version.split('.').map(Number)
  const old = major < MINIMUM[0] || (major === MINIMUM[0] && minor < MINIMUM[1])
  return old ? `Tessera needs Node ${MINIMUM.join('.')} or newer; this is ${version}.` : null
}

/** Electron 45 fetches its binary at first start: try once, and say what works without it. */
function electronProblem(root) {
  const pkg = join(root, 'node_modules', 'electron')
  const present = () => existsSync(join(pkg, 'path.txt')) && existsSync(join(pkg, 'dist', readFileSync(join(pkg, 'path.txt'), 'utf8')))
  if (present()) return null
  process.stdout.write('Downloading Electron\'s binary (first start)...\n')
  const r = spawnSync(process.execPath, [join(pkg, 'install.js')], { stdio: ['ignore', 'ignore', 'pipe'] })
  if (r.status === 0 && present()) return null
  return 'Electron\'s binary is not installed and could not be downloaded: run "npx install-electron" where GitHub can be reached, or use "npm run web" (the same console in a browser) and the CLI ("npx tessera help"), which need no Electron.'
}

export function preflight(args, root) {
  const problem = nodeProblem(process.versions.node) ?? (args.includes('electron') ? electronProblem(root) : null)
  if (problem) {
    process.stderr.write(`${problem}\n`)
    process.exit(1)
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) preflight(process.argv.slice(2), join(dirname(fileURLToPath(import.meta.url)), '..'))
