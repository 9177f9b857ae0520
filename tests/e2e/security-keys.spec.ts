/**
 * Security keys in Chromium, with the DevTools Protocol's virtual authenticator (CTAP2 over USB):
 * a kiosk user registers a key at setup and logs in with it; a clone of the key, whose signature
 * counter is behind, is refused and audited.
 */
import type { CDPSession, Page } from '@playwright/test'
import type { AuditPage } from '../../src/shared/admin-dto'
import { DEFAULT_POLICY } from '../../src/shared/policy'
import { expect, expectAccessible, screenshot, test } from './fixtures'
import { inEngine, logIn, seedUsers } from './helpers'

test.beforeEach(async ({ harness }) => {
  await seedUsers(harness, [{ username: 'grace', displayName: 'Grace Hopper' }])
  await inEngine(harness, 'policy.save', { ...DEFAULT_POLICY, mandatory: true, allowedMethods: ['totp', 'webauthn'] })
})

type Credential = { credentialId: string; isResidentCredential: boolean; privateKey: string; signCount: number; rpId?: string; userHandle?: string }

async function authenticator(page: Page): Promise<{ cdp: CDPSession; id: string }> {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('WebAuthn.enable')
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'usb', hasResidentKey: false, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true }
  })
  return { cdp, id: authenticatorId }
}

test('a kiosk user registers a security key, logs in with it, and a cloned key is refused', async ({ app: page, harness }) => {
  const key = await authenticator(page)
  await logIn(page, 'grace')
  await page.getByRole('button', { name: 'Set up now' }).click()
  await page.getByLabel(/Security key/).check()
  await page.getByRole('button', { name: 'Continue' }).click()
  await expect(page.getByRole('heading', { name: 'Register your security key' })).toBeVisible()
  await expectAccessible(page)
  await screenshot(page, '44-register-key')
  await page.getByLabel('Name for this key').fill('blue YubiKey')
  await page.getByRole('button', { name: 'Register security key' }).click()
  await expect(page.getByRole('heading', { name: 'Save your recovery codes' })).toBeVisible()
  await page.getByLabel('I have saved these codes').check()
  await page.getByRole('button', { name: 'Complete' }).click()
  await expect(page.getByRole('heading', { name: 'My account' })).toBeVisible()
  await page.getByRole('button', { name: 'Log out' }).click()

  // The next login asks for the key.
  await logIn(page, 'grace')
  await expect(page.getByRole('heading', { name: 'Use your security key' })).toBeVisible()
  await screenshot(page, '45-login-key')
  await page.getByRole('button', { name: 'Use my security key' }).click()
  await expect(page.getByRole('heading', { name: 'My account' })).toBeVisible()
  await page.getByRole('button', { name: 'Log out' }).click()

  // A clone of the key (same private key, counter behind the one Tessera saw) is refused.
  const { credentials } = (await key.cdp.send('WebAuthn.getCredentials', { authenticatorId: key.id })) as { credentials: Credential[] }
  expect(credentials).toHaveLength(1)
  await key.cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: key.id })
  const clone = await authenticator(page)
  await clone.cdp.send('WebAuthn.addCredential', { authenticatorId: clone.id, credential: { ...credentials[0]!, signCount: 0 } })
  await logIn(page, 'grace')
  await page.getByRole('button', { name: 'Use my security key' }).click()
  await expect(page.getByText('That security key was not accepted.')).toBeVisible()
  const audit = await inEngine<AuditPage>(harness, 'administration.auditPage', { event: 'security-key.counter-regressed', actor: '', subject: '', from: null, to: null, beforeId: null, limit: 5 })
  expect(audit.rows).toMatchObject([{ subject: 'grace', details: { name: 'blue YubiKey' } }])
})
