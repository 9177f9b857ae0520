// The engine worker from source, for the browser harness and tests (tsx compiles it on the fly).
// The app runs the built out/main/engine-worker.js instead.
import { register } from 'tsx/esm/api'

register()
await import('./engine-worker.ts')
