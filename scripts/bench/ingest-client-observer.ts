/**
 * Benchmark instrumentation for the bridge's forwarder: keeps a reference to every IngestClient
 * the bridge connects in this process (by wrapping IngestClient.prototype.connect; the clients are
 * not touched) so the bench can sum their per-leg stats (frames queued/sent, dropped from the
 * resend buffer, lost, reconnects) after the calls end, and learns each leg's clock origin in
 * wall time from the frames it sends (wrapping sendAudio; see legOriginMs). With it, a final's
 * leg-clock `endMs` becomes a wall time, so the agent-side latency "end of the last word leaving
 * the bridge → final on the agent's socket" can be measured.
 */
import type { LegRole } from '@earpiece/assist-server/protocol';
import { IngestClient } from '../../telephony-bridge/src/forwarder/ingest-client.ts';

export interface ForwarderTotals {
  calls: number;
  reconnects: number;
  framesQueued: number;
  framesSent: number;
  framesResent: number;
  /** Dropped from a resend buffer past its bound before the server acknowledged them. */
  framesDropped: number;
  /** Asked for again after a reconnect but already dropped. */
  framesLost: number;
}

export interface IngestClientObserver {
  /**
   * Wall time (ms since the epoch) of sample 0 on a leg's clock as the bridge sent it: the earliest
   * over the leg's frames of (time the frame was queued − the audio up to its end), so frames held
   * back during call setup and sent in a burst do not skew it. Undefined before the first frame.
   */
  legOriginMs(callId: string, role: LegRole): number | undefined;
  totals(): ForwarderTotals;
  stop(): void;
}

/** `legSampleRateHz`: the rate of the legs the source forwards (8000 for SIP's G.711). */
export function observeIngestClients(legSampleRateHz: number): IngestClientObserver {
  const clients: IngestClient[] = [];
  const origins = new Map<string, number>();
  const proto = IngestClient.prototype;
  const connect = proto.connect;
  const sendAudio = proto.sendAudio;
  proto.connect = function (this: IngestClient) {
    if (!clients.includes(this)) clients.push(this);
    return connect.call(this);
  };
  proto.sendAudio = function (this: IngestClient, role, pcm, offsetSamples) {
    const sent = sendAudio.call(this, role, pcm, offsetSamples);
    const key = `${this.callId}/${role}`;
    const origin = Date.now() - ((sent.offsetSamples + pcm.length) / legSampleRateHz) * 1000;
    if (!(origins.get(key)! <= origin)) origins.set(key, origin);
    return sent;
  };
  return {
    legOriginMs: (callId, role) => origins.get(`${callId}/${role}`),
    stop() {
      proto.connect = connect;
      proto.sendAudio = sendAudio;
    },
    totals() {
      const t: ForwarderTotals = { calls: clients.length, reconnects: 0, framesQueued: 0, framesSent: 0, framesResent: 0, framesDropped: 0, framesLost: 0 };
      for (const c of clients) {
        const s = c.stats;
        t.reconnects += s.reconnects;
        for (const leg of Object.values(s.legs)) {
          if (!leg) continue;
          t.framesQueued += leg.framesQueued;
          t.framesSent += leg.framesSent;
          t.framesResent += leg.framesResent;
          t.framesDropped += leg.dropped;
          t.framesLost += leg.lost;
        }
      }
      return t;
    },
  };
}
