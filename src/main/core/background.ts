/**
 * Work done after the answer has gone out (sending an e-mail off the request path, so that the
 * answer's timing says nothing about what was sent), tracked so that tests and shutdown can wait
 * for it. A failure is logged in the main process; the caller has already been answered.
 */
export function createBackground(log: (message: string, error: unknown) => void = (m, e) => console.error(m, e)) {
  const pending = new Set<Promise<void>>()
  return {
    run(name: string, work: () => Promise<unknown>): void {
      const done: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
        .then(work)
        .then(
          () => undefined,
          (error: unknown) => log(`[tessera] ${name} failed:`, error)
        )
        .finally(() => pending.delete(done))
      pending.add(done)
    },
    /** Resolves once nothing is pending (including work started meanwhile). */
    async idle(): Promise<void> {
      while (pending.size) await Promise.allSettled([...pending])
    }
  }
}

export type Background = ReturnType<typeof createBackground>
