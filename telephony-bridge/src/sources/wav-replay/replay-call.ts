/**
 * Replays WAV audio as a live call: each leg in 20 ms frames, at real-time pace on an absolute
 * clock (frame k at start + k·20 ms, no drift) or as fast as the connection takes it
 * (`speed: 'max'`, still in order and waiting on socket back-pressure and acks). Ends the call
 * with reason `end-of-media`, or `hangup` when `signal` aborts.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { BridgeError } from '../../core/errors.ts';
import { silentLogger, type BridgeLogger } from '../../core/logger.ts';
import { IngestClient, type IngestClientOptions, type IngestClientStats } from '../../forwarder/ingest-client.ts';
import { delayUntilFrameMs, frameAt, frameCount } from './frame-schedule.ts';
import { loadWavLegs, type ReplayLeg, type WavLegSources } from './wav-legs.ts';

export interface ReplayCallOptions extends WavLegSources {
  /** assist-server's WebSocket base, e.g. ws://127.0.0.1:8080. */
  serverUrl: string;
  agentId: string;
  /** Default: replay-<uuid>. */
  callId?: string;
  callerNumber?: string;
  /** 1 = real time (default); 'max' = as fast as the server takes it. */
  speed?: 1 | 'max';
  logger?: BridgeLogger;
  /** Aborting hangs up: the call is stopped with reason `hangup` and the promise resolves. */
  signal?: AbortSignal;
  /** Passed to the IngestClient (reconnect policy, buffer, timeouts). */
  client?: Pick<IngestClientOptions, 'maxBufferedMs' | 'reconnect' | 'connectTimeoutMs' | 'stopTimeoutMs' | 'highWaterBytes'>;
}

export interface ReplayCallResult {
  callId: string;
  /** Frames queued over all legs (each once; resends not counted). */
  framesSent: number;
  stopReason: 'end-of-media' | 'hangup';
  stats: IngestClientStats;
}

export async function replayCall(options: ReplayCallOptions): Promise<ReplayCallResult> {
  const speed = options.speed ?? 1;
  if (speed !== 1 && speed !== 'max') throw new BridgeError('EARPIECE_BRIDGE_BAD_SPEED', `speed must be 1 or 'max', got ${String(speed)}`);
  const log = options.logger ?? silentLogger;
  const legs = await loadWavLegs(options);
  const callId = options.callId ?? `replay-${randomUUID()}`;
  const client = new IngestClient({
    ...options.client,
    serverUrl: options.serverUrl,
    logger: log,
    call: {
      callId,
      agentId: options.agentId,
      ...(options.callerNumber === undefined ? {} : { callerNumber: options.callerNumber }),
      source: 'wav-replay',
      legs: legs.map((l) => ({ role: l.role, sampleRateHz: l.sampleRateHz })),
    },
  });
  try {
    await client.connect();
    const ticks = Math.max(...legs.map((l) => frameCount(l.pcm.length, l.sampleRateHz)));
    log.info({ callId, legs: legs.length, frames: ticks, speed }, 'replaying WAV audio');
    const framesSent = await pump(client, legs, ticks, speed, options.signal);
    const stopReason = options.signal?.aborted ? 'hangup' : 'end-of-media';
    await client.stop(stopReason);
    log.info({ callId, framesSent, stopReason }, 'replay finished');
    return { callId, framesSent, stopReason, stats: client.stats };
  } finally {
    await client.close();
  }
}

/** Sends frame k of every leg per tick; returns the number of frames queued. */
async function pump(client: IngestClient, legs: ReplayLeg[], ticks: number, speed: 1 | 'max', signal: AbortSignal | undefined): Promise<number> {
  let sent = 0;
  const startMs = performance.now();
  for (let k = 0; k < ticks && !signal?.aborted; k++) {
    if (speed === 'max') await client.waitForCapacity();
    else await sleep(delayUntilFrameMs(startMs, k, performance.now()), signal);
    if (signal?.aborted) break;
    for (const leg of legs) {
      const frame = frameAt(leg.pcm, leg.sampleRateHz, k);
      if (!frame) continue;
      client.sendAudio(leg.role, frame.pcm, frame.offsetSamples);
      sent++;
    }
  }
  return sent;
}

/** Waits `ms` (0: yields to the event loop anyway, so acks and socket events are handled). */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
