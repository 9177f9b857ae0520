/**
 * The CLI on this process's arguments and streams: what `bin/tessera.mjs` (`npx tessera`) and
 * `npm run cli --` run. The commands are in ./cli/.
 */
import { main } from './cli/index'

async function readAll(): Promise<string> {
  if (process.stdin.isTTY) return ''
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

process.exitCode = await main(process.argv.slice(2), {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
  readStdin: readAll
})
