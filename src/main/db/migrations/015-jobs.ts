import type { Migration } from './types'

/**
 * Long jobs that write (imports, bulk actions) recorded in the database, in the same transactions
 * as their slices, so that the next start finds one a crash interrupted and finishes or rolls it
 * back whole (core/job-journal.ts):
 * - `jobs`: one row a job; at most one running job of a kind (the partial unique index), so that
 *   two processes never run the same kind of job at once;
 * - `job_ranges`: the ids an import created, a range per slice, written by that slice;
 * - `job_items`: the accounts a bulk action has done, each written with the action itself;
 * - `import_scratch`: which import the rows set aside in `import_rows` belong to, so that a
 *   confirmation never creates the users of a file another process checked since.
 * No foreign key to users: a job's record outlives the accounts it names.
 */
export const migration015: Migration = {
  version: 15,
  name: 'jobs',
  up(db) {
    db.exec(`
      CREATE TABLE jobs (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('running', 'staged', 'done', 'failed', 'cancelled', 'rolled-back', 'interrupted')),
        owner_id INTEGER,
        actor TEXT,
        workstation TEXT NOT NULL,
        input_name TEXT,
        input_digest TEXT,
        total INTEGER,
        details TEXT NOT NULL DEFAULT '{}',
        outcome TEXT,
        started_at INTEGER NOT NULL,
        finished_at INTEGER,
        recovered_at INTEGER,
        seen_at INTEGER
      ) STRICT;
      CREATE UNIQUE INDEX jobs_one_running ON jobs (kind) WHERE state = 'running';
      CREATE INDEX jobs_done_by_digest ON jobs (kind, input_digest) WHERE state = 'done';
      CREATE INDEX jobs_recovered ON jobs (recovered_at) WHERE recovered_at IS NOT NULL;
      CREATE TABLE job_ranges (
        job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
        first_id INTEGER NOT NULL,
        last_id INTEGER NOT NULL,
        PRIMARY KEY (job_id, first_id)
      ) STRICT;
      CREATE TABLE job_items (
        job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
        user_id INTEGER NOT NULL,
        username TEXT NOT NULL,
        skipped TEXT,
        PRIMARY KEY (job_id, user_id)
      ) STRICT;
      CREATE TABLE import_scratch (one INTEGER PRIMARY KEY CHECK (one = 1), job_id TEXT NOT NULL) STRICT;
    `)
  }
}
