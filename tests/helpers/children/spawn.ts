/** Child processes running a TypeScript file of tests/helpers/children, each printing one JSON line. */
import { spawn } from 'node:child_process'
import { join } from 'node:path'

export function runChild<T>(file: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, file), ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => (out += d))
    child.stderr.on('data', (d: Buffer) => (err += d))
    child.on('error', reject)
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`${file} exited ${code}: ${err}`))
      try {
        resolve(JSON.parse(out.trim().split('\n').at(-1)!) as T)
      } catch {
        reject(new Error(`${file} printed no result: ${out} ${err}`))
      }
    })
  })
}
