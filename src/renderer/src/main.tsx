import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { App } from './App'
import { ApiError } from './api/client'
// Japanese and Korean glyphs on machines without CJK fonts (styles.css uses them for lang="ja" / "ko").
import '@fontsource/noto-sans-jp/400.css'
import '@fontsource/noto-sans-jp/700.css'
import '@fontsource/noto-sans-kr/400.css'
import '@fontsource/noto-sans-kr/700.css'
import './styles.css'

/** A call refused because the session ended (idle, pending login expired): show where we stand. */
function onError(error: unknown): void {
  if (error instanceof ApiError && error.code === 'NOT_AUTHENTICATED') void queryClient.invalidateQueries({ queryKey: ['app:status'] })
}

// The Enter that confirms an input method's composition (Japanese, Korean, Vietnamese typing)
// chooses the text; it never submits a form or presses a button.
document.addEventListener(
  'keydown',
  (e) => {
    if (e.key === 'Enter' && (e.isComposing || e.keyCode === 229)) {
      e.preventDefault()
      e.stopPropagation()
    }
  },
  true
)

const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError }),
  mutationCache: new MutationCache({ onError }),
  defaultOptions: {
    // The main process is local: no network flakiness to retry through, and a refusal is final.
    queries: { retry: false, refetchOnWindowFocus: false, staleTime: 0 },
    // Mutations carry passwords and codes: forget them as soon as their screen is gone.
    mutations: { retry: false, gcTime: 0 }
  }
})

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>
)
