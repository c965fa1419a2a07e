/**
 * Retention policy (YAML, e.g. models/packs/banking/retention.yaml): days to keep an archived call,
 * by call type, with a default. Call type = the call's `source` (what the telephony bridge sent at
 * call start); it is stored with the archive record (call_archives.call_type).
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { z } from 'zod';

const Days = z.number().positive().max(100 * 365);

export const RetentionPolicyFile = z.strictObject({
  defaultDays: Days,
  callTypes: z.record(z.string().min(1).max(64), Days).default({}),
});
export type RetentionPolicy = z.infer<typeof RetentionPolicyFile>;

export const DAY_MS = 24 * 3600 * 1000;

export async function loadRetentionPolicy(path: string): Promise<RetentionPolicy> {
  const parsed = RetentionPolicyFile.safeParse(parse(await readFile(path, 'utf8')));
  if (!parsed.success) throw new Error(`retention policy ${path} is not valid: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** Calls of `callType` started before this instant are expired at `nowMs`. */
export function retentionCutoffMs(policy: RetentionPolicy, callType: string | null, nowMs: number): number {
  const days = (callType !== null ? policy.callTypes[callType] : undefined) ?? policy.defaultDays;
  return nowMs - days * DAY_MS;
}
