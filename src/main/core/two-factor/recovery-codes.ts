/**
 * Recovery codes: 16 characters of Crockford base32 (80 bits, above the 64 NIST asks for), shown in
 * groups of four ("7GQ2-K9MD-3XWA-PV0R"). Typing is forgiving: case, spaces and hyphens do not
 * matter, and the letters Crockford leaves out are read as the digits they look like.
 */
import { randomInt } from 'node:crypto'

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
export const RECOVERY_CODE_CHARS = 16
/** Below this many unused codes the user is told to make a new set. */
export const FEW_RECOVERY_CODES = 3

export function randomCode(chars: number): string {
  let out = ''
  for (let i = 0; i < chars; i++) out += ALPHABET[randomInt(ALPHABET.length)]
  return out.match(/.{1,4}/g)!.join('-')
}

export function newRecoveryCodes(count: number): string[] {
  const codes = new Set<string>()
  while (codes.size < count) codes.add(randomCode(RECOVERY_CODE_CHARS))
  return [...codes]
}

/** The canonical form that is hashed; null when the input cannot be such a code. */
export function normalizeCode(input: string, chars: number): string | null {
  const s = input
    .normalize('NFKC') // full-width letters and digits, as an input method types them
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/[IL]/g, '1')
    .replace(/O/g, '0')
  return s.length === chars && [...s].every((c) => ALPHABET.includes(c)) ? s : null
}
