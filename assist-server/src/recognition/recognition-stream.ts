import { Resampler } from '../audio/resampler.ts';
import { SerialQueue } from './serial-queue.ts';
import { RecognitionError, type DecoderEvent, type EngineDecoder, type RecognitionEvent, type SpeechEngine } from './recognizer.ts';
import { GapMap } from './vad/gap-map.ts';
import { loadVad } from './vad/load-vad.ts';
import { VoiceScorer, sileroVadStats } from './vad/silero-detector.ts';
import { SpeechGate, type GateAction } from './vad/speech-gate.ts';
import { sileroWindow, type VadSettings } from './vad/vad-settings.ts';

export interface RecognitionStreamOptions {
  /** Rate of the PCM that will be written (the leg's rate). */
  inputSampleRateHz: number;
  /** Where the first written sample lies on the call clock (a recognizer resumed mid-call). Default 0. */
  startOffsetMs?: number;
  /** Voice-activity gating; absent or mode off: every sample goes to the decoder. */
  vad?: VadSettings | undefined;
  /**
   * Audio gathered per decoder call, ms (EARPIECE_RECOGNIZER_BATCH_MS). 0 (default): every write is
   * decoded on its own. Many streams fed 20 ms at a time take turns on the same cores and evict each
   * other's models from the CPU caches: 16 PocketSphinx decoders interleaved at 20 ms cost about half
   * as much again per audio second as at 100 ms.
   */
  batchMs?: number | undefined;
}

/** A stream behind real time gathers up to this many batches while its decoder is busy, then decodes them in one call. */
const CATCH_UP_BATCHES = 5;

/** Audio written to every stream of this process, and how much of it reached decoders (ms). */
const totals = { writtenMs: 0, decodedMs: 0 };

/** What gating saves, process-wide: audio written vs audio decoded, and the VAD's own work. */
export function recognitionTotals(): { writtenMs: number; decodedMs: number; vad: ReturnType<typeof sileroVadStats> } {
  return { writtenMs: Math.round(totals.writtenMs), decodedMs: Math.round(totals.decodedMs), vad: sileroVadStats() };
}

/** Gating state of a stream with VAD on: audio at the engine's rate, scored in whole windows. */
interface Gating {
  scorer: VoiceScorer;
  gate: SpeechGate;
  map: GapMap;
  /** Resampled audio not yet a whole window. */
  pending: Int16Array;
}

/**
 * One leg's recognizer: resamples to the engine's rate, serializes calls (one decoder call in
 * flight at a time, in write order), and converts decoder times to ms on the stream's clock.
 *
 * With VAD on, the resampled audio is scored by Silero in 32 ms windows (off the event loop) and
 * a {@link SpeechGate} passes speech plus padding only; the decoder's utterance is ended when the
 * gate closes (before any audio is skipped), and a {@link GapMap} turns its times back into call
 * times. `writtenMs` still counts every sample written, gated or not, and a write during silence
 * still resolves (with no events), so callers settle silent audio as before.
 */
export class RecognitionStream {
  private readonly resampler: Resampler;
  private readonly queue = new SerialQueue();
  private closed = false;
  private flushed = false;
  /** Samples (at the input rate) written so far. */
  private writtenSamples = 0;
  /** Samples (at the engine rate) given to the decoder. */
  private decodedSamples = 0;
  /** Samples (at the input rate) whose decoder call has returned: everything before them is decided. */
  private processedSamples = 0;
  /** Resampled audio waiting for the batch to fill, and when its first part arrived. */
  private batch: Int16Array[] = [];
  private batchSamples = 0;
  private batchArrivedMs = 0;
  /** The same arrival on the writer's clock (write's receivedAtMs); a dispatch leaves it as the last write set it. */
  private batchReceivedAt: number | undefined;
  private readonly batchTarget: number;
  /** Most audio a batch gathers while the decoder is still busy with earlier batches (engine rate). */
  private readonly batchLimit: number;
  /** Batches handed to the decoder whose events have not come back yet. */
  private inFlight = 0;
  /** Resolves the promise of the write whose full batch is held back while the decoder is busy (it goes the moment the decoder is free). */
  private held: ((events: Promise<RecognitionEvent[]>) => void) | undefined;

  private constructor(
    private readonly decoder: EngineDecoder,
    readonly engineName: string,
    private readonly inputSampleRateHz: number,
    private readonly engineRateHz: number,
    private readonly startOffsetMs: number,
    private readonly gating: Gating | undefined,
    private readonly observeLag: ((lagMs: number) => void) | undefined,
    batchMs: number,
  ) {
    this.resampler = new Resampler(inputSampleRateHz, engineRateHz);
    this.batchTarget = Math.max(1, Math.round((batchMs / 1000) * engineRateHz));
    this.batchLimit = batchMs > 0 ? this.batchTarget * CATCH_UP_BATCHES : this.batchTarget;
  }

