/** User i is `${FIRST_NAMES[i % 10]} ${LAST_NAMES[Math.floor(i / 10) % 10]} ${i}`. */
export const FIRST_NAMES = ['Ada', 'Grace', 'Alan', 'Barbara', 'Edsger', 'Frances', 'Hedy', 'Katherine', 'Linus', 'Margaret']
export const LAST_NAMES = ['Lovelace', 'Hopper', 'Turing', 'Liskov', 'Dijkstra', 'Allen', 'Lamarr', 'Johnson', 'Torvalds', 'Hamilton']

/** A CSV of `n` users (username,email,display_name,role), as an HR export would give it. */
export function usersCsv(n: number, start = 0): string {
  const [first, last] = [FIRST_NAMES, LAST_NAMES]
  const lines = ['username,email,display_name,role']
  for (let i = start; i < start + n; i++) {
    const name = `${first[i % 10]} ${last[Math.floor(i / 10) % 10]} ${i}`
    lines.push(`user${i},user${i}@example.org,${name},${i % 50 === 0 ? 'helpdesk' : 'user'}`)
  }
  return lines.join('\n') + '\n'
}
