import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'

export default defineConfig({
  main: {
    build: {
      // electron-store is ESM-only; bundling it keeps the main bundle loadable everywhere.
      externalizeDeps: { exclude: ['electron-store'] },
      rollupOptions: {
        input: { index: resolve('src/main/index.ts'), 'engine-worker': resolve('src/main/worker/engine-worker.ts') }
      }
    }
  },
  preload: {
    build: {
      // A sandboxed preload can only be CommonJS and can require nothing but 'electron'.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' }
      }
    }
  },
  renderer: {
    root: resolve('src/renderer'),
    build: {
      // A smaller bundle parses faster on kiosk hardware (electron-vite leaves minifying off).
      minify: true,
      // Every asset a file of its own (the fonts' smallest subsets too): the page's CSP loads fonts from 'self', never data: URLs.
      assetsInlineLimit: 0,
      rollupOptions: { input: { index: resolve('src/renderer/index.html') } }
    },
    plugins: [react()]
  }
})
