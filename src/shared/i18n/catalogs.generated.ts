// Written by `node scripts/i18n.mjs` from src/shared/i18n/catalogs: do not edit.
/* eslint-disable @typescript-eslint/no-empty-object-type -- a message without parameters takes {} */

import en_account from './catalogs/en/account.json' with { type: 'json' }
import en_audit from './catalogs/en/audit.json' with { type: 'json' }
import en_cli from './catalogs/en/cli.json' with { type: 'json' }
import en_common from './catalogs/en/common.json' with { type: 'json' }
import en_console from './catalogs/en/console.json' with { type: 'json' }
import en_errors from './catalogs/en/errors.json' with { type: 'json' }
import en_labels from './catalogs/en/labels.json' with { type: 'json' }
import en_mail from './catalogs/en/mail.json' with { type: 'json' }
import en_menu from './catalogs/en/menu.json' with { type: 'json' }
import en_secondStep from './catalogs/en/secondStep.json' with { type: 'json' }
import en_setup from './catalogs/en/setup.json' with { type: 'json' }
import en_signInRefusals from './catalogs/en/signInRefusals.json' with { type: 'json' }
import en_signedOut from './catalogs/en/signedOut.json' with { type: 'json' }
import en_staffRefusals from './catalogs/en/staffRefusals.json' with { type: 'json' }
import en_users from './catalogs/en/users.json' with { type: 'json' }
import en_validation from './catalogs/en/validation.json' with { type: 'json' }
import ja_account from './catalogs/ja/account.json' with { type: 'json' }
import ja_audit from './catalogs/ja/audit.json' with { type: 'json' }
import ja_cli from './catalogs/ja/cli.json' with { type: 'json' }
import ja_common from './catalogs/ja/common.json' with { type: 'json' }
import ja_console from './catalogs/ja/console.json' with { type: 'json' }
import ja_errors from './catalogs/ja/errors.json' with { type: 'json' }
import ja_labels from './catalogs/ja/labels.json' with { type: 'json' }
import ja_mail from './catalogs/ja/mail.json' with { type: 'json' }
import ja_menu from './catalogs/ja/menu.json' with { type: 'json' }
import ja_secondStep from './catalogs/ja/secondStep.json' with { type: 'json' }
import ja_setup from './catalogs/ja/setup.json' with { type: 'json' }
import ja_signInRefusals from './catalogs/ja/signInRefusals.json' with { type: 'json' }
import ja_signedOut from './catalogs/ja/signedOut.json' with { type: 'json' }
import ja_staffRefusals from './catalogs/ja/staffRefusals.json' with { type: 'json' }
import ja_users from './catalogs/ja/users.json' with { type: 'json' }
import ja_validation from './catalogs/ja/validation.json' with { type: 'json' }
import ko_account from './catalogs/ko/account.json' with { type: 'json' }
import ko_audit from './catalogs/ko/audit.json' with { type: 'json' }
import ko_cli from './catalogs/ko/cli.json' with { type: 'json' }
import ko_common from './catalogs/ko/common.json' with { type: 'json' }
import ko_console from './catalogs/ko/console.json' with { type: 'json' }
import ko_errors from './catalogs/ko/errors.json' with { type: 'json' }
import ko_labels from './catalogs/ko/labels.json' with { type: 'json' }
import ko_mail from './catalogs/ko/mail.json' with { type: 'json' }
import ko_menu from './catalogs/ko/menu.json' with { type: 'json' }
import ko_secondStep from './catalogs/ko/secondStep.json' with { type: 'json' }
import ko_setup from './catalogs/ko/setup.json' with { type: 'json' }
import ko_signInRefusals from './catalogs/ko/signInRefusals.json' with { type: 'json' }
import ko_signedOut from './catalogs/ko/signedOut.json' with { type: 'json' }
import ko_staffRefusals from './catalogs/ko/staffRefusals.json' with { type: 'json' }
import ko_users from './catalogs/ko/users.json' with { type: 'json' }
import ko_validation from './catalogs/ko/validation.json' with { type: 'json' }
import vi_account from './catalogs/vi/account.json' with { type: 'json' }
import vi_audit from './catalogs/vi/audit.json' with { type: 'json' }
import vi_cli from './catalogs/vi/cli.json' with { type: 'json' }
import vi_common from './catalogs/vi/common.json' with { type: 'json' }
import vi_console from './catalogs/vi/console.json' with { type: 'json' }
import vi_errors from './catalogs/vi/errors.json' with { type: 'json' }
import vi_labels from './catalogs/vi/labels.json' with { type: 'json' }
import vi_mail from './catalogs/vi/mail.json' with { type: 'json' }
import vi_menu from './catalogs/vi/menu.json' with { type: 'json' }
import vi_secondStep from './catalogs/vi/secondStep.json' with { type: 'json' }
import vi_setup from './catalogs/vi/setup.json' with { type: 'json' }
import vi_signInRefusals from './catalogs/vi/signInRefusals.json' with { type: 'json' }
import vi_signedOut from './catalogs/vi/signedOut.json' with { type: 'json' }
import vi_staffRefusals from './catalogs/vi/staffRefusals.json' with { type: 'json' }
import vi_users from './catalogs/vi/users.json' with { type: 'json' }
import vi_validation from './catalogs/vi/validation.json' with { type: 'json' }

/** Each locale's catalogs by area (a message's id is `<area>.<key>`). */
export const CATALOG_AREAS = {
  en: { 'account': en_account, 'audit': en_audit, 'cli': en_cli, 'common': en_common, 'console': en_console, 'errors': en_errors, 'labels': en_labels, 'mail': en_mail, 'menu': en_menu, 'secondStep': en_secondStep, 'setup': en_setup, 'signInRefusals': en_signInRefusals, 'signedOut': en_signedOut, 'staffRefusals': en_staffRefusals, 'users': en_users, 'validation': en_validation },
  ja: { 'account': ja_account, 'audit': ja_audit, 'cli': ja_cli, 'common': ja_common, 'console': ja_console, 'errors': ja_errors, 'labels': ja_labels, 'mail': ja_mail, 'menu': ja_menu, 'secondStep': ja_secondStep, 'setup': ja_setup, 'signInRefusals': ja_signInRefusals, 'signedOut': ja_signedOut, 'staffRefusals': ja_staffRefusals, 'users': ja_users, 'validation': ja_validation },
  ko: { 'account': ko_account, 'audit': ko_audit, 'cli': ko_cli, 'common': ko_common, 'console': ko_console, 'errors': ko_errors, 'labels': ko_labels, 'mail': ko_mail, 'menu': ko_menu, 'secondStep': ko_secondStep, 'setup': ko_setup, 'signInRefusals': ko_signInRefusals, 'signedOut': ko_signedOut, 'staffRefusals': ko_staffRefusals, 'users': ko_users, 'validation': ko_validation },
  vi: { 'account': vi_account, 'audit': vi_audit, 'cli': vi_cli, 'common': vi_common, 'console': vi_console, 'errors': vi_errors, 'labels': vi_labels, 'mail': vi_mail, 'menu': vi_menu, 'secondStep': vi_secondStep, 'setup': vi_setup, 'signInRefusals': vi_signInRefusals, 'signedOut': vi_signedOut, 'staffRefusals': vi_staffRefusals, 'users': vi_users, 'validation': vi_validation },
} as const

