import { jobNoticeText } from '../../../shared/job-notices'
import { useApiMutation, useApiQuery } from '../api/hooks'
import { useT } from '../i18n'
import { formatDateTime } from './ui'

/**
 * Jobs a crash interrupted (an import, a bulk action), as the next start of a seat settled them:
 * shown to the staff member who started one, and to every administrator, until dismissed.
 */
export function InterruptedJobs() {
  const words = useT()
  const { t } = words
  const notices = useApiQuery('jobs:interrupted', {})
  const dismiss = useApiMutation('jobs:dismiss', { invalidates: ['jobs:interrupted'] })
  return (
    <>
      {(notices.data ?? []).map((n) => (
        <div key={n.id} className="notice notice--warn" role="status">
          <strong>{t('account.interrupted')} </strong>
          {jobNoticeText(n, words, formatDateTime)}{' '}
          <button type="button" className="link-button" disabled={dismiss.isPending} onClick={() => dismiss.mutate({ jobId: n.id })}>
            {t('account.dismiss')}
          </button>
        </div>
      ))}
    </>
  )
}