  static async open(engine: SpeechEngine, options: RecognitionStreamOptions): Promise<RecognitionStream> {
    const gating = options.vad?.mode === 'silero' ? await openGating(engine.sampleRateHz, options.vad) : undefined;
    const decoder = await engine.createDecoder({ inputSampleRateHz: options.inputSampleRateHz });
    const observeLag = engine.observeDecodeLag?.bind(engine);
    return new RecognitionStream(decoder, engine.name, options.inputSampleRateHz, engine.sampleRateHz, options.startOffsetMs ?? 0, gating, observeLag, options.batchMs ?? 0);
  }

  /** End of the audio written so far, ms on the call clock. */
  get writtenMs(): number {
    return this.startOffsetMs + (this.writtenSamples / this.inputSampleRateHz) * 1000;
  }

  /**
   * End of the audio the recognizer has dealt with, ms on the call clock: decoded (or skipped by the
   * gate) and its events returned. Behind `writtenMs` by the batch being gathered and any backlog;
   * audio past it may still hold words no event has reported yet.
   */
  get processedMs(): number {
    return this.startOffsetMs + (this.processedSamples / this.inputSampleRateHz) * 1000;
  }

  /**
   * When the first audio of the batch the last write went into arrived (that write's
   * `receivedAtMs` clock): the events of a batch answer all of its audio, so their latency counts from there.
   */
  get lastBatchReceivedAtMs(): number | undefined {
    return this.batchReceivedAt;
  }

  /** Audio the decoder has been given so far (ms); with VAD on, speech and padding only. */
  get decodedMs(): number {
    return (this.decodedSamples / this.engineRateHz) * 1000;
  }

  get gated(): boolean {
    return this.gating !== undefined;
  }

  /**
   * Feeds PCM at the input rate. Events come back in order; concurrent writes queue. With batching,
   * a write that only adds to the batch resolves at once with no events; the write that fills it
   * resolves with the batch's events. A stream that is behind catches up in bigger batches: while
   * its decoder is still busy, a full batch keeps gathering (up to CATCH_UP_BATCHES batches) and
   * goes as one decoder call when the decoder is free, so a backlog costs one call, not one per batch.
   */
  write(pcm: Int16Array, receivedAtMs?: number): Promise<RecognitionEvent[]> {
    if (this.closed || this.flushed) return Promise.reject(new Error('write after flush/close'));
    this.writtenSamples += pcm.length;
    totals.writtenMs += (pcm.length / this.inputSampleRateHz) * 1000;
    const resampled = this.resampler.process(pcm);
    if (this.batchSamples === 0) {
      this.batchArrivedMs = performance.now();
      this.batchReceivedAt = receivedAtMs;
    }
    if (resampled.length) this.batch.push(resampled);
    this.batchSamples += resampled.length;
    if (this.batchSamples < this.batchTarget) return Promise.resolve([]);
    if (this.inFlight > 0 && this.batchSamples < this.batchLimit) return this.hold();
    return this.dispatchBatch();
  }

  /** The held batch's events for the write that filled it; the writes after it add audio and get none. */
  private hold(): Promise<RecognitionEvent[]> {
    if (this.held) return Promise.resolve([]);
    return new Promise<RecognitionEvent[]>((resolve) => (this.held = resolve));
  }

  /** End of stream: drains the batch and the resampler and returns the last final(s). Further writes are refused. */
  flush(): Promise<RecognitionEvent[]> {
    if (this.closed) return Promise.resolve([]);
    this.flushed = true;
    return this.dispatchBatch(true);
  }

  /** A decoder call came back: a held batch goes now (or, closed, resolves with no events). */
  private released(): void {
    this.inFlight--;
    const held = this.held;
    if (!held || this.inFlight > 0) return;
    this.held = undefined;
    if (this.closed || this.batchSamples === 0) held(Promise.resolve([]));
    else held(this.dispatchBatch());
  }

  /**
   * Sends the gathered batch to the decoder (through the gate when VAD is on); at the end, with
   * what the resampler still holds, and the decoder's last final. Settles `processedMs` past it.
   */
  private dispatchBatch(end = false): Promise<RecognitionEvent[]> {
    if (this.held) {
      // A batch is held (flush(), or the held batch reached its limit): it goes now, its write's promise gets the events, this caller none (no event twice).
      const held = this.held;
      this.held = undefined;
      const events = this.dispatchBatch(end);
      held(events);
      return events.then(() => []);
    }
    this.inFlight++;
    const chunk = concat(...this.batch, ...(end ? [this.resampler.flush()] : []));
    const arrivedMs = this.batchArrivedMs;
    const through = this.writtenSamples;
    this.batch = [];
    this.batchSamples = 0;
    const gating = this.gating;
    const decoded = gating
      ? this.gatedDispatch(gating, chunk, end)
      : this.enqueue(async () => {
          const events: DecoderEvent[] = chunk.length ? await this.accept(chunk) : [];
          if (end) events.push(...(await this.decoder.finish()));
          return this.mapEvents(events);
        });
    const done = decoded.then(
      (events) => {
        this.processedSamples = Math.max(this.processedSamples, through);
        this.released();
        return events;
      },
      (err: unknown) => {
        this.released();
        throw err;
      },
    );
    // Arrival → decoded, backlog included: how far this stream runs behind (the scheduler's saturation signal).
    const observeLag = this.observeLag;
    if (observeLag && !end) void done.then(() => observeLag(performance.now() - arrivedMs), () => undefined);
    return done;
  }

