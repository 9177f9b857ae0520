import { useState } from 'react'
import type { TokenView } from '../../../shared/admin-dto'
import type { SessionInfo } from '../../../shared/dto'
import type { MessageId, Translator } from '../../../shared/i18n/translate'
import { useApiMutation, useApiQuery } from '../api/hooks'
import { Field, FileField, FormError } from '../components/forms'
import { formatShortDateTime, Notice } from '../components/ui'
import { useFormErrors } from '../components/use-form-errors'
import { useT } from '../i18n'

const STATE_WORDS = {
  available: 'console.tokens.state.available',
  assigned: 'console.tokens.state.assigned',
  lost: 'console.tokens.state.lost'
} as const satisfies Record<TokenView['state'], MessageId>

const STATES: [TokenView['state'] | 'all', MessageId][] = [
  ['all', 'console.tokens.state.all'],
  ['available', STATE_WORDS.available],
  ['assigned', STATE_WORDS.assigned],
  ['lost', STATE_WORDS.lost]
]

const kindOf = (words: Translator, t: TokenView) =>
  t.kind === 'hotp'
    ? words.t('console.tokens.kind.hotp', { algorithm: t.algorithm, digits: t.digits })
    : words.t('console.tokens.kind.totp', { algorithm: t.algorithm, digits: t.digits, period: t.period ?? '' })

/** Hardware tokens: the administrator imports the vendor's seed file; staff find a token by serial. */
export function Tokens({ session }: { session: SessionInfo }) {
  const words = useT()
  const { t } = words
  const [search, setSearch] = useState('')
  const [state, setState] = useState<TokenView['state'] | 'all'>('all')
  const tokens = useApiQuery('tokens:list', { search, state })
  return (
    <section aria-labelledby="tokens-title">
      <div className="section-head">
        <h1 id="tokens-title">{t('console.tokens.title')}</h1>
      </div>
      {session.user.role === 'admin' && <ImportTokens />}
      <div className="toolbar" role="search">
        <div className="field field--inline">
          <label htmlFor="token-search">{t('console.tokens.search')}</label>
          <input id="token-search" type="search" value={search} autoComplete="off" onChange={(e) => setSearch(e.target.value)} />
        </div>
        <div className="field field--inline">
          <label htmlFor="token-state">{t('console.tokens.state')}</label>
          <select id="token-state" value={state} onChange={(e) => setState(e.target.value as typeof state)}>
            {STATES.map(([v, l]) => <option key={v} value={v}>{t(l)}</option>)}
          </select>
        </div>
        <p className="toolbar__total" role="status">{tokens.data ? t('console.tokens.shown', { count: tokens.data.length }) : t('common.loading')}</p>
      </div>
      <table className="table">
        <caption className="visually-hidden">{t('console.tokens.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('console.tokens.column.serial')}</th>
            <th scope="col">{t('console.tokens.column.type')}</th>
            <th scope="col">{t('console.tokens.column.state')}</th>
            <th scope="col">{t('console.tokens.column.holder')}</th>
            <th scope="col">{t('console.tokens.column.lastUsed')}</th>
          </tr>
        </thead>
        <tbody>
          {tokens.data?.map((token) => (
            <tr key={token.serial}>
              <td><code translate="no">{token.serial}</code></td>
              <td>{kindOf(words, token)}</td>
              <td>{t(STATE_WORDS[token.state])}</td>
              <td translate="no">{token.user ? t('console.tokens.holder', { name: token.user.displayName, username: token.user.username }) : '—'}</td>
              <td>{formatShortDateTime(token.lastUsedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {tokens.data?.length === 0 && <p className="empty">{session.user.role === 'admin' ? t('console.tokens.noneImport') : t('console.tokens.none')}</p>}
    </section>
  )
}

/** The vendor's seed file (PSKC or CSV) and, for an encrypted PSKC file, the key sent with it. */
function ImportTokens() {
  const { t } = useT()
  const [file, setFile] = useState<{ name: string; text: string } | null>(null)
  const [psk, setPsk] = useState('')
  const [message, setMessage] = useState<string | null>(null)
  const errors = useFormErrors(['file', 'psk'] as const)
  const upload = useApiMutation('tokens:import', { invalidates: ['tokens:list'] })
  return (
    <form
      className="panel subform"
      aria-labelledby="token-import-title"
      noValidate
      onSubmit={(e) => {
        e.preventDefault()
        errors.clear()
        setMessage(null)
        upload.mutate({ file: file?.text ?? '', psk }, { onSuccess: (r) => setMessage(t('console.tokens.imported', { count: r.imported })), onError: errors.showError })
      }}
    >
      <h2 id="token-import-title">{t('console.tokens.import.title')}</h2>
      <p>{t('console.tokens.import.intro')}</p>
      {message && <Notice tone="ok">{message}</Notice>}
      <FormError message={errors.formError} ref={errors.alertRef} />
      <FileField label={t('console.tokens.import.file')} name="file" accept=".xml,.pskc,.csv,text/xml,text/csv" error={errors.fieldErrors.file} ref={errors.fieldRef('file')}
        onFile={(f) => {
          if (f) void f.text().then((text) => setFile({ name: f.name, text }))
        }} />
      <Field label={t('console.tokens.import.psk')} name="psk" autoComplete="off" spellCheck={false} value={psk} onChange={(e) => setPsk(e.target.value)}
        hint={t('console.tokens.import.pskHint')} error={errors.fieldErrors.psk} ref={errors.fieldRef('psk')} />
      <button type="submit" className="button" disabled={upload.isPending}>{t('console.tokens.import.submit')}</button>
    </form>
  )
}
