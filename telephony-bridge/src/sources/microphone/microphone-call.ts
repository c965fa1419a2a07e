/**
 * The agent's microphone as a one-leg call (leg `agent`, 16 kHz mono) in 20 ms frames, until
 * `signal` aborts (the CLI wires SIGINT). The microphone is opened before the server is
 * contacted, so a machine without a usable sound card fails fast with
 * EARPIECE_BRIDGE_MIC_UNAVAILABLE and opens no call.
 */
import { randomUUID } from 'node:crypto';
import { BridgeError } from '../../core/errors.ts';
import { silentLogger, type BridgeLogger } from '../../core/logger.ts';
import { IngestClient, type IngestClientOptions, type IngestClientStats } from '../../forwarder/ingest-client.ts';
import { openMicrophone, type MicrophoneOptions } from './open-microphone.ts';
import { PcmFramer } from './pcm-framer.ts';

export const MICROPHONE_SAMPLE_RATE_HZ = 16000;

export interface MicrophoneCallOptions extends Omit<MicrophoneOptions, 'sampleRateHz'> {
  serverUrl: string;
  agentId: string;
  /** Default: mic-<uuid>. */
  callId?: string;
  logger?: BridgeLogger;
  /** Abort to hang up: the call is stopped with reason `hangup` and the promise resolves. */
  signal?: AbortSignal;
  client?: Pick<IngestClientOptions, 'maxBufferedMs' | 'reconnect' | 'connectTimeoutMs' | 'stopTimeoutMs'>;
  /** Called once the microphone is open and the server has accepted the call. */
  onStreaming?: (callId: string) => void;
}

export interface MicrophoneCallResult {
  callId: string;
  framesSent: number;
  stats: IngestClientStats;
}

export async function microphoneCall(options: MicrophoneCallOptions): Promise<MicrophoneCallResult> {
  const log = options.logger ?? silentLogger;
  const { serverUrl, agentId, signal } = options;
  const callId = options.callId ?? `mic-${randomUUID()}`;
  const client = new IngestClient({
    ...options.client,
    serverUrl,
    logger: log,
    call: { callId, agentId, source: 'microphone', legs: [{ role: 'agent', sampleRateHz: MICROPHONE_SAMPLE_RATE_HZ }] },
  });
  let mic;
  try {
    mic = await openMicrophone({ ...options, sampleRateHz: MICROPHONE_SAMPLE_RATE_HZ });
  } catch (err) {
    await client.close();
    throw err;
  }
  const framer = new PcmFramer(MICROPHONE_SAMPLE_RATE_HZ / 50);
  let framesSent = 0;
  const send = (pcm: Int16Array) => {
    client.sendAudio('agent', pcm);
    framesSent++;
  };
  let fatal: Error | undefined;
  const onChunk = (chunk: Buffer) => {
    try {
      for (const frame of framer.push(chunk)) send(frame);
    } catch (err) {
      fatal ??= err as Error;
    }
  };
  try {
    mic.stream.on('data', onChunk);
    onChunk(mic.firstChunk);
    mic.stream.resume();
    await client.connect();
    log.info({ callId, sampleRateHz: MICROPHONE_SAMPLE_RATE_HZ }, 'streaming the microphone');
    options.onStreaming?.(callId);

    // Run until hang-up, the recorder dying, or the client giving up.
    const ended = await new Promise<'hangup' | 'mic-exited' | BridgeError>((resolve) => {
      if (signal?.aborted) return resolve('hangup');
      signal?.addEventListener('abort', () => resolve('hangup'), { once: true });
      void mic.exited.then(() => resolve('mic-exited'));
      client.on('error', (err) => {
        if (err.fatal) resolve(err);
      });
    });
    mic.stream.off('data', onChunk);
    await mic.stop();
    if (ended instanceof BridgeError) throw ended;
    if (fatal) throw fatal;
    const tail = framer.flush();
    if (tail) send(tail);
    if (ended === 'mic-exited') {
      await client.stop('error');
      throw new BridgeError('EARPIECE_BRIDGE_MIC_FAILED', `the microphone recorder stopped during call ${callId}; the call was ended. Check the sound device.`);
    }
    await client.stop('hangup');
    log.info({ callId, framesSent }, 'microphone call ended');
    return { callId, framesSent, stats: client.stats };
  } finally {
    mic.stream.off('data', onChunk);
    await mic.stop();
    await client.close();
  }
}
