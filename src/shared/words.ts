/** A moment as the engine's own messages name it, the same on every seat: "2026-12-02 14:03 UTC". */
export const utcMinute = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`
