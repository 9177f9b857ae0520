import { useState, type FormEvent } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import type { HeldMethod, TwoFactorStatus } from '../../../shared/dto'
import { heldMethodWords } from '../../../shared/i18n/labels'
import { useApiMutation } from '../api/hooks'
import { Field, FormError } from '../components/forms'
import { HeldMethodSummary } from '../components/HeldMethodSummary'
import { useFormErrors } from '../components/use-form-errors'
import { useT } from '../i18n'
import { ConfirmIdentity, isConfirmed } from './ConfirmIdentity'

/** What My account asks the person to prove it is them for. */
export type Change = { kind: 'add' } | { kind: 'remove'; method: HeldMethod }

/**
 * The methods a person holds, the default first: each with its dates, asked first or not, renamed
 * (apps), removed; and "Add a method". Adding and removing come after proving it is them.
 */
export function MyMethods({ s, onAdd, onChanged }: { s: TwoFactorStatus; onAdd: () => void; onChanged: (message: string) => void }) {
  const [change, setChange] = useState<Change | null>(null)
  const [renaming, setRenaming] = useState<HeldMethod | null>(null)
  const errors = useFormErrors([] as const)
  const words = useT()
  const t = words.t
  const methodTitle = (m: HeldMethod) => heldMethodWords(words, m)
  const client = useQueryClient()
  const chooseDefault = useApiMutation('account:default-method')
  const remove = useApiMutation('account:remove-method')
  const refreshed = async (message: string) => {
    await client.invalidateQueries({ queryKey: ['account:two-factor'] })
    onChanged(message)
  }
  const go = (c: Change) => {
    errors.clear()
    setChange(null)
    if (c.kind === 'add') return onAdd()
    remove.mutate(
      { id: c.method.id },
      {
        onSuccess: () => void refreshed(t('setup.methods.removed', { method: methodTitle(c.method) })),
        // The ten minutes ran out meanwhile: prove it again.
        onError: (e) => (e.code === 'CONFIRM_IT_IS_YOU' ? setChange(c) : errors.showError(e))
      }
    )
  }
  const ask = (c: Change) => (isConfirmed(s) ? go(c) : setChange(c))

  return (
    <div role="region" aria-labelledby="my-methods-title">
      <h3 id="my-methods-title">{t('setup.methods.title')}</h3>
      <FormError message={errors.formError} ref={errors.alertRef} />
      <ul className="method-list">
        {s.methods.map((m) => (
          <li key={m.id}>
            <HeldMethodSummary method={m} showDefault={s.methods.length > 1} />
            <span className="actions">
              {!m.isDefault && (
                <button type="button" className="button button--small" aria-label={t('setup.methods.askFirstLabel', { method: methodTitle(m) })}
                  onClick={() => chooseDefault.mutate({ id: m.id }, { onSuccess: () => void refreshed(t('setup.methods.askFirstDone', { method: methodTitle(m) })), onError: errors.showError })}>
                  {t('setup.methods.askFirst')}
                </button>
              )}
              {m.method === 'totp' && (
                <button type="button" className="button button--small" aria-label={t('setup.methods.renameLabel', { method: methodTitle(m) })} onClick={() => setRenaming(m)}>{t('setup.methods.rename')}</button>
              )}
              {s.methods.length > 1 && (
                <button type="button" className="button button--small button--danger" aria-label={t('setup.methods.removeLabel', { method: methodTitle(m) })} onClick={() => ask({ kind: 'remove', method: m })}>{t('setup.methods.remove')}</button>
              )}
            </span>
          </li>
        ))}
      </ul>
      {renaming && <Rename method={renaming} onDone={(message) => (setRenaming(null), message ? void refreshed(message) : undefined)} />}
      {change && <ConfirmIdentity held={s.methods.map((m) => m.method)} what={change} onConfirmed={() => go(change)} onCancel={() => setChange(null)} />}
      {!change && (
        <button type="button" className="button" onClick={() => ask({ kind: 'add' })}>
          {t('setup.methods.add')}
        </button>
      )}
    </div>
  )
}

function Rename({ method, onDone }: { method: HeldMethod; onDone: (message: string | null) => void }) {
  const [name, setName] = useState(method.name ?? '')
  const errors = useFormErrors(['name'] as const)
  const rename = useApiMutation('account:rename-method')
  const words = useT()
  const t = words.t
  return (
    <form className="subform" noValidate aria-label={t('setup.methods.renameLabel', { method: heldMethodWords(words, method) })}
      onSubmit={(e: FormEvent) => {
        e.preventDefault()
        errors.clear()
        rename.mutate({ id: method.id, name }, { onSuccess: () => onDone(t('setup.methods.renamed', { name: name.trim() })), onError: errors.showError })
      }}>
      <FormError message={errors.formError} ref={errors.alertRef} />
      <Field label={t('setup.methods.newName')} name="name" autoComplete="off" autoFocus maxLength={40} value={name} onChange={(e) => setName(e.target.value)}
        error={errors.fieldErrors.name} ref={errors.fieldRef('name')} />
      <div className="actions">
        <button type="submit" className="button button--primary" disabled={rename.isPending}>{t('setup.methods.rename')}</button>
        <button type="button" className="button" onClick={() => onDone(null)}>{t('setup.methods.cancel')}</button>
      </div>
    </form>
  )
}
