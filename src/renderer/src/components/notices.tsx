import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react'

type Notices = { items: string[]; add(text: string): void; dismiss(text: string): void }

const NoticeContext = createContext<Notices>({ items: [], add: () => {}, dismiss: () => {} })

/** Messages carried from one screen to the next (e.g. "few recovery codes left" after login). */
export function NoticeProvider({ children }: { children: ReactNode }) {
  const [items, setItems] = useState<string[]>([])
  const add = useCallback((text: string) => setItems((xs) => (xs.includes(text) ? xs : [...xs, text])), [])
  const dismiss = useCallback((text: string) => setItems((xs) => xs.filter((x) => x !== text)), [])
  const value = useMemo(() => ({ items, add, dismiss }), [items, add, dismiss])
  return <NoticeContext.Provider value={value}>{children}</NoticeContext.Provider>
}

export const useNotices = () => useContext(NoticeContext)
