/**
 * Security keys in Chromium, with the DevTools Protocol's virtual authenticator (CTAP2 over USB):
 * a kiosk user registers a key at setup and logs in with it; a clone of the key, whose signature
 * counter is behind, is refused and audited.
 */
import type { CDPSession, Page } from '@playwright/test'
import type { AuditPage } from '../../src/shared/admin-dto'
import { DEFAULT_POLICY } from '../../src/shared/policy'
import { expect, expectAccessible, screenshot, test } from './fixtures'
import { ADMIN_PASSWORD, appCode, enrolledInEngine, enterCode, inEngine, logIn, seedUsers, signIn } from './helpers'

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

test('a second key from My account; each logs in; she removes one; the help desk never removes the last', async ({ app: page, harness }) => {
  // Setup with the first key.
  const first = await authenticator(page)
  await logIn(page, 'grace')
  await page.getByRole('button', { name: 'Set up now' }).click()
  await page.getByLabel(/Security key/).check()
  await page.getByRole('button', { name: 'Continue' }).click()
  await page.getByLabel('Name for this key').fill('blue YubiKey')
  await page.getByRole('button', { name: 'Register security key' }).click()
  await expect(page.getByRole('heading', { name: 'Save your recovery codes' })).toBeVisible()
  const codes = (await page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem').allTextContents()).map((c) => c.trim())
  await page.getByLabel('I have saved these codes').check()
  await page.getByRole('button', { name: 'Complete' }).click()
  await expect(page.getByRole('heading', { name: 'My account' })).toBeVisible()
  const [blue] = ((await first.cdp.send('WebAuthn.getCredentials', { authenticatorId: first.id })) as { credentials: Credential[] }).credentials

  // A second key, on another authenticator, from My account: first she proves it is her (the
  // first key is not in the reader now: a recovery code).
  await first.cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: first.id })
  const second = await authenticator(page)
  await page.getByLabel('Name for the new key').fill('spare key')
  await page.getByRole('button', { name: 'Add a security key' }).click()
  await page.getByLabel('A recovery code').check()
  await page.getByLabel('Recovery code', { exact: true }).fill(codes[0]!)
  await page.getByRole('button', { name: 'Confirm' }).click()
  await expect(page.getByText('Key “spare key” added.')).toBeVisible()
  await expect(page.getByRole('region', { name: 'Security keys' }).getByText('blue YubiKey')).toBeVisible()
  await screenshot(page, '46-my-keys')
  await page.getByRole('button', { name: 'Log out' }).click()

  // The spare key logs in; then the first one, back in the reader.
  await logIn(page, 'grace')
  await page.getByRole('button', { name: 'Use my security key' }).click()
  await expect(page.getByRole('heading', { name: 'My account' })).toBeVisible()
  await page.getByRole('button', { name: 'Log out' }).click()
  await second.cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: second.id })
  const back = await authenticator(page)
  await back.cdp.send('WebAuthn.addCredential', { authenticatorId: back.id, credential: blue! })
  await logIn(page, 'grace')
  await page.getByRole('button', { name: 'Use my security key' }).click()
  await expect(page.getByRole('heading', { name: 'My account' })).toBeVisible()

  // She removes the spare herself: her password and a touch of the key she has.
  await page.getByRole('button', { name: 'Remove the key spare key' }).click()
  await page.getByLabel('Password').fill('correct horse battery staple')
  await page.getByRole('button', { name: 'Remove “spare key”' }).click()
  await expect(page.getByText('Key “spare key” removed.')).toBeVisible()
  await page.getByRole('button', { name: 'Log out' }).click()

  // The help desk sees her key; the last one stays while 2FA is required.
  await signIn(page, harness, 'ada', ADMIN_PASSWORD)
  await page.getByRole('button', { name: 'Grace Hopper: open details' }).click()
  await expect(page.getByRole('heading', { name: 'Security keys' })).toBeVisible()
  await screenshot(page, '47-helpdesk-keys')
  await page.getByRole('button', { name: 'Remove the key blue YubiKey' }).click()
  await expect(page.getByText(/This is the last security key/)).toBeVisible()
})

