import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'

/**
 * `--data-dir DIR` or `--data-dir=DIR` from argv, else TESSERA_DATA_DIR, else the fallback; created
 * (mode 0700) unless `create` is false (a CLI command that only reads must not leave a folder).
 */
export function resolveDataDir(argv: readonly string[], env: NodeJS.ProcessEnv, fallback: () => string, create = true): string {
  const dir = resolve(optionValue(argv, '--data-dir') ?? env['TESSERA_DATA_DIR'] ?? fallback())
  if (create) mkdirSync(dir, { recursive: true, mode: 0o700 })
  return dir
}

export const databaseFile = (dataDir: string) => join(dataDir, 'tessera.db')

/** `--name VALUE` or `--name=VALUE` from argv (the last one given), else undefined. */
export function optionValue(argv: readonly string[], name: string): string | undefined {
  let value: string | undefined
  argv.forEach((arg, i) => {
    if (arg === name && argv[i + 1]) value = argv[i + 1]
    else if (arg.startsWith(`${name}=`)) value = arg.slice(name.length + 1)
  })
  return value
}
