import type { PostgresMigration } from './index'

/** Long jobs' records, as SQLite's migration 15 (db/migrations/015-jobs.ts) says. */
export const postgres008: PostgresMigration = {
  version: 8,
  name: 'jobs',
  sql: `
    CREATE TABLE jobs (
      id text PRIMARY KEY,
      kind text NOT NULL,
      state text NOT NULL CHECK (state IN ('running', 'staged', 'done', 'failed', 'cancelled', 'rolled-back', 'interrupted')),
      owner_id bigint,
      actor text,
      workstation text NOT NULL,
      input_name text,
      input_digest text,
      total bigint,
      details text NOT NULL DEFAULT '{}',
      outcome text,
      started_at bigint NOT NULL,
      finished_at bigint,
      recovered_at bigint,
      seen_at bigint
    );
    CREATE UNIQUE INDEX jobs_one_running ON jobs (kind) WHERE state = 'running';
    CREATE INDEX jobs_done_by_digest ON jobs (kind, input_digest) WHERE state = 'done';
    CREATE INDEX jobs_recovered ON jobs (recovered_at) WHERE recovered_at IS NOT NULL;
    CREATE TABLE job_ranges (
      job_id text NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
      first_id bigint NOT NULL,
      last_id bigint NOT NULL,
      PRIMARY KEY (job_id, first_id)
    );
    CREATE TABLE job_items (
      job_id text NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
      user_id bigint NOT NULL,
      username text NOT NULL,
      skipped text,
      PRIMARY KEY (job_id, user_id)
    );
    CREATE TABLE import_scratch (one smallint PRIMARY KEY CHECK (one = 1), job_id text NOT NULL);
  `
}