test('an administrator makes security keys mandatory for administrators, then moves to a key', async ({ app: page, harness }) => {
  await authenticator(page)
  await signIn(page, harness, 'ada', ADMIN_PASSWORD)
  await page.getByRole('button', { name: 'Policy' }).click()
  await page.getByLabel('Administrator', { exact: true }).selectOption('webauthn')
  await expect(page.getByText('user holds none of the methods their role would require')).toBeVisible()
  await expectAccessible(page)
  await screenshot(page, '48-policy-required-key')
  await page.getByRole('button', { name: 'Save policy' }).click()
  await expect(page.getByText('Policy saved. The change is in the audit log.')).toBeVisible()
  await page.getByRole('button', { name: 'Log out' }).click()

  // Her authenticator app still proves it is her; then the key is required before the console,
  // and the setup screen says so, and what to have at hand.
  await signIn(page, harness, 'ada', ADMIN_PASSWORD)
  await expect(page.getByRole('heading', { name: 'Set up a security key' })).toBeVisible()
  await expect(page.getByText('That is a security key: set one up to continue (the methods you have stay). You need a security key of your own')).toBeVisible()
  await expectAccessible(page)
  await screenshot(page, '48b-setup-required-key')
  await page.getByRole('button', { name: 'Set up now' }).click()
  await expect(page.getByRole('radio')).toHaveCount(1)
  await page.getByRole('button', { name: 'Continue' }).click()
  await page.getByLabel('Name for this key').fill('admin key')
  await page.getByRole('button', { name: 'Register security key' }).click()
  // She holds an app already: her recovery codes stay, nothing new to save.
  await expect(page.getByRole('heading', { name: 'Security key added' })).toBeVisible()
  await page.getByRole('button', { name: 'Done' }).click()
  await expect(page.getByRole('heading', { name: 'Users' })).toBeVisible()
  await page.getByRole('button', { name: 'Log out' }).click()
  await logIn(page, 'ada', ADMIN_PASSWORD)
  await page.getByRole('button', { name: 'Use my security key' }).click()
  await expect(page.getByRole('heading', { name: 'Users' })).toBeVisible()
})

test('an app user adds a security key in My account, then logs in with either', async ({ app: page, harness, clock }) => {
  await authenticator(page)
  const secret = await enrolledInEngine(harness, clock, 'grace')
  await signIn(page, harness, 'grace')
  await page.getByRole('button', { name: 'Add a method' }).click()
  // First she proves it is her, with a current code from her app.
  await page.getByLabel('Code', { exact: true }).fill(appCode(clock, secret))
  await page.getByRole('button', { name: 'Confirm' }).click()
  await expect(page.getByRole('heading', { name: 'Add a method' })).toBeVisible()
  await page.getByLabel(/Security key/).check()
  await page.getByRole('button', { name: 'Continue' }).click()
  await page.getByLabel('Name for this key').fill('blue YubiKey')
  await page.getByRole('button', { name: 'Register security key' }).click()
  await expect(page.getByRole('heading', { name: 'Security key added' })).toBeVisible()
  await page.getByRole('button', { name: 'Done' }).click()
  const methods = page.getByRole('region', { name: 'Your methods' })
  await expect(methods.getByRole('listitem')).toHaveCount(2)
  await expect(methods.getByRole('listitem').first()).toContainText('Security key')
  await expect(methods.getByRole('listitem').first()).toContainText('Asked first')
  await expectAccessible(page)
  await screenshot(page, '49-my-account-methods')
  await page.getByRole('button', { name: 'Log out' }).click()

  // The key, used last, is asked first; the app is one click away.
  await logIn(page, 'grace')
  await expect(page.getByRole('heading', { name: 'Use your security key' })).toBeVisible()
  await expect(page.getByRole('group', { name: 'Use another method:' }).getByRole('button', { name: 'Use my authenticator app' })).toBeVisible()
  await screenshot(page, '49b-second-step-another-method')
  await page.getByRole('button', { name: 'Use my security key' }).click()
  await expect(page.getByRole('heading', { name: 'My account' })).toBeVisible()
  await page.getByRole('button', { name: 'Log out' }).click()
  clock.advance(30_000)
  await logIn(page, 'grace')
  await page.getByRole('button', { name: 'Use my authenticator app' }).click()
  await enterCode(page, appCode(clock, secret))
  await expect(page.getByRole('heading', { name: 'My account' })).toBeVisible()
  await page.getByRole('button', { name: 'Log out' }).click()

  // The help desk sees both, and removes the app ("I lost my phone"): the key stays.
  await signIn(page, harness, 'ada', ADMIN_PASSWORD)
  await page.getByRole('button', { name: 'Grace Hopper: open details' }).click()
  const held = page.getByRole('region', { name: 'Second factors' })
  await expect(held.getByRole('listitem')).toHaveCount(2)
  await held.scrollIntoViewIfNeeded()
  await screenshot(page, '49c-helpdesk-methods')
  await held.getByRole('button', { name: 'Remove Authenticator app' }).click()
  await held.getByRole('button', { name: 'Remove it' }).click()
  await expect(page.getByText('Authenticator app removed.')).toBeVisible()
  await expect(page.getByRole('definition').filter({ hasText: /^Security key since/ })).toBeVisible()
})

/** In the page: a WebAuthn assertion for the pending login's options, optionally for another credential. */
async function assertion(page: Page, credentialId?: string): Promise<unknown> {
  return page.evaluate(async (id) => {
    const api = (window as unknown as { api: Record<string, (input: unknown) => Promise<{ ok: boolean; value: Record<string, unknown> }>> }).api
    const options = (await api['auth:key-options']!({})).value
    const allow = id ? [{ id, type: 'public-key' }] : options['allowCredentials']
    const pk = PublicKeyCredential as unknown as { parseRequestOptionsFromJSON(o: unknown): PublicKeyCredentialRequestOptions }
    const credential = (await navigator.credentials.get({ publicKey: pk.parseRequestOptionsFromJSON({ ...options, allowCredentials: allow }) })) as PublicKeyCredential & { toJSON(): unknown }
    return credential.toJSON()
  }, credentialId)
}

