/** Migration 8 (access control: users, sessions). Reserved: empty until written; SQL for both dialects. */
import type { Migration } from '../migrations.ts';

export const MIGRATION_8: Migration = {
  version: 8,
  sqlite: '',
  postgres: '',
};
