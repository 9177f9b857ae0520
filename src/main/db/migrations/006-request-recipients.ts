import type { Migration } from './types'

/**
 * A request sent to "all staff" has as many recipients as the organisation has help-desk members
 * and administrators (thousands at a million users). The queue shows how many without counting
 * them on every page: `reset_requests.recipient_count`, kept by triggers on the recipients table.
 */
export const migration006: Migration = {
  version: 6,
  name: 'request-recipient-count',
  up(db) {
    db.exec(`
      ALTER TABLE reset_requests ADD COLUMN recipient_count INTEGER NOT NULL DEFAULT 0;
      UPDATE reset_requests SET recipient_count = (SELECT count(*) FROM reset_request_recipients rr WHERE rr.request_id = reset_requests.id);
      CREATE TRIGGER recipient_added AFTER INSERT ON reset_request_recipients BEGIN
        UPDATE reset_requests SET recipient_count = recipient_count + 1 WHERE id = NEW.request_id;
      END;
      CREATE TRIGGER recipient_removed AFTER DELETE ON reset_request_recipients BEGIN
        UPDATE reset_requests SET recipient_count = recipient_count - 1 WHERE id = OLD.request_id;
      END;
    `)
  }
}
