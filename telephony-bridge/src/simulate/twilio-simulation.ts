/**
 * `--via twilio`: each call is one WebSocket to `/media/twilio` speaking the Media Streams message
 * set as Twilio does: `connected`, `start` (callSid, both tracks, customParameters agentId,
 * callerNumber and, with a secret, token), one `media` message per track per 20 ms (base64 µ-law
 * 8 kHz, chunk and timestamp counting up) paced on an absolute clock, then `stop`. Inbound =
 * customer, outbound = agent (the bridge's default). The bridge closing with 1000 = a call held.
 */
import alawmulaw from 'alawmulaw';
import WebSocket from 'ws';
import { paceFrames } from './frame-clock.ts';
import { audioFor, type CallOutcome, type SimulationPlan } from './simulation-types.ts';

const { mulaw } = alawmulaw;
const CLOSE_TIMEOUT_MS = 15_000;

export function simulatedTwilioCallSid(runId: string, index: number): string {
  return `CAsim${runId}${String(index).padStart(5, '0')}`;
}

export async function simulateTwilioCall(plan: SimulationPlan, index: number, path = '/media/twilio'): Promise<CallOutcome> {
  const audio = audioFor(plan, index);
  const tracks = audio.legsAt(8000).map((leg) => ({ track: leg.role === 'customer' ? 'inbound' : 'outbound', ulaw: mulaw.encode(leg.pcm) }));
  const callSid = simulatedTwilioCallSid(plan.runId, index);
  const streamSid = `MZsim${plan.runId}${String(index).padStart(5, '0')}`;
  const headers: Record<string, string> = plan.secret === undefined ? {} : { authorization: `Bearer ${plan.secret}` };
  const ws = new WebSocket(`ws://${plan.target.host}:${plan.target.port}${path}`, { headers });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  try {
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    ws.on('error', () => {});
    let seq = 1;
    const send = (m: Record<string, unknown>) => ws.send(JSON.stringify({ ...m, sequenceNumber: String(seq++), streamSid }));
    ws.send(JSON.stringify({ event: 'connected', protocol: 'Call', version: '1.0.0' }));
    const customParameters: Record<string, string> = { agentId: plan.agentId, callerNumber: `+1555${String(index).padStart(7, '0')}` };
    if (plan.secret !== undefined) customParameters.token = plan.secret;
    send({
      event: 'start',
      start: { streamSid, callSid, accountSid: 'ACsimulated', tracks: tracks.map((t) => t.track), customParameters, mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 } },
    });
    const frames = Math.ceil(tracks[0]!.ulaw.length / 160);
    const sent = await paceFrames(
      frames,
      20,
      (k) => {
        if (ws.readyState !== WebSocket.OPEN) return false;
        for (const t of tracks) {
          const payload = Buffer.from(t.ulaw.subarray(k * 160, (k + 1) * 160)).toString('base64');
          send({ event: 'media', media: { track: t.track, chunk: String(k + 1), timestamp: String(k * 20), payload } });
        }
        return true;
      },
      plan.signal,
    );
    if (ws.readyState === WebSocket.OPEN) send({ event: 'stop', stop: { accountSid: 'ACsimulated', callSid } });
    const result = await Promise.race([closed, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), CLOSE_TIMEOUT_MS).unref())]);
    if (!result) return { index, ok: false, reason: `websocket not closed within ${CLOSE_TIMEOUT_MS} ms of stop` };
    if (result.code !== 1000 || (sent < frames && !plan.signal?.aborted)) return { index, ok: false, reason: `websocket close ${result.code} ${result.reason}`.trim() };
    return { index, ok: true };
  } finally {
    ws.terminate();
  }
}
