/**
 * Opens the local microphone through node-record-lpcm16 (which runs sox, rec or arecord) as
 * raw 16-bit mono PCM. Resolves once the first audio arrives; if the recorder cannot start or
 * the device cannot be opened it rejects with EARPIECE_BRIDGE_MIC_UNAVAILABLE and leaves no
 * process behind.
 */
import type { ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import recorder from 'node-record-lpcm16';
import { BridgeError } from '../../core/errors.ts';

export interface MicrophoneOptions {
  /** Default 16000. */
  sampleRateHz?: number;
  /** sox's AUDIODEV, or arecord's -D device; default: the system default input. */
  device?: string;
  /** Default 'sox'. */
  recorder?: 'sox' | 'rec' | 'arecord';
  /** How long to wait for the first audio; default 3000 ms. */
  openTimeoutMs?: number;
}

export interface OpenMicrophone {
  sampleRateHz: number;
  /** Raw s16le PCM, paused; `firstChunk` was already read from it. */
  stream: Readable;
  firstChunk: Buffer;
  /** Resolves when the recorder exits, with its exit code (null if killed by a signal). */
  exited: Promise<number | null>;
  /** Stops recording and waits for the recorder process to exit. Idempotent. */
  stop(): Promise<void>;
}

export async function openMicrophone(options: MicrophoneOptions = {}): Promise<OpenMicrophone> {
  const sampleRateHz = options.sampleRateHz ?? 16000;
  const recorderName = options.recorder ?? 'sox';
  const where = `${recorderName}${options.device ? ` device "${options.device}"` : ' default input'}`;
  const unavailable = (detail: string, cause?: unknown) =>
    new BridgeError(
      'EARPIECE_BRIDGE_MIC_UNAVAILABLE',
      `cannot open the microphone (${where}): ${detail}. Check that a sound card is present and that \`${recorderName}\` can record from it (e.g. \`sox -d test.wav\`), or choose another device.`,
      cause === undefined ? {} : { cause },
    );

  let recording;
  try {
    recording = recorder.record({ sampleRate: sampleRateHz, channels: 1, audioType: 'raw', recorder: recorderName, ...(options.device ? { device: options.device } : {}) });
  } catch (err) {
    throw unavailable((err as Error).message, err);
  }
  const cp: ChildProcess = recording.process;
  const stream = recording.stream();
  let stderr = '';
  cp.stderr?.on('data', (c: Buffer | string) => (stderr = (stderr + c.toString()).slice(-4000)));
  let spawnError: Error | undefined;
  cp.on('error', (err) => (spawnError = err)); // ENOENT etc.; without a listener it would crash the process
  stream.on('error', () => {}); // the library re-emits a non-zero exit here; `exited` reports it
  const exited = new Promise<number | null>((resolve) => {
    if (cp.exitCode !== null || cp.signalCode !== null) resolve(cp.exitCode);
    else cp.once('close', (code: number | null) => resolve(code));
  });
  const stop = async () => {
    if (cp.exitCode === null && cp.signalCode === null && cp.pid !== undefined) cp.kill();
    await exited;
  };

  const firstChunk = await new Promise<Buffer | BridgeError>((resolve) => {
    const timeoutMs = options.openTimeoutMs ?? 3000;
    const timer = setTimeout(() => done(unavailable(`no audio within ${timeoutMs} ms`)), timeoutMs);
    const onData = (chunk: Buffer) => done(chunk);
    const onExit = (code: number | null) => {
      const why = spawnError?.message ?? (lastLines(stderr) || `${recorderName} exited with code ${code}`);
      done(unavailable(why, spawnError));
    };
    let settled = false;
    function done(result: Buffer | BridgeError) {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stream.off('data', onData);
      stream.pause();
      resolve(result);
    }
    stream.on('data', onData);
    void exited.then(onExit);
  });
  if (firstChunk instanceof BridgeError) {
    await stop();
    throw firstChunk;
  }
  return { sampleRateHz, stream, firstChunk, exited, stop };
}

/** The recorder's own explanation: the last non-empty stderr lines, FAIL lines preferred. */
function lastLines(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  const fail = lines.filter((l) => /FAIL|error|cannot|can't/i.test(l));
  return (fail.length ? fail : lines).slice(-2).join(' / ');
}
