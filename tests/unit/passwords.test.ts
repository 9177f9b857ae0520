/**
 * Rule: passwords are stored as scrypt PHC strings carrying their parameters, verified in constant
 * time, and upgraded when the stored parameters are weaker than the current ones.
 */
import { describe, expect, it } from 'vitest'
import { hashPassword, parsePhc, verifyPassword } from '../../src/main/core/passwords'
import { TEST_SCRYPT } from '../helpers/engine'

describe('password hashing', () => {
  it('writes a PHC string with its parameters and a fresh salt', async () => {
    const a = await hashPassword('correct horse battery staple', TEST_SCRYPT)
    const b = await hashPassword('correct horse battery staple', TEST_SCRYPT)
    expect(a).toMatch(/^\$scrypt\$ln=10,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/)
    expect(a).not.toBe(b)
    expect(a).not.toContain('horse')
  })

  it('accepts the right password and refuses a wrong one', async () => {
    const phc = await hashPassword('correct horse battery staple', TEST_SCRYPT)
    expect(await verifyPassword('correct horse battery staple', phc, TEST_SCRYPT)).toEqual({ valid: true, needsRehash: false })
    expect((await verifyPassword('correct horse battery stapler', phc, TEST_SCRYPT)).valid).toBe(false)
  })

  it('verifies the RFC 7914 section 12 scrypt vector, so any standard scrypt reads our hashes', async () => {
    const key = Buffer.from(
      'fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640',
      'hex'
    )
    const phc = `$scrypt$ln=10,r=8,p=16$${Buffer.from('NaCl').toString('base64').replace(/=+$/, '')}$${key.toString('base64').replace(/=+$/, '')}`
    expect((await verifyPassword('password', phc, { log2N: 10, r: 8, p: 16 })).valid).toBe(true)
    expect((await verifyPassword('Password', phc, { log2N: 10, r: 8, p: 16 })).valid).toBe(false)
  })

  it('normalises Unicode so the same password typed on another keyboard layout matches (NFKC)', async () => {
    const phc = await hashPassword('caf\u00e9 au lait tous les jours', TEST_SCRYPT)
    expect((await verifyPassword('cafe\u0301 au lait tous les jours', phc, TEST_SCRYPT)).valid).toBe(true)
  })

  it('asks for a rehash when the stored parameters are weaker than the target', async () => {
    const weak = await hashPassword('correct horse battery staple', { log2N: 4, r: 8, p: 1 })
    expect(await verifyPassword('correct horse battery staple', weak, TEST_SCRYPT)).toEqual({ valid: true, needsRehash: true })
    expect(await verifyPassword('wrong', weak, TEST_SCRYPT)).toEqual({ valid: false, needsRehash: false })
  })

  it('never matches an unreadable stored hash', async () => {
    for (const bad of ['', 'plaintext', '$argon2id$v=19$m=1,t=1,p=1$c2FsdA$aGFzaA', '$scrypt$ln=99,r=8,p=1$c2FsdA$aGFzaA']) {
      expect(parsePhc(bad)).toBeNull()
      expect((await verifyPassword('plaintext', bad, TEST_SCRYPT)).valid).toBe(false)
    }
  })
})
