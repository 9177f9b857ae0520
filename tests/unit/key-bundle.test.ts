/**
 * Rule: the organisation's data key leaves a seat only sealed by a passphrase (scrypt, AES-256-GCM);
 * the bundle opens with that passphrase alone, every change to it is refused with a message saying
 * what is wrong, and the file never shows the key in any encoding.
 */
import { createHash, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { DomainError } from '../../src/main/core/domain-error'
import { assertOrganisationKey, BUNDLE_SCRYPT, keyFingerprint, openKeyBundle, sealKeyBundle, type BundleKdfParams } from '../../src/main/core/key-bundle'

/** The cheapest cost a bundle may carry; the default (2^17) is proved once, below. */
const FAST: BundleKdfParams = { log2N: 14, r: 8, p: 1 }
const PASSPHRASE = 'purple staple orbit lantern'
const META = { organisation: 'Example Org', createdAt: Date.UTC(2026, 10, 22, 9, 0, 0), createdBy: 'cli:ada@desk-1' }

const seal = (key: Buffer, passphrase = PASSPHRASE) => sealKeyBundle(key, passphrase, META, { kdf: FAST })

/** The DomainError an action rejects with, as `{ code, message }`. */
async function refusal(action: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await action.then(
    () => null,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(DomainError)
  const { code, message } = error as DomainError
  expect(message).not.toContain('\n')
  return { code, message }
}

type Group = Record<string, unknown>
type Doc = { meta: Group; kdf: Group; cipher: Group; [field: string]: unknown }

/** Flips one bit of a base64 field's bytes, e.g. ('cipher', 'tag'). */
function flip(text: string, group: 'kdf' | 'cipher', field: string): Doc {
  const doc = JSON.parse(text) as Doc
  const bytes = Buffer.from(String(doc[group][field]), 'base64')
  bytes[bytes.length >> 1]! ^= 0x01
  doc[group][field] = bytes.toString('base64')
  return doc
}

/** The checksum as a careful forger would recompute it (same fields, same order as the code). */
function withChecksum(doc: Doc): string {
  const { meta: m, kdf: k, cipher: c } = doc
  const aad = JSON.stringify([doc['format'], doc['version'], doc['fingerprint'], m['organisation'] ?? null, m['createdAt'], m['createdBy']])
  const fields = [aad, k['name'], k['N'], k['r'], k['p'], k['salt'], k['check'], c['name'], c['iv'], c['tag'], c['ciphertext']]
  return JSON.stringify({ ...doc, checksum: `sha256:${createHash('sha256').update(JSON.stringify(fields)).digest('hex')}` })
}

const DAMAGED = /^This key bundle is damaged \(its checksum does not match its content\)/
const CHANGED = /^This key bundle was changed after it was exported/

describe('key bundles', () => {
  it('round-trips the key, its fingerprint and its details', async () => {
    const key = randomBytes(32)
    const text = await seal(key)
    const doc = JSON.parse(text)
    expect(doc).toMatchObject({ format: 'tessera-key-bundle', version: 1, fingerprint: keyFingerprint(key), meta: META, kdf: { name: 'scrypt', N: 2 ** 14, r: 8, p: 1 }, cipher: { name: 'aes-256-gcm' } })
    const opened = await openKeyBundle(text, PASSPHRASE)
    expect(opened.dataKey.equals(key)).toBe(true)
    expect(opened).toMatchObject({ fingerprint: keyFingerprint(key), meta: META })
    // The same passphrase in another Unicode form (NFKC) opens it too.
    const accented = 'caf\u00e9 au lait, please'
    expect((await openKeyBundle(await seal(key, accented), 'cafe\u0301 au lait, please')).dataKey.equals(key)).toBe(true)
  })

  it('writes the strong default cost when none is given: scrypt N = 2^17, r = 8, p = 1', async () => {
    expect(BUNDLE_SCRYPT).toEqual({ log2N: 17, r: 8, p: 1 })
    const key = randomBytes(32)
    const text = await sealKeyBundle(key, PASSPHRASE, { createdAt: 0, createdBy: 'test' })
    expect(JSON.parse(text).kdf).toMatchObject({ name: 'scrypt', N: 131072, r: 8, p: 1 })
    expect(Buffer.from(JSON.parse(text).kdf.salt, 'base64')).toHaveLength(16)
    expect((await openKeyBundle(text, PASSPHRASE)).dataKey.equals(key)).toBe(true)
  })

  it('never shows the key in the file, in any encoding', async () => {
    const key = randomBytes(32)
    const text = await seal(key)
    for (const encoding of ['base64', 'base64url', 'hex'] as const) {
      expect(text).not.toContain(key.toString(encoding))
      expect(text.toLowerCase()).not.toContain(key.toString(encoding).toLowerCase().slice(0, 16))
    }
    expect(text).not.toContain(key.toString('base64').replace(/=+$/, ''))
  })

  it('refuses a wrong passphrase, saying so', async () => {
    const text = await seal(randomBytes(32))
    expect(await refusal(openKeyBundle(text, 'purple staple orbit lanterns'))).toEqual({ code: 'WRONG_PASSPHRASE', message: 'That passphrase does not open this key bundle.' })
    expect(await refusal(openKeyBundle(text, ''))).toMatchObject({ code: 'WRONG_PASSPHRASE' })
  })

  it('refuses a flipped byte in the ciphertext, the tag or the salt as damaged', async () => {
    const text = await seal(randomBytes(32))
    for (const [group, field] of [['cipher', 'ciphertext'], ['cipher', 'tag'], ['cipher', 'iv'], ['kdf', 'salt']] as const) {
      const r = await refusal(openKeyBundle(JSON.stringify(flip(text, group, field)), PASSPHRASE))
      expect(r.code, `${group}.${field}`).toBe('KEY_BUNDLE_DAMAGED')
      expect(r.message, `${group}.${field}`).toMatch(DAMAGED)
    }
  })

  it('refuses an edit that even recomputes the checksum: the sealed key is bound to its details', async () => {
    const text = await seal(randomBytes(32))
    const doc = JSON.parse(text) as Doc
    const edits: Doc[] = [
      { ...doc, meta: { ...doc.meta, createdBy: 'cli:mallory@desk-9' } },
      { ...doc, meta: { ...doc.meta, organisation: 'Other Org' } },
      { ...doc, meta: { ...doc.meta, createdAt: 0 } },
      flip(text, 'cipher', 'ciphertext'),
      flip(text, 'cipher', 'tag')
    ]
    for (const edited of edits) {
      // Careless: the checksum no longer fits.
      expect(await refusal(openKeyBundle(JSON.stringify(edited), PASSPHRASE))).toMatchObject({ code: 'KEY_BUNDLE_DAMAGED', message: expect.stringMatching(DAMAGED) })
      // Careful: the checksum fits, the passphrase is right, GCM refuses.
      expect(await refusal(openKeyBundle(withChecksum(edited), PASSPHRASE))).toMatchObject({ code: 'KEY_BUNDLE_DAMAGED', message: expect.stringMatching(CHANGED) })
    }
    // An extra field in the details is refused too, by name.
    const added = { ...doc, meta: { ...doc.meta, note: 'hi' } }
    expect((await refusal(openKeyBundle(withChecksum(added), PASSPHRASE))).message).toMatch(/^This key bundle is damaged \(meta: /)
  })

  it('refuses a file that is not a bundle, a cut-off bundle and an unknown version', async () => {
    const text = await seal(randomBytes(32))
    for (const other of ['', 'hello', '{"users": []}', '[1, 2]', 'null', JSON.stringify({ ...JSON.parse(text), format: 'something-else' })]) {
      expect(await refusal(openKeyBundle(other, PASSPHRASE))).toEqual({ code: 'KEY_BUNDLE_INVALID', message: 'This file is not a Tessera key bundle.' })
    }
    expect(await refusal(openKeyBundle(text.slice(0, text.length / 2), PASSPHRASE))).toMatchObject({ code: 'KEY_BUNDLE_DAMAGED', message: expect.stringContaining('not complete JSON') })
    const { checksum: _, ...body } = JSON.parse(text)
    expect((await refusal(openKeyBundle(JSON.stringify(body), PASSPHRASE))).message).toMatch(/^This key bundle is damaged \(checksum: /)
    expect(await refusal(openKeyBundle(JSON.stringify({ ...JSON.parse(text), version: 2 }), PASSPHRASE))).toEqual({
      code: 'KEY_BUNDLE_VERSION',
      message: 'This key bundle has format version 2, which this version of Tessera cannot read: update Tessera, or export the key with this version.'
    })
  })

  it('refuses a bundle that asks for more memory than a kiosk should give (a forged cost)', async () => {
    const doc = JSON.parse(await seal(randomBytes(32))) as Doc
    const forged = withChecksum({ ...doc, kdf: { ...doc.kdf, N: 2 ** 24 } })
    expect(await refusal(openKeyBundle(forged, PASSPHRASE))).toMatchObject({ code: 'KEY_BUNDLE_DAMAGED', message: expect.stringContaining('more memory') })
  })

  it('refuses a passphrase under 15 characters on export, clearly', async () => {
    expect(await refusal(seal(randomBytes(32), 'short one'))).toEqual({ code: 'WEAK_PASSPHRASE', message: 'Choose a passphrase of at least 15 characters (this one has 9).' })
    expect(await refusal(seal(randomBytes(32), ''))).toMatchObject({ code: 'WEAK_PASSPHRASE' })
    await expect(seal(randomBytes(32), 'fifteen chars!!')).resolves.toContain('tessera-key-bundle')
  })

  it('names each key by a stable fingerprint that differs between keys', () => {
    const a = randomBytes(32)
    const b = randomBytes(32)
    expect(keyFingerprint(a)).toMatch(/^[0-9a-f]{32}$/)
    expect(keyFingerprint(Buffer.from(a))).toBe(keyFingerprint(a))
    expect(keyFingerprint(b)).not.toBe(keyFingerprint(a))
    // Known answer: the fingerprint of an all-zero key must never change, or seats stop matching.
    expect(keyFingerprint(Buffer.alloc(32))).toBe('111536e2f985a125b204cdddf80e93b2')
    expect(keyFingerprint(a)).not.toContain(a.toString('hex').slice(0, 8))
    expect(() => assertOrganisationKey(a, keyFingerprint(a))).not.toThrow()
    expect(() => assertOrganisationKey(a, keyFingerprint(b))).toThrow(expect.objectContaining({ code: 'KEY_MISMATCH' }))
  })
})
