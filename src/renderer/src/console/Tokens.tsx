import { useState } from 'react'
import { plural } from '../../../shared/words'
import type { TokenView } from '../../../shared/admin-dto'
import type { SessionInfo } from '../../../shared/dto'
import { useApiMutation, useApiQuery } from '../api/hooks'
import { Field, FormError } from '../components/forms'
import { formatShortDateTime, Notice } from '../components/ui'
import { useFormErrors } from '../components/use-form-errors'

const STATES: [TokenView['state'] | 'all', string][] = [
  ['all', 'All'],
  ['available', 'Available'],
  ['assigned', 'Assigned'],
  ['lost', 'Lost']
]

const kindOf = (t: TokenView) => `${t.kind === 'hotp' ? 'Counter (HOTP)' : `Time (TOTP, ${t.period} s)`}, ${t.digits} digits${t.algorithm === 'sha256' ? ', SHA-256' : ''}`

/** Hardware tokens: the administrator imports the vendor's seed file; staff find a token by serial. */
export function Tokens({ session }: { session: SessionInfo }) {
  const [search, setSearch] = useState('')
  const [state, setState] = useState<TokenView['state'] | 'all'>('all')
  const tokens = useApiQuery('tokens:list', { search, state })
  return (
    <section aria-labelledby="tokens-title">
      <div className="section-head">
        <h1 id="tokens-title">Hardware tokens</h1>
      </div>
      {session.user.role === 'admin' && <ImportTokens />}
      <div className="toolbar" role="search">
        <div className="field field--inline">
          <label htmlFor="token-search">Serial or username</label>
          <input id="token-search" type="search" value={search} autoComplete="off" onChange={(e) => setSearch(e.target.value)} />
        </div>
        <div className="field field--inline">
          <label htmlFor="token-state">State</label>
          <select id="token-state" value={state} onChange={(e) => setState(e.target.value as typeof state)}>
            {STATES.map(([v, l]) => <option key={v} value={v}>{l}</option>)}
          </select>
        </div>
        <p className="toolbar__total" role="status">{tokens.data ? `${plural(tokens.data.length, 'token')} shown` : 'Loading…'}</p>
      </div>
      <table className="table">
        <caption className="visually-hidden">Hardware tokens</caption>
        <thead>
          <tr><th scope="col">Serial</th><th scope="col">Type</th><th scope="col">State</th><th scope="col">Holder</th><th scope="col">Last used</th></tr>
        </thead>
        <tbody>
          {tokens.data?.map((t) => (
            <tr key={t.serial}>
              <td><code>{t.serial}</code></td>
              <td>{kindOf(t)}</td>
              <td>{t.state === 'assigned' ? 'Assigned' : t.state === 'lost' ? 'Lost' : 'Available'}</td>
              <td>{t.user ? `${t.user.displayName} (${t.user.username})` : '—'}</td>
              <td>{formatShortDateTime(t.lastUsedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {tokens.data?.length === 0 && <p className="empty">No token matches. {session.user.role === 'admin' ? 'Import the seed file that came with the tokens.' : ''}</p>}
    </section>
  )
}

/** The vendor's seed file (PSKC or CSV) and, for an encrypted PSKC file, the key sent with it. */
function ImportTokens() {
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
        upload.mutate({ file: file?.text ?? '', psk }, { onSuccess: (r) => setMessage(`${plural(r.imported, 'token')} imported.`), onError: errors.showError })
      }}
    >
      <h2 id="token-import-title">Import tokens</h2>
      <p>The seed file that came with the tokens: PSKC (.xml, RFC 6030) or CSV with the columns serial, secret, type, digits, period. All of it is imported, or nothing.</p>
      {message && <Notice tone="ok">{message}</Notice>}
      <FormError message={errors.formError} ref={errors.alertRef} />
      <Field label="Seed file" name="file" type="file" accept=".xml,.pskc,.csv,text/xml,text/csv" error={errors.fieldErrors.file} ref={errors.fieldRef('file')}
        onChange={(e) => {
          const f = e.target.files?.[0]
          if (f) void f.text().then((text) => setFile({ name: f.name, text }))
        }} />
      <Field label="Pre-shared key (encrypted PSKC only)" name="psk" autoComplete="off" spellCheck={false} value={psk} onChange={(e) => setPsk(e.target.value)}
        hint="The hexadecimal key the vendor sent separately from the file." error={errors.fieldErrors.psk} ref={errors.fieldRef('psk')} />
      <button type="submit" className="button" disabled={upload.isPending}>Import</button>
    </form>
  )
}