/** Every message id, with the parameters its English text takes. */
export interface MessageParams {
  'account.cancel': {}
  'account.changePassword.confirm': {}
  'account.changePassword.current': {}
  'account.changePassword.mismatch': {}
  'account.changePassword.new': {}
  'account.disable.confirmWith': {}
  'account.disable.intro': {}
  'account.disable.recoveryCode': {}
  'account.disable.sendCode': {}
  'account.disable.sentTo': { email: string | number }
  'account.disable.sixDigitCode': {}
  'account.disable.title': {}
  'account.disable.with.email': {}
  'account.disable.with.recovery': {}
  'account.disable.with.token': {}
  'account.disable.with.totp': {}
  'account.dismiss': {}
  'account.done.added': {}
  'account.done.language': {}
  'account.done.off': {}
  'account.done.on': {}
  'account.done.passwordChanged': {}
  'account.done.reissued': {}
  'account.facts.codesLeft': { count: string | number }
  'account.facts.fewLeft': {}
  'account.facts.methods': { count: number }
  'account.facts.off': {}
  'account.facts.on': {}
  'account.facts.oneMethod': { method: string | number; since: string | number }
  'account.facts.passwordOnly': {}
  'account.facts.recoveryCodes': {}
  'account.facts.status': {}
  'account.field.password': {}
  'account.idle.logOutNow': {}
  'account.idle.loggedOutIn': { time: string | number }
  'account.idle.lost': {}
  'account.idle.seconds': { count: number }
  'account.idle.stay': {}
  'account.idle.title': {}
  'account.idle.unsaved': { what: string | number }
  'account.interrupted': {}
  'account.job.amount.accounts': { done: number; total: number }
  'account.job.amount.entries': { done: number; total: number }
  'account.job.amount.rows': { done: number; total: number }
  'account.job.exported': { count: number }
  'account.job.exportedTo': { count: number; file: string | number }
  'account.job.exporting': {}
  'account.job.megabytes': { done: string | number; total: string | number }
  'account.job.progress': { label: string | number; amount: string | number }
  'account.job.progressStep': { label: string | number; step: string | number; amount: string | number }
  'account.job.soFar.accounts': { done: number }
  'account.job.soFar.bytes': { done: number }
  'account.job.soFar.entries': { done: number }
  'account.job.starting': {}
  'account.job.step.comparing': {}
  'account.job.step.creatingUsers': {}
  'account.job.step.readingDirectory': {}
  'account.job.step.readingFile': {}
  'account.language.hint': {}
  'account.language.label': {}
  'account.language.organisationDefault': {}
  'account.language.title': {}
  'account.password.change': {}
  'account.password.title': {}
  'account.reissue.done': {}
  'account.reissue.intro': {}
  'account.reissue.submit': {}
  'account.sessions.ended': { count: number }
  'account.sessions.endedElsewhere': { count: number }
  'account.sessions.justNow': {}
  'account.sessions.line': { current: 'yes' | (string & {}); stage: 'changePassword' | 'enrol' | 'secondFactor' | (string & {}); since: string | number; ago: string | number }
  'account.sessions.mine': {}
  'account.sessions.none': {}
  'account.sessions.signOutElsewhere': {}
  'account.sessions.signOutEverywhere': {}
  'account.sessions.signedIn': {}
  'account.shell.logOut': {}
  'account.shell.nav.account': {}
  'account.shell.nav.audit': {}
  'account.shell.nav.directory': {}
  'account.shell.nav.label': {}
  'account.shell.nav.open': {}
  'account.shell.nav.policy': {}
  'account.shell.nav.requests': {}
  'account.shell.nav.tokens': {}
  'account.shell.thisWorkstation': {}
  'account.shell.user': { name: string | number; role: string | number }
  'account.title': {}
  'account.twoFactor.confirmToken': {}
  'account.twoFactor.disable': {}
  'account.twoFactor.mandatory': {}
  'account.twoFactor.newPhone': {}
  'account.twoFactor.pendingToken': { serial: string | number }
  'account.twoFactor.reissue': {}
  'account.twoFactor.setUp': {}
  'account.twoFactor.title': {}
  'audit.access-code.issued': { actor: string | number; subject: string | number; hasUntil: 'yes' | (string & {}); until: string | number }
  'audit.account.language-changed': { subject: string | number; language: string | number }
  'audit.audit.anchor-broken': { hasProblem: 'yes' | (string & {}); problem: string | number }
  'audit.audit.chain-keyed': { from: string | number }
  'audit.audit.exported': { known: 'yes' | (string & {}); actor: string | number; rows: number }
  'audit.detailKey': { key: 'action' | 'adding' | 'address' | 'bindPassword' | 'changed' | 'chosen' | 'code' | 'confirm' | 'confirmed' | 'confirmedUntil' | 'count' | 'counts' | 'created' | 'creating' | 'directory' | 'disabled' | 'displayName' | 'done' | 'dryRun' | 'email' | 'enabled' | 'entries' | 'expiresAt' | 'factor' | 'file' | 'fingerprint' | 'from' | 'full' | 'fullBecause' | 'head' | 'identityCheck' | 'idleMs' | 'job' | 'kind' | 'known' | 'language' | 'lastSeenAt' | 'left' | 'length' | 'line' | 'linked' | 'method' | 'name' | 'nameHash' | 'nameLength' | 'newCounter' | 'old' | 'passwords' | 'problem' | 'purpose' | 'reason' | 'received' | 'refused' | 'removed' | 'renamed' | 'replaced' | 'replacing' | 'request' | 'requestId' | 'role' | 'rows' | 'scope' | 'self' | 'serial' | 'serials' | 'skipped' | 'stage' | 'startedAt' | 'startedBy' | 'step' | 'stored' | 'temporaryPasswordUntil' | 'to' | 'unlocked' | 'until' | 'updated' | 'urls' | 'username' | 'via' | 'waiting' | 'wasLocked' | 'workstation' | 'workstationToUnlock' | (string & {}); label: string | number }
  'audit.detailValue': { value: 'account' | 'false' | 'password' | 'reset' | 'secondFactor' | 'token' | 'true' | 'workstation' | (string & {}); raw: string | number }
  'audit.directory.configured': { hasUrls: 'yes' | (string & {}); actor: string | number; urls: string | number; newPassword: 'yes' | (string & {}) }
  'audit.directory.sync-waiting': { actor: string | number; disable: number; of: number }
  'audit.directory.synced': { actor: string | number; full: 'yes' | (string & {}); created: number; updated: number; disabled: number; enabled: number }
  'audit.email-code.refused': { subject: string | number }
  'audit.email-code.sent': { purpose: 'passwordReset' | (string & {}); subject: string | number }
  'audit.endReason': { reason: 'deleted' | 'disabled' | 'passwordChanged' | 'passwordReset' | 'roleChanged' | 'temporaryPassword' | 'twoFactorReset' | (string & {}) }
  'audit.enrol.code-failed': { subject: string | number }
  'audit.enrol.completed': { subject: string | number; method: string | number }
  'audit.enrol.confirmed': { subject: string | number; method: string | number }
  'audit.enrol.email-verified': { subject: string | number }
  'audit.enrol.postponed': { subject: string | number; hasLeft: 'yes' | (string & {}); left: number }
  'audit.enrol.started': { replacing: 'yes' | (string & {}); subject: string | number; method: string | number }
  'audit.enrolment-link.refused': {}
  'audit.enrolment-link.sent': { actor: string | number; subject: string | number; hasUntil: 'yes' | (string & {}); until: string | number }
  'audit.enrolment-link.used': { subject: string | number }
  'audit.group.access-code': {}
  'audit.group.all': {}
  'audit.group.enrol': {}
  'audit.group.lock': {}
  'audit.group.login': {}
  'audit.group.lost-device': {}
  'audit.group.password': {}
  'audit.group.policy': {}
  'audit.group.recovery-codes': {}
  'audit.group.two-factor': {}
  'audit.group.user': {}
  'audit.language': { language: 'en' | 'ja' | 'ko' | 'vi' | (string & {}) }
  'audit.lock.account': { subject: string | number; hasUntil: 'yes' | (string & {}); until: string | number }
  'audit.lock.workstation': { hasUntil: 'yes' | (string & {}); until: string | number }
  'audit.login.access-code-used': { subject: string | number }
  'audit.login.blocked': { subject: string | number; hasUntil: 'yes' | (string & {}); until: string | number }
  'audit.login.code-replayed': { subject: string | number }
  'audit.login.password-failed': { unknown: 'yes' | (string & {}); subject: string | number }
  'audit.login.recovery-code-used': { subject: string | number; hasLeft: 'yes' | (string & {}); left: number }
  'audit.login.second-factor-failed': { subject: string | number }
  'audit.login.succeeded': { hasMethod: 'yes' | (string & {}); subject: string | number; method: string | number }
  'audit.logout': { subject: string | number }
  'audit.lost-device.rejected': { actor: string | number; subject: string | number; hasReason: 'yes' | (string & {}); reason: string | number }
  'audit.lost-device.requested': { subject: string | number }
  'audit.lost-device.token-given': { actor: string | number; subject: string | number; serial: string | number }
  'audit.mail.test-sent': { hasTo: 'yes' | (string & {}); actor: string | number; to: string | number }
  'audit.method': { method: 'accessCode' | 'email' | 'recovery' | 'token' | 'totp' | 'webauthn' | (string & {}) }
  'audit.methodName': { method: 'email' | 'token' | 'totp' | 'webauthn' | (string & {}) }
  'audit.password.changed': { temporary: 'yes' | (string & {}); subject: string | number }
  'audit.password.reset': { subject: string | number }
  'audit.password.reset-failed': { unknown: 'yes' | (string & {}); subject: string | number }
  'audit.password.reset-requested': { unknown: 'yes' | (string & {}); subject: string | number }
  'audit.password.temporary-set': { actor: string | number; subject: string | number; hasUntil: 'yes' | (string & {}); until: string | number }
  'audit.policy.changed': { hasSettings: 'yes' | (string & {}); actor: string | number; settings: string | number }
  'audit.profile': {}
  'audit.profileField': { field: 'displayName' | 'email' | 'phone' | 'username' | (string & {}) }
  'audit.recovery-codes.reissued': { subject: string | number }
  'audit.role': { role: 'admin' | 'helpdesk' | 'user' | (string & {}) }
  'audit.screen.col.details': {}
  'audit.screen.col.time': {}
  'audit.screen.col.what': {}
  'audit.screen.details': {}
  'audit.screen.detailsOf': { id: string | number }
  'audit.screen.export': {}
  'audit.screen.fact.actor': {}
  'audit.screen.fact.event': {}
  'audit.screen.fact.row': {}
  'audit.screen.fact.subject': {}
  'audit.screen.fact.workstation': {}
  'audit.screen.filter.actor': {}
  'audit.screen.filter.event': {}
  'audit.screen.filter.from': {}
  'audit.screen.filter.subject': {}
  'audit.screen.filter.to': {}
  'audit.screen.filter.username': {}
  'audit.screen.fullVerify': {}
  'audit.screen.intact': { rows: number }
  'audit.screen.intactSince': { rows: number; checked: number; since: number }
  'audit.screen.none': {}
  'audit.screen.older': {}
  'audit.screen.tampered': { row: number; problem: string | number }
  'audit.screen.title': {}
  'audit.screen.verify': {}
  'audit.screen.verifying': {}
  'audit.seat.joined': { via: 'cli' | 'firstRun' | (string & {}) }
  'audit.security-key.added': { subject: string | number; name: string | number }
  'audit.security-key.counter-regressed': { name: string | number; subject: string | number }
  'audit.security-key.removed': { self: 'yes' | (string & {}); subject: string | number; name: string | number; actor: string | number }
  'audit.sentence': { where: 'cli' | 'none' | (string & {}); text: string | number; workstation: string | number }
  'audit.separator': {}
  'audit.session.expired': { known: 'yes' | (string & {}); subject: string | number; minutes: number }
  'audit.sessions': { known: 'yes' | (string & {}); count: number }
  'audit.sessions.ended': { sessions: string | number; subject: string | number; reason: string | number }
  'audit.sessions.ended.byOther': { actor: string | number; subject: string | number; sessions: string | number }
  'audit.sessions.ended.self': { subject: string | number; sessions: string | number }
  'audit.setup.first-admin': { subject: string | number }
  'audit.someone': {}
  'audit.tessera': {}
  'audit.token.assigned': { actor: string | number; serial: string | number; subject: string | number }
  'audit.token.lost': { actor: string | number; serial: string | number }
  'audit.token.resync-started': { subject: string | number }
  'audit.token.unassigned': { hasSubject: 'yes' | (string & {}); actor: string | number; serial: string | number; subject: string | number }
  'audit.tokens.imported': { known: 'yes' | (string & {}); actor: string | number; count: number }
  'audit.two-factor.confirmed-identity': { subject: string | number; method: string | number }
  'audit.two-factor.default-chosen': { subject: string | number; method: string | number; hasName: 'yes' | (string & {}); name: string | number }
  'audit.two-factor.device-replaced': { subject: string | number }
  'audit.two-factor.disabled': { subject: string | number; methodName: string | number }
  'audit.two-factor.method-removed': { self: 'yes' | (string & {}); subject: string | number; methodName: string | number; actor: string | number; hasName: 'yes' | (string & {}); name: string | number }
  'audit.two-factor.method-renamed': { subject: string | number; name: string | number }
  'audit.two-factor.reset': { actor: string | number; subject: string | number; hasReason: 'yes' | (string & {}); reason: string | number }
  'audit.two-factor.reset-proposed': { actor: string | number; subject: string | number; hasReason: 'yes' | (string & {}); reason: string | number }
  'audit.unknownEvent': { event: string | number; hasSubject: 'yes' | (string & {}); subject: string | number }
  'audit.unlock': { kind: 'workstation' | (string & {}); actor: string | number; machine: string | number; subject: string | number }
  'audit.user.created': { actor: string | number; role: string | number; subject: string | number; viaImport: 'yes' | (string & {}) }
  'audit.user.deleted': { actor: string | number; subject: string | number; hasName: 'yes' | (string & {}); name: string | number }
  'audit.user.disabled': { via: 'directory' | 'disabled' | 'gone' | (string & {}); actor: string | number; subject: string | number }
  'audit.user.enabled': { actor: string | number; subject: string | number }
  'audit.user.role-changed': { actor: string | number; subject: string | number; from: string | number; to: string | number }
  'audit.user.updated': { renamed: 'yes' | (string & {}); actor: string | number; subject: string | number; fields: string | number; now: string | number }
  'audit.users.bulk-interrupted': { hasStarter: 'yes' | (string & {}); starter: string | number; known: 'yes' | (string & {}); done: number }
  'audit.users.exported': { known: 'yes' | (string & {}); actor: string | number; rows: number }
  'audit.users.import-cancelled': { known: 'yes' | (string & {}); actor: string | number; removed: number }
  'audit.users.import-rolled-back': { hasStarter: 'yes' | (string & {}); starter: string | number; known: 'yes' | (string & {}); removed: number }
  'audit.verify.anchorAltered': { file: string | number }
  'audit.verify.anchorDidNotFit': { row: string | number; detail: string | number }
  'audit.verify.anchorMissing': { file: string | number }
  'audit.verify.changedSinceVerified': { row: string | number }
  'audit.verify.edited': { row: string | number }
  'audit.verify.missing': { row: string | number }
  'audit.verify.notFollowing': { row: string | number; previous: string | number }
  'audit.verify.notSigned': { row: string | number }
  'audit.verify.removedFromEnd': { from: string | number; to: string | number }
  'audit.verify.rewritten': { row: string | number }
  'cli.auditExport.done': { count: number; file: string | number }
  'cli.auditExport.summary': {}
  'cli.auditList.empty': {}
  'cli.auditList.option.limit': {}
  'cli.auditList.summary': {}
  'cli.auditList.wrongLimit': {}
  'cli.auditVerify.done': { count: number }
  'cli.auditVerify.summary': {}
  'cli.auditVerify.tampered': { problem: string | number; rows: number }
  'cli.authCheck.codesLeft': { count: number }
  'cli.authCheck.details': {}
  'cli.authCheck.notBoth': {}
  'cli.authCheck.option.code': {}
  'cli.authCheck.option.recovery': {}
  'cli.authCheck.secondFactorRequired': {}
  'cli.authCheck.setupRequired': {}
  'cli.authCheck.setupRequiredPostponable': { count: number }
  'cli.authCheck.summary': {}
  'cli.column.actor': {}
  'cli.column.added': {}
  'cli.column.by': {}
  'cli.column.disabled': {}
  'cli.column.dn': {}
  'cli.column.email': {}
  'cli.column.event': {}
  'cli.column.file': {}
  'cli.column.id': {}
  'cli.column.kind': {}
  'cli.column.lastUsed': {}
  'cli.column.line': {}
  'cli.column.name': {}
  'cli.column.phone': {}
  'cli.column.role': {}
  'cli.column.rows': {}
  'cli.column.serial': {}
  'cli.column.started': {}
  'cli.column.state': {}
  'cli.column.status': {}
  'cli.column.subject': {}
  'cli.column.time': {}
  'cli.column.took': {}
  'cli.column.type': {}
  'cli.column.user': {}
  'cli.column.username': {}
  'cli.column.whatItDid': {}
  'cli.column.where': {}
  'cli.column.workstation': {}
  'cli.copy.alreadyPostgres': {}
  'cli.copy.chainBrokenInCopy': { problem: string | number }
  'cli.copy.chainVerifies': { count: number }
  'cli.copy.chainWasBroken': { problem: string | number }
  'cli.copy.check.auditHead': { row: number }
  'cli.copy.check.mirrors': {}
  'cli.copy.check.noAuditRows': {}
  'cli.copy.check.rowCounts': { tables: string | number; rows: number }
  'cli.copy.check.userCounts': {}
  'cli.copy.details': {}
  'cli.copy.done': { counts: string | number; address: string | number; seconds: string | number }
  'cli.copy.giveDatabase': {}
  'cli.copy.next': {}
  'cli.copy.nothingToCopy': { dir: string | number }
  'cli.copy.option.databasePasswordFile': {}
  'cli.copy.option.databaseUrl': {}
  'cli.copy.progress.audit': { rows: number; total: number; percent: string | number }
  'cli.copy.progress.check': {}
  'cli.copy.progress.copy': { table: string | number; rows: number; total: number; allRows: number; allTotal: number; percent: string | number }
  'cli.copy.progress.rebuild': { table: string | number }
  'cli.copy.summary': {}
  'cli.copy.table.accessCodes': { count: number }
  'cli.copy.table.auditCheckpoints': { count: number }
  'cli.copy.table.auditRows': { count: number }
  'cli.copy.table.dataKeyCheck': { count: number }
  'cli.copy.table.emailCodeSends': { count: number }
  'cli.copy.table.emailCodes': { count: number }
  'cli.copy.table.enrolmentTokens': { count: number }
  'cli.copy.table.failureCounters': { count: number }
  'cli.copy.table.other': { count: number; table: string | number }
  'cli.copy.table.passwords': { count: number }
  'cli.copy.table.policy': { count: number }
  'cli.copy.table.recoveryCodes': { count: number }
  'cli.copy.table.requestRecipients': { count: number }
  'cli.copy.table.resetRequests': { count: number }
  'cli.copy.table.secondFactors': { count: number }
  'cli.copy.table.securityKeys': { count: number }
  'cli.copy.table.tokens': { count: number }
  'cli.copy.table.users': { count: number }
  'cli.copy.unreachable': { address: string | number }
  'cli.copy.verified': { checks: string | number }
  'cli.field.email': {}
  'cli.field.lastLogin': {}
  'cli.field.name': {}
  'cli.field.password': {}
  'cli.field.phone': {}
  'cli.field.recoveryCodes': {}
  'cli.field.role': {}
  'cli.field.roleOption': {}
  'cli.field.status': {}
  'cli.field.twoFactor': {}
  'cli.field.username': {}
  'cli.fieldProblem': { field: string | number; problem: string | number }
  'cli.help.commands': {}
  'cli.help.globalOptions': {}
  'cli.help.group': { group: string | number }
  'cli.help.oneCommand': {}
  'cli.help.oneOfGroup': { group: string | number }
  'cli.help.options': {}
  'cli.help.seeHelp': {}
  'cli.help.sentence': { text: string | number }
  'cli.help.usage': { usage: string | number }
  'cli.init.details': {}
  'cli.init.done': { username: string | number }
  'cli.init.needs': {}
  'cli.init.option.admin': {}
  'cli.init.option.email': {}
  'cli.init.summary': {}
  'cli.jobList.details': {}
  'cli.jobList.none': {}
  'cli.jobList.summary': {}
  'cli.keyList.none': { username: string | number }
  'cli.keyList.summary': {}
  'cli.keyRemove.done': { name: string | number; username: string | number }
  'cli.keyRemove.noSuchKey': { username: string | number; name: string | number }
  'cli.keyRemove.summary': {}
  'cli.ldapConfigure.details': {}
  'cli.ldapConfigure.done': { urls: string | number }
  'cli.ldapConfigure.noPassword': {}
  'cli.ldapConfigure.option.bindPassword': {}
  'cli.ldapConfigure.option.preset': {}
  'cli.ldapConfigure.summary': {}
  'cli.ldapConfigure.unknownSetting': { key: string | number }
  'cli.ldapConfigure.wrongPreset': { kinds: string | number }
  'cli.ldapShow.passwordNotSet': {}
  'cli.ldapShow.passwordSet': {}
  'cli.ldapShow.summary': {}
  'cli.ldapStatus.kind': { full: 'yes' | (string & {}); dryRun: 'yes' | (string & {}) }
  'cli.ldapStatus.last': { last: string | number; lastFull: string | number }
  'cli.ldapStatus.lastReason': { reason: string | number }
  'cli.ldapStatus.summary': {}
  'cli.ldapStatus.waiting': { count: number; of: number }
  'cli.ldapSync.counts': { seen: number; created: string | number; updated: string | number; renamed: string | number; disabled: string | number; enabled: string | number; roleChanged: string | number; refused: string | number }
  'cli.ldapSync.details': {}
  'cli.ldapSync.done': { dryRun: 'yes' | (string & {}); full: 'yes' | (string & {}); seconds: string | number; counts: string | number }
  'cli.ldapSync.option.confirm': {}
  'cli.ldapSync.option.dryRun': {}
  'cli.ldapSync.option.full': {}
  'cli.ldapSync.refused': { username: string | number; reason: string | number }
  'cli.ldapSync.stopped': { count: number; of: number }
  'cli.ldapSync.summary': {}
  'cli.ldapTest.done': { url: string | number; count: number }
  'cli.ldapTest.doneUnusable': { url: string | number; count: number; unusable: string | number }
  'cli.ldapTest.summary': {}
  'cli.no': {}
  'cli.noUserNamed': { username: string | number }
  'cli.notInitialized': { dir: string | number }
  'cli.notInitializedShared': {}
  'cli.notValid': {}
  'cli.notice': { text: string | number }
  'cli.option.dataDir': {}
  'cli.option.databasePasswordFile': {}
  'cli.option.databaseUrl': {}
  'cli.option.displayName': {}
  'cli.option.help': {}
  'cli.option.json': {}
  'cli.option.jsonOnly': {}
  'cli.option.lang': {}
  'cli.option.out': {}
  'cli.option.passwordStdin': {}
  'cli.policySet.details': {}
  'cli.policySet.done': {}
  'cli.policySet.group': { key: string | number; example: string | number }
  'cli.policySet.option.smtpPassword': {}
  'cli.policySet.smtpNone': {}
  'cli.policySet.summary': {}
  'cli.policySet.unknownKey': { key: string | number }
  'cli.policyShow.summary': {}
  'cli.seatExport.appeared': { file: string | number }
  'cli.seatExport.details': {}
  'cli.seatExport.done': { file: string | number }
  'cli.seatExport.exists': { file: string | number }
  'cli.seatExport.fingerprint': { fingerprint: string | number }
  'cli.seatExport.giveOut': {}
  'cli.seatExport.next': { file: string | number }
  'cli.seatExport.option.organisation': {}
  'cli.seatExport.option.out': {}
  'cli.seatExport.organisationTooLong': { max: number }
  'cli.seatExport.passphrasesDiffer': {}
  'cli.seatExport.summary': {}
  'cli.seatJoin.dataDir': { dir: string | number }
  'cli.seatJoin.details': {}
  'cli.seatJoin.done': { address: string | number; fingerprint: string | number }
  'cli.seatJoin.giveBundle': {}
  'cli.seatJoin.giveDatabase': {}
  'cli.seatJoin.option.caFile': {}
  'cli.seatJoin.option.keyBundle': {}
  'cli.seatJoin.summary': {}
  'cli.seatJoin.unreadable': { file: string | number }
  'cli.seconds': { seconds: number }
  'cli.tokenAssign.done': { serial: string | number; username: string | number }
  'cli.tokenAssign.summary': {}
  'cli.tokenImport.details': {}
  'cli.tokenImport.done': { count: number }
  'cli.tokenImport.option.psk': {}
  'cli.tokenImport.summary': {}
  'cli.tokenList.kind': { kind: string | number; digits: string | number; period: number; sha256: 'yes' | (string & {}) }
  'cli.tokenList.none': {}
  'cli.tokenList.summary': {}
  'cli.tokenLost.done': { serial: string | number }
  'cli.tokenLost.summary': {}
  'cli.tokenUnassign.done': { serial: string | number }
  'cli.tokenUnassign.summary': {}
  'cli.totpConfirm.notStarted': { username: string | number }
  'cli.totpConfirm.summary': {}
  'cli.totpEnroll.alreadyEnrolled': { username: string | number }
  'cli.totpEnroll.codeSent': { email: string | number; username: string | number }
  'cli.totpEnroll.details': {}
  'cli.totpEnroll.option.qr': {}
  'cli.totpEnroll.summary': {}
  'cli.totpVerifyEmail.summary': {}
  'cli.usage.expectedAssignment': { assignment: string | number }
  'cli.usage.giveOut': {}
  'cli.usage.isFolder': { file: string | number }
  'cli.usage.needs': { command: string | number; usage: string | number }
  'cli.usage.needsSubcommand': { group: string | number; commands: string | number }
  'cli.usage.noFolder': { file: string | number; folder: string | number }
  'cli.usage.noSecret': { secret: 'code' | 'passphrase' | 'password' | 'psk' | 'recoveryCode' | 'repeatedPassphrase' | (string & {}); line: string | number }
  'cli.usage.noSuchFile': { file: string | number }
  'cli.usage.notAFile': { file: string | number }
  'cli.usage.optionNeedsValue': { option: string | number }
  'cli.usage.optionTakesNoValue': { option: string | number }
  'cli.usage.passwordStdin': {}
  'cli.usage.takesBoolean': { key: string | number }
  'cli.usage.takesNumber': { key: string | number }
  'cli.usage.tooManyArguments': { command: string | number; max: number; usage: string | number }
  'cli.usage.unexpectedArgument': { argument: string | number }
  'cli.usage.unknownCommand': { command: string | number }
  'cli.usage.unknownOption': { option: string | number }
  'cli.usage.wrongLang': { languages: string | number; asked: string | number }
  'cli.userAdd.done': { role: 'admin' | 'helpdesk' | (string & {}); username: string | number }
  'cli.userAdd.needsEmail': {}
  'cli.userAdd.option.email': {}
  'cli.userAdd.option.phone': {}
  'cli.userAdd.option.role': {}
  'cli.userAdd.summary': {}
  'cli.userDelete.done': { username: string | number }
  'cli.userDelete.needsConfirm': { username: string | number }
  'cli.userDelete.option.confirm': {}
  'cli.userDelete.summary': {}
  'cli.userEdit.details': {}
  'cli.userEdit.done': { fields: string | number; username: string | number }
  'cli.userEdit.field': { field: 'displayName' | 'email' | 'phone' | 'username' | (string & {}) }
  'cli.userEdit.needsOne': {}
  'cli.userEdit.nothing': {}
  'cli.userEdit.option.email': {}
  'cli.userEdit.option.name': {}
  'cli.userEdit.option.phone': {}
  'cli.userEdit.option.username': {}
  'cli.userEdit.summary': {}
  'cli.userExport.done': { count: number; file: string | number }
  'cli.userExport.summary': {}
  'cli.userImport.details': {}
  'cli.userImport.done': { count: number }
  'cli.userImport.nothing': { count: number }
  'cli.userImport.nothingUnlisted': { count: number; unlisted: string | number }
  'cli.userImport.option.dryRun': {}
  'cli.userImport.ready': { count: number }
  'cli.userImport.refusedLine': { line: string | number; reason: string | number }
  'cli.userImport.refusedNamedLine': { line: string | number; username: string | number; reason: string | number }
  'cli.userImport.summary': {}
  'cli.userList.none': {}
  'cli.userList.option.search': {}
  'cli.userList.option.source': {}
  'cli.userList.summary': {}
  'cli.userList.wrongSource': { source: string | number }
  'cli.userReset.done': { username: string | number }
  'cli.userReset.needsReason': {}
  'cli.userReset.option.reason': {}
  'cli.userReset.summary': {}
  'cli.userShow.codesLeft': { count: string | number }
  'cli.userShow.keys': { method: string | number; count: number }
  'cli.userShow.lockedUntil': { status: string | number; until: string | number }
  'cli.userShow.method': { method: string | number; isDefault: 'yes' | (string & {}); setUp: string | number; lastUsed: string | number }
  'cli.userShow.methods': { count: number }
  'cli.userShow.notSetUp': {}
  'cli.userShow.summary': {}
  'cli.userUnlock.done': { username: string | number }
  'cli.userUnlock.summary': {}
  'cli.warning': { text: string | number }
  'cli.yes': {}
  'common.cannotStart': {}
  'common.file.choose': {}
  'common.file.none': {}
  'common.language': {}
  'common.loading': {}
  'common.unreachable.body': {}
  'common.unreachable.retrying': {}
  'common.unreachable.title': {}
  'console.directory.adminGroup': {}
  'console.directory.attribute.displayName': {}
  'console.directory.attribute.email': {}
  'console.directory.attribute.phone': {}
  'console.directory.attribute.stableId': {}
  'console.directory.attribute.username': {}
  'console.directory.attributes': {}
  'console.directory.baseDn': {}
  'console.directory.bindAttempts': {}
  'console.directory.bindAttemptsHint': {}
  'console.directory.bindDn': {}
  'console.directory.caFile': {}
  'console.directory.counts': { seen: number; created: number; updated: number; disabled: number; enabled: number; roleChanged: number; refused: number }
  'console.directory.dryRun': {}
  'console.directory.fullSync': {}
  'console.directory.helpdeskGroup': {}
  'console.directory.intro': { minutes: number }
  'console.directory.kind': {}
  'console.directory.maxDisable': {}
  'console.directory.maxDisableHint': {}
  'console.directory.notSaved': { count: number }
  'console.directory.password': {}
  'console.directory.passwordHelpText': {}
  'console.directory.passwordHelpUrl': {}
  'console.directory.passwordKeep': {}
  'console.directory.passwords': {}
  'console.directory.report.dryRun': { counts: string | number }
  'console.directory.report.synced': { counts: string | number }
  'console.directory.runs.caption': { last: string | number; lastFull: string | number }
  'console.directory.runs.how': {}
  'console.directory.runs.how.changes': {}
  'console.directory.runs.how.changesDryRun': {}
  'console.directory.runs.how.full': {}
  'console.directory.runs.how.fullDryRun': {}
  'console.directory.runs.started': {}
  'console.directory.runs.state': {}
  'console.directory.runs.state.cancelled': {}
  'console.directory.runs.state.done': {}
  'console.directory.runs.state.failed': {}
  'console.directory.runs.state.interrupted': {}
  'console.directory.runs.state.running': {}
  'console.directory.runs.what': {}
  'console.directory.save': {}
  'console.directory.saved': {}
  'console.directory.startTls': {}
  'console.directory.syncChanges': {}
  'console.directory.syncing': {}
  'console.directory.syncs': {}
  'console.directory.test': {}
  'console.directory.tested': { url: string | number; matches: number; first: string | number }
  'console.directory.tested.nobody': {}
  'console.directory.tested.person': { username: string | number; email: string | number }
  'console.directory.tested.personNoEmail': { username: string | number }
  'console.directory.title': {}
  'console.directory.urls': {}
  'console.directory.userFilter': {}
  'console.directory.waiting': { count: number; of: number; confirm: string | number }
  'console.directory.waiting.confirm': {}
  'console.jobNotice.bulk': { action: 'enrolmentLink' | 'reset2fa' | 'unlock' | (string & {}); started: string | number; hasTotal: 'yes' | (string & {}); done: number; total: number; hasNames: 'yes' | (string & {}); names: string | number; more: number }
  'console.jobNotice.importDone': { hasFile: 'yes' | (string & {}); file: string | number; started: string | number; count: number }
  'console.jobNotice.importNothing': { hasFile: 'yes' | (string & {}); file: string | number; started: string | number }
  'console.jobNotice.importRemoved': { hasFile: 'yes' | (string & {}); file: string | number; started: string | number; count: number }
  'console.jobNotice.started': { hasActor: 'yes' | (string & {}); actor: string | number; where: 'cli' | (string & {}); workstation: string | number; time: string | number }
  'console.jobNotice.sync': { started: string | number }
  'console.policy.accessCodeLifetime': {}
  'console.policy.allowedMethods': {}
  'console.policy.anyMethod': {}
  'console.policy.defaultLanguage': {}
  'console.policy.defaultLanguage.system': {}
  'console.policy.defaultLanguageHint': {}
  'console.policy.emailFallback': {}
  'console.policy.idleTimeout': {}
  'console.policy.issuer': {}
  'console.policy.lockout': {}
  'console.policy.lockout.base': {}
  'console.policy.lockout.growth': {}
  'console.policy.lockout.password': {}
  'console.policy.lockout.secondFactor': {}
  'console.policy.lockout.timesLonger': {}
  'console.policy.lockout.workstation': {}
  'console.policy.mandatory': {}
  'console.policy.mandatoryHint': {}
  'console.policy.minutes': {}
  'console.policy.notSaved': { count: number }
  'console.policy.postponements': {}
  'console.policy.postponementsHint': {}
  'console.policy.preview.chance': { percent: string | number; oneIn: number }
  'console.policy.preview.chanceZero': {}
  'console.policy.preview.guesses': { guesses: string | number; chance: string | number }
  'console.policy.preview.invalid': {}
  'console.policy.preview.methodChanges': { count: string | number; n: number }
  'console.policy.preview.sentToSetup': { count: string | number; n: number }
  'console.policy.preview.sentToSetupPostponing': { count: string | number; n: number; postponing: string | number }
  'console.policy.preview.title': {}
  'console.policy.preview.warnNoPostponement': {}
  'console.policy.preview.warnRisky': { guesses: number }
  'console.policy.recoveryCodeCount': {}
  'console.policy.requireUv': {}
  'console.policy.requiredMethod': {}
  'console.policy.save': {}
  'console.policy.saved': {}
  'console.policy.smtp': {}
  'console.policy.smtp.from': {}
  'console.policy.smtp.host': {}
  'console.policy.smtp.on': {}
  'console.policy.smtp.onHint': {}
  'console.policy.smtp.password': {}
  'console.policy.smtp.passwordSaved': {}
  'console.policy.smtp.port': {}
  'console.policy.smtp.security': {}
  'console.policy.smtp.security.none': {}
  'console.policy.smtp.security.starttls': {}
  'console.policy.smtp.security.tls': {}
  'console.policy.smtp.test': {}
  'console.policy.smtp.testSent': { to: string | number }
  'console.policy.smtp.testTo': {}
  'console.policy.smtp.username': {}
  'console.policy.title': {}
  'console.policy.twoFactor': {}
  'console.policy.unsaved': {}
  'console.policy.unsavedWhat': {}
  'console.policy.verifyEmail': {}
  'console.problem.accessCodeLifetimeMinutes': { min: string | number; max: string | number }
  'console.problem.allowedMethods': {}
  'console.problem.baseMinutes': { min: string | number; max: string | number }
  'console.problem.growthFactor': { min: string | number; max: string | number }
  'console.problem.idleTimeoutMinutes': { min: string | number; max: string | number }
  'console.problem.issuer': {}
  'console.problem.issuerColon': {}
  'console.problem.issuerLength': { max: string | number }
  'console.problem.passwordThreshold': { min: string | number; max: string | number }
  'console.problem.postponements': { min: string | number; max: string | number }
  'console.problem.recoveryCodeCount': { min: string | number; max: string | number }
  'console.problem.requiredMethod': {}
  'console.problem.secondFactorThreshold': { min: string | number; max: string | number }
  'console.problem.smtpFrom': {}
  'console.problem.smtpFromLength': { max: string | number }
  'console.problem.smtpHost': {}
  'console.problem.smtpHostLength': { max: string | number }
  'console.problem.smtpPort': { min: string | number; max: string | number }
  'console.problem.workstationThreshold': { min: string | number; max: string | number }
  'console.requests.accountDisabled': {}
  'console.requests.approveReset': {}
  'console.requests.awaitingNotice': { handler: string | number }
  'console.requests.cancel': {}
  'console.requests.check.call-back': {}
  'console.requests.check.in-person': {}
  'console.requests.check.legend': {}
  'console.requests.check.manager': {}
  'console.requests.check.noPhone': { check: string | number }
  'console.requests.check.phone': { check: string | number; phone: string | number }
  'console.requests.chooseMethod': {}
  'console.requests.disabledNotice': {}
  'console.requests.done': {}
  'console.requests.error.check': {}
  'console.requests.error.reason': {}
  'console.requests.giveToken': {}
  'console.requests.handle': {}
  'console.requests.handleLabel': { name: string | number }
  'console.requests.handledAndApprovedBy': { handler: string | number; approver: string | number }
  'console.requests.handledBy': { handler: string | number }
  'console.requests.issueAccessCode': {}
  'console.requests.justNow': {}
  'console.requests.kind.lost-device': {}
  'console.requests.kind.password': {}
  'console.requests.lostMethod': {}
  'console.requests.meta': { ago: string | number; time: string | number; workstation: string | number; recipients: string | number }
  'console.requests.none': {}
  'console.requests.note': {}
  'console.requests.notePlaceholder': {}
  'console.requests.outcome.accessCode': {}
  'console.requests.outcome.awaiting': {}
  'console.requests.outcome.rejected': {}
  'console.requests.outcome.removed': { name: string | number }
  'console.requests.outcome.reset': { name: string | number }
  'console.requests.outcome.temporaryPassword': { name: string | number }
  'console.requests.outcome.token': { token: string | number; name: string | number }
  'console.requests.own': {}
  'console.requests.quote': { message: string | number }
  'console.requests.readOut.code': { name: string | number }
  'console.requests.readOut.temporaryPassword': { name: string | number }
  'console.requests.readOut.until': { time: string | number }
  'console.requests.recipients.everyone': {}
  'console.requests.recipients.more': { names: string | number; count: number }
  'console.requests.reject': {}
  'console.requests.rejectReason': {}
  'console.requests.removeOnly': {}
  'console.requests.reset': {}
  'console.requests.review': {}
  'console.requests.setTemporaryPassword': {}
  'console.requests.showHandled': {}
  'console.requests.showMore': { count: number }
  'console.requests.spareToken': {}
  'console.requests.status.access-code': {}
  'console.requests.status.awaiting-approval': {}
  'console.requests.status.open': {}
  'console.requests.status.passwordSet': {}
  'console.requests.status.rejected': {}
  'console.requests.status.reset': {}
  'console.requests.then': {}
  'console.requests.title': {}
  'console.requests.who': { username: string | number; role: string | number }
  'console.separator': {}
  'console.tokens.column.holder': {}
  'console.tokens.column.lastUsed': {}
  'console.tokens.column.serial': {}
  'console.tokens.column.state': {}
  'console.tokens.column.type': {}
  'console.tokens.holder': { name: string | number; username: string | number }
  'console.tokens.import.file': {}
  'console.tokens.import.intro': {}
  'console.tokens.import.psk': {}
  'console.tokens.import.pskHint': {}
  'console.tokens.import.submit': {}
  'console.tokens.import.title': {}
  'console.tokens.imported': { count: number }
  'console.tokens.kind.hotp': { algorithm: 'sha256' | (string & {}); digits: string | number }
  'console.tokens.kind.totp': { algorithm: 'sha256' | (string & {}); period: string | number; digits: string | number }
  'console.tokens.none': {}
  'console.tokens.noneImport': {}
  'console.tokens.search': {}
  'console.tokens.shown': { count: number }
  'console.tokens.state': {}
  'console.tokens.state.all': {}
  'console.tokens.state.assigned': {}
  'console.tokens.state.available': {}
  'console.tokens.state.lost': {}
  'console.tokens.title': {}
  'errors.ACCOUNT_DISABLED': {}
  'errors.ACCOUNT_LOCKED': {}
  'errors.ALREADY_ENROLLED': {}
  'errors.ALREADY_INITIALIZED': {}
  'errors.ALREADY_SET_UP': {}
  'errors.APP_NAME_TAKEN': {}
  'errors.CANCELLED': {}
  'errors.CODE_ALREADY_USED': {}
  'errors.CODE_EXPIRED': {}
  'errors.CONFIRM_IT_IS_YOU': {}
  'errors.DATABASE_NOT_EMPTY': {}
  'errors.DATABASE_REFUSED': {}
  'errors.DATABASE_TOO_NEW': {}
  'errors.DATABASE_UNAVAILABLE': {}
  'errors.DIRECTORY_NOT_CONFIGURED': {}
  'errors.DIRECTORY_REFUSED': {}
  'errors.DIRECTORY_UNAVAILABLE': {}
  'errors.DIRECTORY_UNTRUSTED': {}
  'errors.EMAIL_TAKEN': {}
  'errors.ENROLMENT_NOT_STARTED': {}
  'errors.ENROLMENT_STEP': {}
  'errors.FORBIDDEN': {}
  'errors.FORBIDDEN_SENDER': {}
  'errors.INTERNAL': {}
  'errors.INVALID_CODE': {}
  'errors.INVALID_CREDENTIALS': {}
  'errors.INVALID_INPUT': {}
  'errors.INVALID_TOKEN': {}
  'errors.JOB_RUNNING': {}
  'errors.KEY_BUNDLE_DAMAGED': {}
  'errors.KEY_BUNDLE_INVALID': {}
  'errors.KEY_BUNDLE_VERSION': {}
  'errors.KEY_MISMATCH': {}
  'errors.KEY_UNAVAILABLE': {}
  'errors.LAST_ADMIN': {}
  'errors.LAST_KEY': {}
  'errors.LAST_METHOD': {}
  'errors.LAST_REQUIRED_METHOD': {}
  'errors.LOGIN_BLOCKED': {}
  'errors.MAIL_FAILED': {}
  'errors.METHOD_HELD': {}
  'errors.METHOD_NOT_ALLOWED': {}
  'errors.NOT_AUTHENTICATED': {}
  'errors.NOT_ENROLLED': {}
  'errors.NOT_FOUND': {}
  'errors.NOT_INITIALIZED': {}
  'errors.NOT_LOCKED': {}
  'errors.NO_CODE_SENT': {}
  'errors.NO_POSTPONEMENTS_LEFT': {}
  'errors.OWN_ACCOUNT': {}
  'errors.OWN_TWO_FACTOR_REQUIRED': {}
  'errors.PASSWORD_EXPIRED': {}
  'errors.REQUEST_ALREADY_OPEN': {}
  'errors.REQUEST_CLOSED': {}
  'errors.RESEND_TOO_SOON': {}
  'errors.RESET_BLOCKED': {}
  'errors.ROLE_NOT_ALLOWED': {}
  'errors.SEAT_CONFIG_INVALID': {}
  'errors.SEAT_HAS_OTHER_KEY': {}
  'errors.SECOND_APPROVAL_REQUIRED': {}
  'errors.SMTP_NOT_CONFIGURED': {}
  'errors.TOKEN_FROM_HELP_DESK': {}
  'errors.TOKEN_RESYNC': {}
  'errors.TOO_MANY_CODES': {}
  'errors.TWO_FACTOR_REQUIRED': {}
  'errors.UNAVAILABLE': {}
  'errors.UNKNOWN_CHANNEL': {}
  'errors.USERNAME_TAKEN': {}
  'errors.WEAK_PASSPHRASE': {}
  'errors.WEAK_PASSWORD': {}
  'errors.WORKSTATION_LOCKED': {}
  'errors.WRONG_PASSPHRASE': {}
  'labels.heldMethodNamed': { method: string | number; name: string | number }
  'labels.method.email': {}
  'labels.method.token': {}
  'labels.method.totp': {}
  'labels.method.webauthn': {}
  'labels.role.admin': {}
  'labels.role.helpdesk': {}
  'labels.role.user': {}
  'labels.status.disabled': {}
  'labels.status.enrolled': {}
  'labels.status.locked': {}
  'labels.status.must-enrol': {}
  'labels.status.not-enrolled': {}
  'labels.status.postponed': {}
  'labels.status.reset-requested': {}
  'labels.statusMeaning.disabled': {}
  'labels.statusMeaning.enrolled': {}
  'labels.statusMeaning.locked': {}
  'labels.statusMeaning.must-enrol': {}
  'labels.statusMeaning.not-enrolled': {}
  'labels.statusMeaning.postponed': {}
  'labels.statusMeaning.reset-requested': {}
  'mail.code.body': { issuer: string | number }
  'mail.code.lifetime': {}
  'mail.code.subject.reset': { issuer: string | number }
  'mail.code.subject.verify': { issuer: string | number }
  'mail.directoryPassword.askIt': {}
  'mail.directoryPassword.body': { workstation: string | number }
  'mail.directoryPassword.ignore': {}
  'mail.directoryPassword.subject': { issuer: string | number }
  'mail.greeting': { name: string | number }
  'mail.link.body': { issuer: string | number }
  'mail.link.code': {}
  'mail.link.lifetime': { until: string | number }
  'mail.link.subject': { issuer: string | number }
  'mail.staff.body.device': { name: string | number; username: string | number }
  'mail.staff.body.password': { name: string | number; username: string | number }
  'mail.staff.subject.device': { issuer: string | number; name: string | number }
  'mail.staff.subject.password': { issuer: string | number; name: string | number }
  'mail.staff.verify': { id: string | number }
  'mail.test.body': {}
  'mail.test.subject': { issuer: string | number }
  'menu.about': {}
  'menu.aboutDetail': {}
  'menu.actualSize': {}
  'menu.copy': {}
  'menu.cut': {}
  'menu.dataFolder': { path: string | number }
  'menu.edit': {}
  'menu.file': {}
  'menu.fullScreen': {}
  'menu.help': {}
  'menu.hide': {}
  'menu.hideOthers': {}
  'menu.paste': {}
  'menu.quit': {}
  'menu.redo': {}
  'menu.selectAll': {}
  'menu.showDataFolder': {}
  'menu.undo': {}
  'menu.version': { version: string | number }
  'menu.view': {}
  'menu.zoomIn': {}
  'menu.zoomOut': {}
  'secondStep.accessCode.hint': {}
  'secondStep.accessCode.label': {}
  'secondStep.accessCode.title': {}
  'secondStep.cancel': {}
  'secondStep.checking': {}
  'secondStep.code.title': {}
  'secondStep.countdown.left': { left: string | number }
  'secondStep.countdown.period': {}
  'secondStep.email.label': {}
  'secondStep.email.title': {}
  'secondStep.emailSent': { email: string | number }
  'secondStep.key.instructions': {}
  'secondStep.key.title': {}
  'secondStep.key.touch': {}
  'secondStep.key.use': {}
  'secondStep.keyProblem.notUsed': {}
  'secondStep.keyProblem.registered': {}
  'secondStep.keys.add': {}
  'secondStep.keys.added': { name: string | number }
  'secondStep.keys.newName': {}
  'secondStep.keys.newNameHint': {}
  'secondStep.keys.remove': {}
  'secondStep.keys.removeLabel': { name: string | number }
  'secondStep.keys.removed': { name: string | number }
  'secondStep.keys.title': {}
  'secondStep.keys.unusedItem': { name: string | number; added: string | number }
  'secondStep.keys.usedItem': { name: string | number; added: string | number; used: string | number }
  'secondStep.locked.attempts': { time: string | number }
  'secondStep.locked.codes': { time: string | number }
  'secondStep.lost.back': {}
  'secondStep.lost.chooseOne': {}
  'secondStep.lost.lead': {}
  'secondStep.lost.loading': {}
  'secondStep.lost.logout': {}
  'secondStep.lost.message': {}
  'secondStep.lost.messageExample': {}
  'secondStep.lost.nobody': {}
  'secondStep.lost.recipients': {}
  'secondStep.lost.sendAll': {}
  'secondStep.lost.sendSelected': {}
  'secondStep.lost.sent.nameSeparator': {}
  'secondStep.lost.sent.next': {}
  'secondStep.lost.sent.title': {}
  'secondStep.lost.sent.to': { names: string | number }
  'secondStep.lost.sent.toAll': {}
  'secondStep.lost.title': {}
  'secondStep.others.accessCode': {}
  'secondStep.others.another': {}
  'secondStep.others.app': {}
  'secondStep.others.email': {}
  'secondStep.others.label': {}
  'secondStep.others.logout': {}
  'secondStep.others.lostDevice': {}
  'secondStep.others.lostKey': {}
  'secondStep.others.lostToken': {}
  'secondStep.others.recovery': {}
  'secondStep.others.sendNew': {}
  'secondStep.others.token': {}
  'secondStep.recovery.hint': {}
  'secondStep.recovery.label': {}
  'secondStep.recovery.title': {}
  'secondStep.recoveryLow': { count: number }
  'secondStep.register.cancel': {}
  'secondStep.register.lead': {}
  'secondStep.register.name': {}
  'secondStep.register.nameHint': {}
  'secondStep.register.submit': {}
  'secondStep.register.title': {}
  'secondStep.removeKey.password': {}
  'secondStep.removeKey.passwordHint': {}
  'secondStep.removeKey.submit': { name: string | number }
  'secondStep.replace.continue': {}
  'secondStep.replace.currentCode': {}
  'secondStep.replace.currentCodeHint': {}
  'secondStep.replace.done': {}
  'secondStep.replace.newCode': {}
  'secondStep.replace.newCodeHint': {}
  'secondStep.replace.prove': { current: string | number }
  'secondStep.replace.prove.current': {}
  'secondStep.replace.region': {}
  'secondStep.replace.scan': { new: string | number }
  'secondStep.replace.scan.new': {}
  'secondStep.replace.submit': {}
  'secondStep.signedInAs': { name: string | number; time: string | number }
  'secondStep.token.hint': {}
  'secondStep.token.label': {}
  'secondStep.totp.label': {}
  'secondStep.verify': {}
  'setup.added.body': {}
  'setup.added.bodyNamed': { name: string | number }
  'setup.added.done': {}
  'setup.added.title': { method: string | number }
  'setup.app.code.title': {}
  'setup.app.codeLabel': {}
  'setup.app.install.body': { apps: string | number }
  'setup.app.install.title': {}
  'setup.app.scan.body': {}
  'setup.app.scan.title': {}
  'setup.app.title': {}
  'setup.choose.continue': {}
  'setup.choose.hint.email': {}
  'setup.choose.hint.totp': {}
  'setup.choose.hint.webauthn': {}
  'setup.choose.legend': {}
  'setup.choose.nameHint': {}
  'setup.choose.nameLabel': {}
  'setup.choose.title': {}
  'setup.choose.titleAdd': {}
  'setup.codes.complete': {}
  'setup.codes.title': {}
  'setup.confirm.cancel': {}
  'setup.confirm.code': {}
  'setup.confirm.confirm': {}
  'setup.confirm.orWith': {}
  'setup.confirm.recoveryCode': {}
  'setup.confirm.sendCode': {}
  'setup.confirm.sent': { email: string | number }
  'setup.confirm.titleAdd': {}
  'setup.confirm.titleRemove': { method: string | number }
  'setup.confirm.touchKey': {}
  'setup.confirm.use.email': {}
  'setup.confirm.use.recovery': {}
  'setup.confirm.use.token': {}
  'setup.confirm.use.totp': {}
  'setup.confirm.useKey': {}
  'setup.confirm.with': {}
  'setup.email.codeHint': {}
  'setup.email.codeLabel': {}
  'setup.email.codeTitle': {}
  'setup.email.resend': {}
  'setup.email.sent': { email: string | number }
  'setup.email.verifyTitle': {}
  'setup.held.dates': { activated: string | number; lastUsed: string | number }
  'setup.held.datesUnused': { activated: string | number }
  'setup.held.default': {}
  'setup.methods.add': {}
  'setup.methods.askFirst': {}
  'setup.methods.askFirstDone': { method: string | number }
  'setup.methods.askFirstLabel': { method: string | number }
  'setup.methods.cancel': {}
  'setup.methods.newName': {}
  'setup.methods.remove': {}
  'setup.methods.removeLabel': { method: string | number }
  'setup.methods.removed': { method: string | number }
  'setup.methods.rename': {}
  'setup.methods.renameLabel': { method: string | number }
  'setup.methods.renamed': { name: string | number }
  'setup.methods.title': {}
  'setup.recovery.copied': {}
  'setup.recovery.copy': {}
  'setup.recovery.copyFailed': {}
  'setup.recovery.download': {}
  'setup.recovery.downloaded': {}
  'setup.recovery.file.account': { account: string | number }
  'setup.recovery.file.created': { date: string | number }
  'setup.recovery.file.keep': {}
  'setup.recovery.file.once': {}
  'setup.recovery.file.title': { issuer: string | number }
  'setup.recovery.lead': {}
  'setup.recovery.listLabel': {}
  'setup.recovery.print': {}
  'setup.recovery.printTitle': { issuer: string | number; account: string | number }
  'setup.recovery.saved': {}
  'setup.required.atHand.email': {}
  'setup.required.atHand.totp': {}
  'setup.required.atHand.webauthn': {}
  'setup.required.greeting': { name: string | number; reason: string | number }
  'setup.required.logOut': {}
  'setup.required.need.one': { a: string | number }
  'setup.required.need.three': { a: string | number; b: string | number; c: string | number }
  'setup.required.need.two': { a: string | number; b: string | number }
  'setup.required.noPostponeLeft': {}
  'setup.required.only.email': { need: string | number }
  'setup.required.only.token': {}
  'setup.required.only.totp': { need: string | number }
  'setup.required.only.webauthn': { need: string | number }
  'setup.required.postpone': { left: string | number }
  'setup.required.reason.chosen': {}
  'setup.required.reason.method-required': {}
  'setup.required.reason.policy': {}
  'setup.required.reason.reset': {}
  'setup.required.reason.staff': {}
  'setup.required.reason.token': {}
  'setup.required.start': {}
  'setup.required.title': {}
  'setup.required.titleFor.email': {}
  'setup.required.titleFor.token': {}
  'setup.required.titleFor.totp': {}
  'setup.required.titleFor.webauthn': {}
  'setup.required.tokenAtHand': { serial: string | number }
  'setup.scanQr.account': {}
  'setup.scanQr.alt': { issuer: string | number; account: string | number }
  'setup.scanQr.copied': {}
  'setup.scanQr.copyKey': {}
  'setup.scanQr.enterKey': {}
  'setup.scanQr.key': {}
  'setup.scanQr.keyLabel': { key: string | number }
  'setup.scanQr.keyType': {}
  'setup.scanQr.timeBased': {}
  'setup.scanQr.unable': {}
  'setup.token.body': { digits: string | number }
  'setup.token.codeLabel': { digits: string | number }
  'setup.token.lead': { serial: string | number }
  'setup.token.title': {}
  'setup.wizard.cancel': {}
  'signInRefusals.accessCodeJustUsed': {}
  'signInRefusals.accessCodeNotNeeded': {}
  'signInRefusals.allowTokensFirst': {}
  'signInRefusals.anotherMethodRequired': {}
  'signInRefusals.appCodeWrongCheckTime': {}
  'signInRefusals.appRemovedMeanwhile': {}
  'signInRefusals.codeAlreadyUsedToken': {}
  'signInRefusals.codeWornOut': {}
  'signInRefusals.directoryAccountDisabled': {}
  'signInRefusals.directoryAccountExpired': {}
  'signInRefusals.directoryAccountRestricted': {}
  'signInRefusals.directoryPasswordExpired': { help: string | number }
  'signInRefusals.directoryPasswordHere': { help: string | number }
  'signInRefusals.directoryPasswordMustChange': { help: string | number }
  'signInRefusals.directoryUnreachable': {}
  'signInRefusals.methodGone': {}
  'signInRefusals.nameThisApp': {}
  'signInRefusals.newPhoneCodeWrong': {}
  'signInRefusals.noSecurityKey': {}
  'signInRefusals.noSecurityKeysHeld': {}
  'signInRefusals.noSuchSecurityKey': {}
  'signInRefusals.noTemporaryPassword': {}
  'signInRefusals.noTokenWithSerial': { serial: string | number }
  'signInRefusals.notTheTemporaryPassword': {}
  'signInRefusals.nothingImported': { reason: string | number }
  'signInRefusals.nothingToReset': {}
  'signInRefusals.onlyAppHasName': {}
  'signInRefusals.onlyAppMoves': {}
  'signInRefusals.passwordIncorrect': {}
  'signInRefusals.recoveryCodeJustUsed': {}
  'signInRefusals.securityKeyNameTaken': { name: string | number }
  'signInRefusals.securityKeyNotAccepted': {}
  'signInRefusals.securityKeyNotRegistered': {}
  'signInRefusals.securityKeyNotRegisteredBecause': { reason: string | number }
  'signInRefusals.securityKeyPromptExpired': {}
  'signInRefusals.securityKeysHeld': {}
  'signInRefusals.securityKeysUnavailable': {}
  'signInRefusals.serialAlreadyImported': { serial: string | number }
  'signInRefusals.serialTwiceInFile': { serial: string | number }
  'signInRefusals.theirOnlyMethod': {}
  'signInRefusals.tokenAlreadyHeld': {}
  'signInRefusals.tokenAlreadyLost': { serial: string | number }
  'signInRefusals.tokenAssignedElsewhere': { serial: string | number }
  'signInRefusals.tokenMarkedLost': { serial: string | number }
  'signInRefusals.tokenNotAssigned': { serial: string | number }
  'signInRefusals.useSecurityKey': {}
  'signInRefusals.userHoldsToken': { name: string | number; serial: string | number }
  'signInRefusals.yourOnlyMethod': {}
  'signedOut.backToLogin': {}
  'signedOut.continue': {}
  'signedOut.field.confirmNewPassword': {}
  'signedOut.field.identifier': {}
  'signedOut.field.newPassword': {}
  'signedOut.field.password': {}
  'signedOut.firstRun.confirm': {}
  'signedOut.firstRun.create': {}
  'signedOut.firstRun.creating': {}
  'signedOut.firstRun.displayName': {}
  'signedOut.firstRun.email': {}
  'signedOut.firstRun.join': {}
  'signedOut.firstRun.joinQuestion': {}
  'signedOut.firstRun.lead': {}
  'signedOut.firstRun.title': {}
  'signedOut.firstRun.username': {}
  'signedOut.forgot.changed': {}
  'signedOut.forgot.directory.body': { how: string | number }
  'signedOut.forgot.directory.fallback': {}
  'signedOut.forgot.directory.question': {}
  'signedOut.forgot.email.code': {}
  'signedOut.forgot.email.lead': { identifier: string | number }
  'signedOut.forgot.email.submit': {}
  'signedOut.forgot.email.title': {}
  'signedOut.forgot.helpdesk.body': { identifier: string | number }
  'signedOut.forgot.helpdesk.title': {}
  'signedOut.forgot.lead': {}
  'signedOut.forgot.title': {}
  'signedOut.join.bundle': {}
  'signedOut.join.bundle.hint': { command: string | number }
  'signedOut.join.bundleFile': {}
  'signedOut.join.bundleText': {}
  'signedOut.join.caFile': {}
  'signedOut.join.caFile.hint': { example: string | number }
  'signedOut.join.checking': {}
  'signedOut.join.databaseUrl': {}
  'signedOut.join.databaseUrl.hint': { example: string | number }
  'signedOut.join.instead': {}
  'signedOut.join.joined': { address: string | number }
  'signedOut.join.lead': {}
  'signedOut.join.passphrase': {}
  'signedOut.join.passphrase.hint': {}
  'signedOut.join.password': {}
  'signedOut.join.password.hint': {}
  'signedOut.join.pending': {}
  'signedOut.join.submit': {}
  'signedOut.join.title': {}
  'signedOut.join.tooLarge': { file: string | number }
  'signedOut.login.checking': {}
  'signedOut.login.forgot': {}
  'signedOut.login.lockedUntil': { message: string | number; time: string | number }
  'signedOut.login.registration': {}
  'signedOut.login.submit': {}
  'signedOut.login.title': {}
  'signedOut.newPassword.lead': { name: string | number }
  'signedOut.newPassword.logout': {}
  'signedOut.newPassword.save': {}
  'signedOut.newPassword.title': {}
  'signedOut.password.atLeast': { min: number }
  'signedOut.password.atLeastPassphrase': { min: number }
  'signedOut.password.mismatch': {}
  'signedOut.registration.lead': {}
  'signedOut.registration.leadHasPassword': {}
  'signedOut.registration.leadNewPassword': {}
  'signedOut.registration.title': {}
  'signedOut.registration.token': {}
  'signedOut.registration.welcome': { name: string | number }
  'staffRefusals.actionDoesNotFitRequest': {}
  'staffRefusals.adminResetNeedsApproval': {}
  'staffRefusals.alreadyJoining': {}
  'staffRefusals.bundleChanged': {}
  'staffRefusals.bundleDamaged': { why: 'checksum' | 'fingerprint' | 'incomplete' | 'scrypt' | (string & {}); detail: string | number }
  'staffRefusals.bundleDetailsInvalid': { problem: string | number }
  'staffRefusals.bundleOfAnotherOrganisation': { address: string | number }
  'staffRefusals.bundleVersion': { version: string | number }
  'staffRefusals.caFileUnreadable': { file: string | number }
  'staffRefusals.chooseRecipients': {}
  'staffRefusals.dataDirNotFolder': { dataDir: string | number }
  'staffRefusals.dataDirReadable': { dataDir: string | number; mode: string | number }
  'staffRefusals.databaseAtStart': { problem: string | number }
  'staffRefusals.databaseCertificateRefused': { host: string | number; code: string | number }
  'staffRefusals.databaseInUse': {}
  'staffRefusals.databaseNotEmpty': { tables: string | number }
  'staffRefusals.databasePasswordOneLine': {}
  'staffRefusals.databasePasswordRefused': { host: string | number; user: string | number }
  'staffRefusals.databasePasswordRefusedNoUser': { host: string | number }
  'staffRefusals.databaseRefused': { host: string | number; reason: string | number }
  'staffRefusals.databaseTooNew': { current: string | number; latest: string | number }
  'staffRefusals.databaseUnreachable': { address: string | number }
  'staffRefusals.databaseUserNotAllowed': { host: string | number; reason: string | number }
  'staffRefusals.databaseWithoutTls': { host: string | number }
  'staffRefusals.differentAdminMustApprove': {}
  'staffRefusals.directoryCertificateUntrusted': { url: string | number; why: 'expired' | 'notYetValid' | 'otherName' | 'revoked' | 'selfSigned' | (string & {}) }
  'staffRefusals.directoryConnectionFailed': { url: string | number }
  'staffRefusals.directoryNoAnswer': { url: string | number }
  'staffRefusals.directoryNoBaseDn': { url: string | number }
  'staffRefusals.directoryRefusedRequest': { url: string | number; reason: string | number }
  'staffRefusals.directoryRefusedServiceAccount': { url: string | number }
  'staffRefusals.directoryUnreachable': { url: string | number; code: string | number }
  'staffRefusals.directoryUnusable': { url: string | number; reason: string | number }
  'staffRefusals.exportCancelled': {}
  'staffRefusals.exportsUnavailable': {}
  'staffRefusals.fillInSmtpServer': {}
  'staffRefusals.fullSyncNoInvocationId': { url: string | number; unknown: string | number }
  'staffRefusals.fullSyncNoWatermark': {}
  'staffRefusals.fullSyncOtherDatabase': { url: string | number; then: string | number; now: string | number }
  'staffRefusals.helpDeskActsOnUsersOnly': {}
  'staffRefusals.helpDeskCreatesUsersOnly': {}
  'staffRefusals.jobFailed': {}
  'staffRefusals.jobKeepsStarting': {}
  'staffRefusals.jobKindRunning': { kind: 'auditExport' | 'auditVerify' | 'directorySync' | 'usersBulk' | 'usersExport' | 'usersImport' | (string & {}) }
  'staffRefusals.joinKeyFileDamaged': { path: string | number }
  'staffRefusals.keyFileDamaged': { path: string | number }
  'staffRefusals.mailNotSent': { reason: string | number }
  'staffRefusals.noAdminWithTwoFactor': {}
  'staffRefusals.noDatabaseNamed': { host: string | number }
  'staffRefusals.noDirectoryServer': {}
  'staffRefusals.noOrganisationInDatabase': { address: string | number }
  'staffRefusals.noPhoneToCallBack': { name: string | number }
  'staffRefusals.noSecondFactorToReset': {}
  'staffRefusals.noSuchDatabase': { database: string | number; host: string | number }
  'staffRefusals.noSuchJob': {}
  'staffRefusals.noSuchRequest': {}
  'staffRefusals.noSuchUser': {}
  'staffRefusals.notDatabaseAddress': { from: string | number }
  'staffRefusals.notFirstStart': { why: 'seat' | 'users' | (string & {}) }
  'staffRefusals.notPostgresAddress': { from: string | number }
  'staffRefusals.ownRequest': {}
  'staffRefusals.passphraseTooLong': { max: string | number }
  'staffRefusals.passphraseTooShort': { min: string | number; chars: string | number }
  'staffRefusals.passwordFileUnreadable': { file: string | number }
  'staffRefusals.passwordInAddress': { from: string | number }
  'staffRefusals.passwordTooShort': { min: number }
  'staffRefusals.profileFromDirectory': {}
  'staffRefusals.recordedJobRunning': { kind: 'directorySync' | 'usersBulk' | 'usersImport' | (string & {}); workstation: string | number; started: string | number }
  'staffRefusals.recordedJobRunningBy': { kind: 'directorySync' | 'usersBulk' | 'usersImport' | (string & {}); actor: string | number; workstation: string | number; started: string | number }
  'staffRefusals.requesterDisabled': { name: string | number }
  'staffRefusals.resetCodeRefused': {}
  'staffRefusals.roleNotOwner': {}
  'staffRefusals.seatFieldProblem': { field: 'caFile' | 'databaseUrl' | 'password' | 'passwordFile' | (string & {}); problem: string | number }
  'staffRefusals.seatFileMissing': { field: 'caFile' | 'passwordFile' | (string & {}); path: string | number }
  'staffRefusals.seatHasKeychainKey': { file: string | number }
  'staffRefusals.seatHasNoDataKey': {}
  'staffRefusals.seatSettingsDamaged': { path: string | number; why: 'notJson' | 'unreadable' | (string & {}); detail: string | number }
  'staffRefusals.secretOtherKey': {}
  'staffRefusals.secretUnknownFormat': {}
  'staffRefusals.syncEmailTaken': {}
  'staffRefusals.syncNoAttribute': { attribute: string | number }
  'staffRefusals.syncNoEmail': {}
  'staffRefusals.syncUsernameLocal': {}
  'staffRefusals.syncUsernameOtherDirectory': {}
  'staffRefusals.typeUsernameToConfirm': { username: string | number }
  'users.add': {}
  'users.add.create': {}
  'users.add.created': {}
  'users.add.createdUntil': { date: string | number }
  'users.add.passwordHint': {}
  'users.add.phoneHint': {}
  'users.add.title': {}
  'users.badge.enrolledWith': { status: string | number; method: string | number }
  'users.badge.lockedUntil': { status: string | number; time: string | number }
  'users.badge.method.email': {}
  'users.badge.method.token': {}
  'users.badge.method.totp': {}
  'users.badge.method.webauthn': {}
  'users.badge.postponed': { status: string | number; used: string | number; allowed: string | number }
  'users.bulk.actOn': {}
  'users.bulk.action': {}
  'users.bulk.apply': {}
  'users.bulk.cancelled': {}
  'users.bulk.confirm': {}
  'users.bulk.done': { action: string | number; done: number }
  'users.bulk.doneSkipped': { action: string | number; done: number; skipped: number }
  'users.bulk.enrolment-link.ask': { count: number }
  'users.bulk.enrolment-link.label': {}
  'users.bulk.enrolment-link.yes': {}
  'users.bulk.group': {}
  'users.bulk.matching': { count: number }
  'users.bulk.reason': {}
  'users.bulk.reasonPlaceholder': {}
  'users.bulk.reset-2fa.ask': { count: number }
  'users.bulk.reset-2fa.label': {}
  'users.bulk.reset-2fa.yes': {}
  'users.bulk.selected': { count: number }
  'users.bulk.skippedMore': { count: number }
  'users.bulk.skippedRow': { username: string | number; reason: string | number }
  'users.bulk.unlock.ask': { count: number }
  'users.bulk.unlock.label': {}
  'users.bulk.unlock.yes': {}
  'users.cancel': {}
  'users.close': {}
  'users.counts.afterTotal': {}
  'users.counts.between': {}
  'users.counts.status': { count: number; status: string | number }
  'users.counts.total': { count: number }
  'users.delete.before': {}
  'users.delete.button': {}
  'users.delete.confirm': { username: string | number }
  'users.delete.form': { name: string | number }
  'users.delete.keeps': { username: string | number }
  'users.delete.removes': {}
  'users.delete.token': { serial: string | number }
  'users.detail.accessCode': {}
  'users.detail.actions': {}
  'users.detail.codesLeft': { count: string | number }
  'users.detail.comesFrom': {}
  'users.detail.created': {}
  'users.detail.deleteAccount': {}
  'users.detail.disable': {}
  'users.detail.disabled': {}
  'users.detail.editProfile': {}
  'users.detail.enable': {}
  'users.detail.enabled': {}
  'users.detail.factor': {}
  'users.detail.factor.password': {}
  'users.detail.factor.reset': {}
  'users.detail.factor.second-factor': {}
  'users.detail.factor.token': {}
  'users.detail.factorMany': { count: number }
  'users.detail.factorNone': {}
  'users.detail.factorSince': { method: string | number; date: string | number }
  'users.detail.failedAttempts': {}
  'users.detail.failures': {}
  'users.detail.fromDirectory': {}
  'users.detail.fromTessera': {}
  'users.detail.issueCode': {}
  'users.detail.lastLogin': {}
  'users.detail.linkEmailed': {}
  'users.detail.linkOutbox': {}
  'users.detail.lockedUntil': {}
  'users.detail.noEvents': {}
  'users.detail.noFailures': {}
  'users.detail.noPhone': {}
  'users.detail.ownAccount': {}
  'users.detail.recentEvents': {}
  'users.detail.recoveryCodes': {}
  'users.detail.reset.button': {}
  'users.detail.reset.done': {}
  'users.detail.reset.form': {}
  'users.detail.reset.proposed': {}
  'users.detail.reset.reason': {}
  'users.detail.roleChanged': {}
  'users.detail.secondFactor': {}
  'users.detail.secret': { what: string | number }
  'users.detail.secretUntil': { date: string | number }
  'users.detail.sendLink': {}
  'users.detail.setTemporary': {}
  'users.detail.status': {}
  'users.detail.temporaryPassword': {}
  'users.detail.thisAccount': {}
  'users.detail.unlock': {}
  'users.detail.unlocked': {}
  'users.detail.user': {}
  'users.detail.where': {}
  'users.detail.workstation': { name: string | number }
  'users.exportCsv': {}
  'users.field.email': {}
  'users.field.fullName': {}
  'users.field.name': {}
  'users.field.phone': {}
  'users.field.phoneOptional': {}
  'users.field.role': {}
  'users.field.username': {}
  'users.filter.allRoles': {}
  'users.filter.allSources': {}
  'users.filter.allStatuses': {}
  'users.filter.fromDirectory': { count: number }
  'users.filter.localOnly': { count: number }
  'users.filter.role': {}
  'users.filter.search': {}
  'users.filter.searchPlaceholder': {}
  'users.filter.source': {}
  'users.filter.status': {}
  'users.grid.codes': {}
  'users.grid.codesSpoken': {}
  'users.grid.email': {}
  'users.grid.lastLogin': {}
  'users.grid.noMatch': {}
  'users.grid.open': { name: string | number }
  'users.grid.scrollHelp': {}
  'users.grid.select': { name: string | number }
  'users.grid.selectedColumn': {}
  'users.grid.status': {}
  'users.grid.username': {}
  'users.import.cancelled': {}
  'users.import.checking': {}
  'users.import.confirm': { count: number }
  'users.import.failed': {}
  'users.import.file': {}
  'users.import.imported': { count: number }
  'users.import.importing': {}
  'users.import.intro.after': {}
  'users.import.intro.columns': {}
  'users.import.intro.optional': {}
  'users.import.intro.roles': {}
  'users.import.line': {}
  'users.import.reading': {}
  'users.import.ready': { count: number }
  'users.import.refused': { count: number }
  'users.import.refusedMore': { count: number }
  'users.import.template': {}
  'users.import.title': {}
  'users.import.unreadable': {}
  'users.import.why': {}
  'users.importCsv': {}
  'users.importRefusal.alreadyImported': { time: string | number; hasActor: 'yes' | (string & {}); actor: string | number; created: number }
  'users.importRefusal.alsoOnLine': { what: 'username' | (string & {}); line: string | number }
  'users.importRefusal.empty': {}
  'users.importRefusal.field': { field: 'displayName' | 'email' | 'role' | 'username' | (string & {}); problem: string | number }
  'users.importRefusal.header': { columns: string | number; missing: string | number }
  'users.importRefusal.helpDeskUsersOnly': {}
  'users.importRefusal.inUse': { what: 'username' | (string & {}) }
  'users.importRefusal.noUsers': {}
  'users.importRefusal.notCsv': { reason: string | number }
  'users.importRefusal.rowTooLong': { max: number }
  'users.importRefusal.tooMany': { max: number }
  'users.keys.remove': { name: string | number }
  'users.keys.removed': { name: string | number }
  'users.keys.title': {}
  'users.keys.unused': { added: string | number }
  'users.keys.used': { added: string | number; used: string | number }
  'users.methods.remove': { method: string | number }
  'users.methods.removeAsk': { method: string | number }
  'users.methods.removeIt': {}
  'users.methods.removeWarning': {}
  'users.methods.removed': { method: string | number }
  'users.methods.title': {}
  'users.profile.form': { name: string | number }
  'users.profile.fromDirectory': {}
  'users.profile.managed': {}
  'users.profile.phoneHint': {}
  'users.profile.save': {}
  'users.profile.saved': {}
  'users.profile.unchanged': {}
  'users.profile.usernameHint': {}
  'users.remove': {}
  'users.title': {}
  'users.token.assign': {}
  'users.token.assigned': { serial: string | number; name: string | number }
  'users.token.before': {}
  'users.token.form': {}
  'users.token.inUse': {}
  'users.token.markLost': {}
  'users.token.markedLost': {}
  'users.token.serial': {}
  'users.token.serialHint': {}
  'users.token.takenBack': {}
  'users.token.unassign': {}
  'users.token.waiting': {}
  'users.total.capped': { count: number }
  'users.total.shown': { count: number }
  'validation.atLeast': { n: number }
  'validation.atLeastCharacters': { n: number }
  'validation.atMost': { n: number }
  'validation.atMostCharacters': { n: number }
  'validation.chooseKeyBundle': {}
  'validation.chooseOption': {}
  'validation.databaseUrlEmpty': { example: string | number }
  'validation.databaseUrlPassword': {}
  'validation.databaseUrlPostgres': { example: string | number }
  'validation.email': {}
  'validation.emailExample': {}
  'validation.enterCode': {}
  'validation.enterIdentifier': {}
  'validation.enterName': {}
  'validation.enterNumber': {}
  'validation.enterPassphrase': {}
  'validation.enterPassword': {}
  'validation.enterValue': {}
  'validation.format': {}
  'validation.fullPath': {}
  'validation.keyBundleTooLong': {}
  'validation.passwordOneLine': {}
  'validation.phone': {}
  'validation.rightKind': {}
  'validation.unknownKeys': { keys: string | number }
  'validation.usernameCharacters': {}
}