  /** Frees the decoder once queued work is done. Idempotent. */
  close(): Promise<void> {
    if (this.closed) return this.queue.idle();
    this.closed = true;
    return this.enqueue(() => this.decoder.free()).then(() => undefined);
  }

  private enqueue<T>(fn: () => Promise<T>): Promise<T> {
    return this.queue.run(fn);
  }

  private accept(pcm: Int16Array): Promise<DecoderEvent[]> {
    this.decodedSamples += pcm.length;
    totals.decodedMs += (pcm.length / this.engineRateHz) * 1000;
    return this.decoder.accept(pcm);
  }

  /**
   * Starts scoring the whole windows now available at once (the VAD works on its own thread while
   * the decoder is busy with earlier audio), and queues the gate and the decoder behind it.
   */
  private gatedDispatch(gating: Gating, pcm: Int16Array, end: boolean): Promise<RecognitionEvent[]> {
    const size = gating.scorer.windowSamples;
    const all = concat(gating.pending, pcm);
    const whole = all.length - (all.length % size);
    gating.pending = all.slice(whole);
    const windows = all.subarray(0, whole);
    const tail = end ? gating.pending : undefined;
    if (end) gating.pending = new Int16Array(0);
    const scored =
      whole > 0
        ? // Fail open: a VAD that cannot score must not cost words; the audio is decoded ungated.
          gating.scorer.score(windows).catch(() => new Float32Array(whole / size).fill(1))
        : Promise.resolve(new Float32Array(0));
    return this.enqueue(() => this.gatedWrite(gating, windows, scored, tail));
  }

  /** Applies the gate's decisions to scored windows (and, at the end, the last part window), decodes, maps event times back. */
  private async gatedWrite(gating: Gating, windows: Int16Array, scored: Promise<Float32Array>, tail: Int16Array | undefined): Promise<RecognitionEvent[]> {
    const size = gating.scorer.windowSamples;
    const probabilities = await scored;
    const actions: GateAction[] = [];
    for (let w = 0; w < probabilities.length; w++) actions.push(...gating.gate.push(windows.subarray(w * size, (w + 1) * size), probabilities[w]!));
    if (tail) actions.push(...gating.gate.flush(tail));
    const events: RecognitionEvent[] = [];
    let run: Int16Array[] = [];
    const decodeRun = async () => {
      if (run.length === 0) return;
      const chunk = concat(...run);
      run = [];
      events.push(...this.mapEvents(await this.accept(chunk), gating.map));
    };
    for (const action of actions) {
      if (action.type === 'feed') {
        gating.map.fed(action.startSample, action.pcm.length);
        run.push(action.pcm);
        continue;
      }
      await decodeRun();
      events.push(...this.mapEvents(await this.decoder.finish(), gating.map));
    }
    await decodeRun();
    if (tail) events.push(...this.mapEvents(await this.decoder.finish(), gating.map));
    return events;
  }

  /** Decoder times (s from its first sample) → ms on the call clock, through the gap map when gated. */
  private mapEvents(events: DecoderEvent[], map?: GapMap): RecognitionEvent[] {
    const rate = this.engineRateHz;
    const toMs = (seconds: number, isEnd: boolean): number => {
      const sample = map ? map.toStream(Math.round(seconds * rate), isEnd) : seconds * rate;
      return Math.round(this.startOffsetMs + (sample / rate) * 1000);
    };
    return events.map((ev) => {
      if (ev.type === 'partial') return ev;
      const words = ev.words.map((w) => ({ word: w.word, startMs: toMs(w.startS, false), endMs: toMs(w.endS, true), confidence: w.confidence }));
      return {
        type: 'final' as const,
        text: ev.text,
        words,
        startMs: words[0]?.startMs ?? 0,
        endMs: words[words.length - 1]?.endMs ?? 0,
      };
    });
  }
}

async function openGating(engineRateHz: number, vad: VadSettings): Promise<Gating> {
  const shape = sileroWindow(engineRateHz);
  if (!shape) {
    throw new RecognitionError('EARPIECE_VAD_RATE', `Silero VAD needs an engine at 8000 or 16000 Hz (this one takes ${engineRateHz} Hz); set EARPIECE_VAD=off`);
  }
  await loadVad(vad);
  return {
    scorer: new VoiceScorer(engineRateHz),
    gate: new SpeechGate({
      windowSamples: shape.windowSamples,
      paddingSamples: Math.round((vad.paddingMs / 1000) * engineRateHz),
      threshold: vad.threshold,
    }),
    map: new GapMap(),
    pending: new Int16Array(0),
  };
}

function concat(...parts: Int16Array[]): Int16Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
