import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'

/**
 * `--data-dir DIR` or `--data-dir=DIR` from argv, else TESSERA_DATA_DIR, else the fallback; created
 * (mode 0700) unless `create` is false (a CLI command that only reads must not leave a folder).
 */
export function resolveDataDir(argv: readonly string[], env: NodeJS.ProcessEnv, fallback: () => string, create = true): string {
  let fromArgs: string | undefined
  argv.forEach((arg, i) => {
    if (arg === '--data-dir' && argv[i + 1]) fromArgs = argv[i + 1]
    else if (arg.startsWith('--data-dir=')) fromArgs = arg.slice('--data-dir='.length)
  })
  const dir = resolve(fromArgs ?? env['TESSERA_DATA_DIR'] ?? fallback())
  if (create) mkdirSync(dir, { recursive: true, mode: 0o700 })
  return dir
}

export const databaseFile = (dataDir: string) => join(dataDir, 'tessera.db')
