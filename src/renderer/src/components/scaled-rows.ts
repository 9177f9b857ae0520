/**
 * A list of fixed-height rows of any length in a scroll box. Chromium lays out no element taller
 * than about 33.5 million px, and a million rows of 48 px need 48 million: past a certain size the
 * box's content is kept at MAX_SPACER_PX and the scrollbar's position is mapped to a row instead
 * ("scaled" scrolling). Dragging the scrollbar to the middle or the end shows the rows there at
 * once; the wheel and the keys move by real rows, whatever the scale.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react'
import { rowWindow, scaleOf } from './row-window'

export function useScaledRows(count: number, rowHeight: number, overscan = 4) {
  const ref = useRef<HTMLDivElement>(null)
  // The viewport's top in real pixels (as if every row were laid out), and its height.
  const [view, setView] = useState({ top: 0, height: 0 })
  const ownScroll = useRef<number | null>(null)
  const { real, spacer, ratio, maxTop } = scaleOf(count, rowHeight, view.height)

  /** Shows the rows from `top` (real px), moving the scrollbar to match. */
  const moveTo = useCallback(
    (top: number) => {
      const el = ref.current
      if (!el) return
      const clamped = Math.min(Math.max(0, top), maxTop)
      setView({ top: clamped, height: el.clientHeight })
      const scrollTop = clamped / ratio
      ownScroll.current = scrollTop
      el.scrollTop = scrollTop
    },
    [maxTop, ratio]
  )

  // The scrollbar dragged (or any scroll we did not make): its position says which rows.
  const onScroll = useCallback(() => {
    const el = ref.current
    if (!el) return
    if (ownScroll.current !== null && Math.abs(el.scrollTop - ownScroll.current) < 1.5) {
      ownScroll.current = null
      return
    }
    ownScroll.current = null
    setView({ top: Math.min(el.scrollTop * ratio, Math.max(0, real - el.clientHeight)), height: el.clientHeight })
  }, [ratio, real])

  // The wheel moves by real pixels (a passive React listener could not stop the scaled default).
  useEffect(() => {
    const el = ref.current
    if (!el || ratio === 1) return
    const onWheel = (e: WheelEvent) => {
      if (e.ctrlKey) return // zoom
      e.preventDefault()
      moveTo(view.top + e.deltaY * (e.deltaMode === 1 ? rowHeight : e.deltaMode === 2 ? view.height : 1))
    }
    el.addEventListener('wheel', onWheel, { passive: false })
    return () => el.removeEventListener('wheel', onWheel)
  }, [moveTo, ratio, rowHeight, view])

  useLayoutEffect(() => {
    const el = ref.current
    if (!el) return
    const observer = new ResizeObserver(() => setView((v) => ({ top: Math.min(v.top, Math.max(0, real - el.clientHeight)), height: el.clientHeight })))
    observer.observe(el)
    return () => observer.disconnect()
  }, [real])

  // Fewer rows than before (a new search): stay within them.
  useEffect(() => {
    if (view.top > maxTop) moveTo(maxTop)
  }, [maxTop, moveTo, view.top])

  /** Page Up/Down, Home/End and the arrows on the scroll box itself, by real rows. */
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.target !== e.currentTarget) return
    const page = Math.max(rowHeight, view.height - rowHeight)
    const to: Record<string, number> = { PageDown: view.top + page, PageUp: view.top - page, Home: 0, End: maxTop, ArrowDown: view.top + rowHeight, ArrowUp: view.top - rowHeight }
    if (!(e.key in to)) return
    e.preventDefault()
    moveTo(to[e.key]!)
  }

  const { first, last, rows } = rowWindow(count, rowHeight, view, overscan)
  return { ref, spacerHeight: spacer, rows, first, last, onScroll, onKeyDown, toTop: () => moveTo(0) }
}
