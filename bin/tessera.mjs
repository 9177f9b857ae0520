#!/usr/bin/env node
// Tessera's admin CLI from the checkout: `npx tessera help`. Checks Node first (one clear line on
// an old one), then runs the TypeScript entry through tsx.
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { preflight } from '../scripts/preflight.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
preflight([], root)
const { register } = await import('tsx/esm/api')
register()
await import(pathToFileURL(join(root, 'src', 'main', 'cli.ts')).href)
