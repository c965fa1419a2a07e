/** Migration 7 (post-call archive: integrity, pipeline steps, retention, per-call metrics). Reserved: empty until written; SQL for both dialects. */
import type { Migration } from '../migrations.ts';

export const MIGRATION_7: Migration = {
  version: 7,
  sqlite: '',
  postgres: '',
};
