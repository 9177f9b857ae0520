import { defineConfig } from '@playwright/test'

/**
 * Browser tests run Debian's Chromium (Playwright's own download is not reachable here) against the
 * browser harness: the built renderer served with the real engine and a real SQLite file (or, for
 * several seats, a real PostgreSQL server the global setup starts).
 */
export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '**/*.spec.ts',
  globalSetup: './tests/e2e/global-setup.ts',
  workers: 2,
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  timeout: 30_000,
  expect: { timeout: 5_000 },
  use: {
    viewport: { width: 1100, height: 760 },
    // The browser's languages, which the screens follow when nobody chose one (tests in another language set their own).
    locale: 'en-GB',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run'
      ]
    }
  }
})
