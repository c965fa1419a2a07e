/**
 * The retention sweep: finds archived calls older than their type's retention (retention-policy.ts),
 * deletes each one's archive dir and rows (store/post-call-store.ts purgeCallRows; call_metrics is
 * kept: numbers and labels only), and logs each purge (pino, and the audit log: actor `system`,
 * action `call.purged`, with what was deleted). Run by the BullMQ job scheduler (jobs/) or
 * `earpiece archive purge`.
 */
import { rm } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { AuditLog } from '../store/audit-log.ts';
import type { PostCallStore } from '../store/post-call-store.ts';
import { retentionCutoffMs, type RetentionPolicy } from './retention-policy.ts';

export interface PurgedCall {
  callId: string;
  callType: string;
  startedAtMs: number;
  archiveDir: string;
  rows: Record<string, number>;
}

export async function purgeExpiredCalls(deps: { policy: RetentionPolicy; calls: PostCallStore; audit: AuditLog; logger: Logger; nowMs?: number; dryRun?: boolean }): Promise<PurgedCall[]> {
  const now = deps.nowMs ?? Date.now();
  const listed = Object.keys(deps.policy.callTypes);
  const expired = [
    ...(await Promise.all(listed.map((type) => deps.calls.expired(type, retentionCutoffMs(deps.policy, type, now), [])))).flat(),
    ...(await deps.calls.expired(null, retentionCutoffMs(deps.policy, null, now), listed)),
  ];
  const purged: PurgedCall[] = [];
  for (const call of expired) {
    if (deps.dryRun) {
      purged.push({ ...call, rows: {} });
      continue;
    }
    await rm(call.archiveDir, { recursive: true, force: true });
    const rows = await deps.calls.purgeCallRows(call.callId);
    await deps.audit.record({ actor: 'system', action: 'call.purged', callId: call.callId, detail: { callType: call.callType, startedAtMs: call.startedAtMs, archiveDir: call.archiveDir, rows }, atMs: now });
    deps.logger.info({ callId: call.callId, callType: call.callType, startedAtMs: call.startedAtMs, rows }, 'retention: call purged');
    purged.push({ ...call, rows });
  }
  deps.logger.info({ purged: purged.length, dryRun: !!deps.dryRun }, 'retention sweep done');
  return purged;
}
