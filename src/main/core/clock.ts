/** Milliseconds since the epoch. Every service takes one, so tests move time instead of waiting. */
export type Clock = { now(): number }

export const systemClock: Clock = { now: () => Date.now() }