const verifyKey = (page: Page, response: unknown) =>
  page.evaluate(async (r) => (window as unknown as { api: Record<string, (input: unknown) => Promise<{ ok: boolean; code?: string }>> }).api['auth:verify-key']!({ response: r }), response)

async function registerAtSetup(page: Page, username: string, keyName: string): Promise<void> {
  await logIn(page, username)
  await page.getByRole('button', { name: 'Set up now' }).click()
  await page.getByLabel(/Security key/).check()
  await page.getByRole('button', { name: 'Continue' }).click()
  await page.getByLabel('Name for this key').fill(keyName)
  await page.getByRole('button', { name: 'Register security key' }).click()
  await page.getByLabel('I have saved these codes').check()
  await page.getByRole('button', { name: 'Complete' }).click()
  await expect(page.getByRole('heading', { name: 'My account' })).toBeVisible()
  await page.getByRole('button', { name: 'Log out' }).click()
}

test('the engine refuses another user\'s key, a replayed assertion, and a key without user verification where the policy requires it', async ({ app: page, harness }) => {
  await seedUsers(harness, [{ username: 'linus', displayName: 'Linus Torvalds' }])
  const key = await authenticator(page)
  await registerAtSetup(page, 'grace', 'grace key')
  await registerAtSetup(page, 'linus', 'linus key')
  const { credentials } = (await key.cdp.send('WebAuthn.getCredentials', { authenticatorId: key.id })) as { credentials: Credential[] }
  const linusKey = credentials.find((c) => atob(c.userHandle!) === 'tessera-user-3')!.credentialId.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')

  // Grace's login answered with Linus's key (signed by a real authenticator) is refused.
  await logIn(page, 'grace')
  await expect(page.getByRole('heading', { name: 'Use your security key' })).toBeVisible()
  expect(await verifyKey(page, await assertion(page, linusKey))).toMatchObject({ ok: false, code: 'INVALID_CODE' })
  // Her own key signs in; the same signed answer sent again at the next login is refused.
  const good = await assertion(page)
  expect(await verifyKey(page, good)).toMatchObject({ ok: true })
  await page.reload()
  await page.getByRole('button', { name: 'Log out' }).click()
  await logIn(page, 'grace')
  await expect(page.getByRole('heading', { name: 'Use your security key' })).toBeVisible()
  await page.evaluate(() => (window as unknown as { api: Record<string, (i: unknown) => Promise<unknown>> }).api['auth:key-options']!({}))
  expect(await verifyKey(page, good)).toMatchObject({ ok: false, code: 'INVALID_CODE' })
  const audit = await inEngine<AuditPage>(harness, 'administration.auditPage', { event: 'login.second-factor-failed', actor: '', subject: 'grace', from: null, to: null, beforeId: null, limit: 5 })
  expect(audit.rows.map((r) => r.details['method'])).toEqual(['webauthn', 'webauthn'])

  // With user verification required, a key that only proves presence is refused.
  await inEngine(harness, 'policy.save', { ...DEFAULT_POLICY, mandatory: true, allowedMethods: ['totp', 'webauthn'], requireUserVerification: true })
  await key.cdp.send('WebAuthn.setUserVerified', { authenticatorId: key.id, isUserVerified: false })
  await page.getByRole('button', { name: 'Use my security key' }).click()
  await expect(page.getByRole('alert')).toBeVisible()
  await expect(page.getByRole('heading', { name: 'Use your security key' })).toBeVisible()
})

test('a user who lost her key gets back in through the help desk and registers a new one', async ({ app: page, harness }) => {
  const key = await authenticator(page)
  await registerAtSetup(page, 'grace', 'blue YubiKey')
  await key.cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: key.id }) // the key is gone

  await logIn(page, 'grace')
  await page.getByRole('button', { name: 'Lost your key?' }).click()
  await page.getByRole('button', { name: 'Send to all' }).click()
  await expect(page.getByRole('heading', { name: 'Request sent' })).toBeVisible()
  await page.getByRole('button', { name: 'Log out' }).click()

  await signIn(page, harness, 'ada', ADMIN_PASSWORD)
  await page.getByRole('button', { name: /Help requests/ }).click()
  await page.getByRole('button', { name: 'Handle the request of Grace Hopper' }).click()
  await page.getByLabel('In person with photo ID').check()
  await page.getByLabel('Note (what you checked)').fill('Badge 4411 checked at the desk')
  await page.getByRole('button', { name: 'Reset 2FA' }).click()
  await expect(page.getByText('Two-factor authentication of Grace Hopper was reset.')).toBeVisible()
  await page.getByRole('button', { name: 'Log out' }).click()

  // Her old key is gone from her account; she registers a new one.
  await authenticator(page)
  await registerAtSetup(page, 'grace', 'new key')
  await logIn(page, 'grace')
  await page.getByRole('button', { name: 'Use my security key' }).click()
  await expect(page.getByRole('heading', { name: 'My account' })).toBeVisible()
  await expect(page.getByRole('region', { name: 'Security keys' }).getByRole('listitem')).toHaveText([/^new key/])
})
