/**
 * `--via audiosocket`: each call is two TCP connections, as Asterisk's AudioSocket() makes them
 * (one per channel), paired by UUID prefix (the bridge's default rule): the first 12 bytes name
 * the call (run id · call index · zeros), the last byte the leg (0x00 customer, 0x01 agent).
 * Audio goes as 20 ms slin frames at the WAV's rate when an AudioSocket kind carries it (8, 12,
 * 16, 24, 32, 44.1, 48, 96, 192 kHz), else resampled to 8 kHz, paced on an absolute clock; then
 * a hangup frame on each leg. The agent id cannot travel in a UUID: the bridge's default agent
 * (EARPIECE_DEFAULT_AGENT_ID) or a UUID mapping names it.
 */
import type { LegRole } from '@earpiece/assist-server/protocol';
import { AudioSocketClient } from '../sources/audiosocket/audiosocket-client.ts';
import { AUDIOSOCKET_KIND_RATES } from '../sources/audiosocket/framing.ts';
import { paceFrames } from './frame-clock.ts';
import { audioFor, type CallOutcome, type SimulationPlan } from './simulation-types.ts';

const HANGUP_TIMEOUT_MS = 15_000;

/** The UUID of one leg of call `index` (run id = 8 hex digits). */
export function simulatedLegUuid(runId: string, index: number, role: LegRole): string {
  const hex = `${runId.slice(0, 8).padStart(8, '0')}${index.toString(16).padStart(8, '0')}${'0'.repeat(14)}${role === 'agent' ? '01' : '00'}`;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The call id the bridge gives such a call (`as-` + the 12-byte prefix in hex). */
export function simulatedAudioSocketCallId(runId: string, index: number): string {
  return `as-${simulatedLegUuid(runId, index, 'customer').replace(/-/g, '').slice(0, 24)}`;
}

export async function simulateAudioSocketCall(plan: SimulationPlan, index: number): Promise<CallOutcome> {
  const audio = audioFor(plan, index);
  const rate = [...AUDIOSOCKET_KIND_RATES.values()].includes(audio.sampleRateHz) ? audio.sampleRateHz : 8000;
  const legs = audio.legsAt(rate);
  const clients: AudioSocketClient[] = [];
  try {
    for (const leg of legs) {
      const client = await AudioSocketClient.connect(plan.target.port, plan.target.host);
      clients.push(client);
      client.uuid(simulatedLegUuid(plan.runId, index, leg.role));
      if (plan.secret !== undefined) client.auth(plan.secret);
    }
    const frame = rate / 50;
    const frames = Math.ceil(legs[0]!.pcm.length / frame);
    const sent = await paceFrames(
      frames,
      20,
      (k) => {
        if (clients.some((c) => c.socket.destroyed || c.socket.readableEnded)) return false;
        legs.forEach((leg, i) => clients[i]!.audio(leg.pcm.subarray(k * frame, (k + 1) * frame), rate));
        return true;
      },
      plan.signal,
    );
    const early = sent < frames && !plan.signal?.aborted;
    const hungUp = await Promise.race([
      Promise.all(clients.map((c) => c.hangup())).then(() => true),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), HANGUP_TIMEOUT_MS).unref()),
    ]);
    const error = clients.flatMap((c) => c.errors)[0];
    if (error) return { index, ok: false, reason: `audiosocket error 0x${error.code.toString(16)} ${error.detail}`.trim() };
    if (early) return { index, ok: false, reason: 'audiosocket closed by the bridge mid-call' };
    if (!hungUp) return { index, ok: false, reason: `audiosocket not closed within ${HANGUP_TIMEOUT_MS} ms of hangup` };
    return { index, ok: true };
  } finally {
    for (const c of clients) c.socket.destroy();
  }
}
