import type { Page } from 'playwright-core'

/**
 * Records every long task (> 50 ms, the RAIL budget) the page's main thread runs, from its first
 * script on; the function returned hands over (and forgets) those seen so far, in ms.
 */
export async function observeLongTasks(page: Page): Promise<() => Promise<number[]>> {
  await page.addInitScript(() => {
    const w = window as unknown as { __long: number[] }
    w.__long = []
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__long.push(e.duration)
    }).observe({ type: 'longtask', buffered: true })
  })
  return () => page.evaluate(() => (window as unknown as { __long: number[] }).__long.splice(0))
}
