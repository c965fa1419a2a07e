/** Migration 9 (analytics). Reserved: empty until written; SQL for both dialects. */
import type { Migration } from '../migrations.ts';

export const MIGRATION_9: Migration = {
  version: 9,
  sqlite: '',
  postgres: '',
};
