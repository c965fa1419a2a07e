import type { AgentServerMessage } from '@earpiece/assist-server/protocol';

/** Messages that carry a per-call `seq`. */
export type SequencedMessage = Extract<AgentServerMessage, { seq: number }>;

/**
 * True when `message` shows that events of its call were missed, so the client should ask for a
 * `call.snapshot`:
 * - a call event whose seq is more than one past the last seq seen for that call, or
 * - an event for a call the client has no baseline for, unless it is the call's first event
 *   (a `call.started` with a later seq means the server resumed the call after a restart).
 * A snapshot itself never signals a gap: it is the repair. Old or duplicate seqs are not gaps.
 */
export function detectSeqGap(lastSeq: number | undefined, message: SequencedMessage): boolean {
  if (message.type === 'call.snapshot') return false;
  if (lastSeq === undefined) return !(message.type === 'call.started' && message.seq === 1);
  return message.seq > lastSeq + 1;
}
