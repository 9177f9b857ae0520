/** The arithmetic of scaled scrolling (see scaled-rows.ts), apart from the DOM so it can be tested on its own. */

/** Well under Chromium's limit, and small enough that a pixel of scrollbar is a whole number of rows. */
export const MAX_SPACER_PX = 8_000_000

export type ScaledRow = { index: number; top: number }

/** How scrollbar pixels map to real pixels for `count` rows in a viewport `height` tall. */
export function scaleOf(count: number, rowHeight: number, height: number) {
  const real = count * rowHeight
  const spacer = Math.min(real, MAX_SPACER_PX)
  return { real, spacer, ratio: spacer - height > 0 ? (real - height) / (spacer - height) : 1, maxTop: Math.max(0, real - height) }
}

/** The rows to lay out when the viewport's top is `top` real px, each placed in the spacer. */
export function rowWindow(count: number, rowHeight: number, view: { top: number; height: number }, overscan: number) {
  const { ratio } = scaleOf(count, rowHeight, view.height)
  const first = Math.max(0, Math.floor(view.top / rowHeight) - overscan)
  const last = Math.min(count - 1, Math.ceil((view.top + view.height) / rowHeight) + overscan)
  // Rows sit where the scroll box shows them: at its scroll position, offset by their real distance.
  const scrollTop = view.top / ratio
  const rows: ScaledRow[] = []
  for (let i = first; i <= last; i++) rows.push({ index: i, top: scrollTop + i * rowHeight - view.top })
  return { first, last, rows }
}
