/**
 * Rule: a list of any length stays under Chromium's element height limit, and every row can be
 * reached: the scrollbar's top shows the first row, its bottom the last, its middle the middle.
 */
import { describe, expect, it } from 'vitest'
import { MAX_SPACER_PX, rowWindow, scaleOf } from '../../src/renderer/src/components/row-window'

const ROW = 48
const VIEW = 448

describe('scaled rows', () => {
  it('lays out small lists one to one', () => {
    expect(scaleOf(1_000, ROW, VIEW)).toMatchObject({ spacer: 48_000, ratio: 1 })
    const w = rowWindow(1_000, ROW, { top: 480, height: VIEW }, 0)
    expect(w.rows[0]).toEqual({ index: 10, top: 480 })
  })

  it('reaches the last of a million rows with the spacer under the limit', () => {
    const count = 1_000_000
    const s = scaleOf(count, ROW, VIEW)
    expect(s.spacer).toBe(MAX_SPACER_PX)
    expect(s.spacer).toBeLessThan(33_500_000)
    // The scrollbar at its end: scrollTop = spacer - height.
    const end = rowWindow(count, ROW, { top: (s.spacer - VIEW) * s.ratio, height: VIEW }, 0)
    expect(end.last).toBe(count - 1)
    const lastRow = end.rows.at(-1)!
    expect(lastRow.top + ROW).toBeCloseTo(s.spacer, 6) // the last row ends where the spacer ends
    const middle = rowWindow(count, ROW, { top: ((s.spacer - VIEW) / 2) * s.ratio, height: VIEW }, 0)
    expect(Math.abs(middle.first - (count - VIEW / ROW) / 2)).toBeLessThan(2)
    // Rows in the viewport are laid out one after another, within the spacer.
    for (const [a, b] of middle.rows.slice(1).map((r, i) => [middle.rows[i]!, r] as const)) expect(b.top - a.top).toBeCloseTo(ROW, 6)
  })
})
