/**
 * One live call: owns a recognizer and a recorder per leg, runs every transcript through the
 * masking stage, numbers the resulting events and hands them to the sink (push + store).
 *
 *   AudioFrame ─▶ LegRecorder (settled audio ─▶ AudioRedactor ─▶ spool)
 *              └▶ RecognitionStream (off the loop) ─▶ masker ─▶ CallEvent ─▶ sink
 *                                                        └▶ entity times ─▶ AudioRedactor
 *
 * Audio is settled (written) only once the recognizer has finalized every utterance over it, so
 * each PII span is known before its audio reaches the disk. Audio forced out undecided (the
 * recorder's memory bound, when recognition falls far behind) is written as redaction fill.
 */
import { join } from 'node:path';
import type { Logger } from 'pino';
import { AudioRedactor, type RedactionFill } from '../analyzers/pii-masker/audio-redactor.ts';
import { CallAnalysis } from '../analyzers/live/call-analysis.ts';
import type { LiveAnalyzerFactory } from '../analyzers/live/live-analyzer.ts';
import type { EmotionTrackerOptions } from '../analyzers/live/emotion-tracker.ts';
import type { NluClient } from '../analyzers/nlu-client.ts';
import type { TranscriptMasker } from '../analyzers/pii-masker/transcript-masker.ts';
import {
  AGENT_UI_PROTOCOL_VERSION,
  type AudioFrame,
  type CallEvent,
  type CallSnapshotEvent,
  type CallStartMessage,
  type CallSummary,
  type FinalUtterance,
  type LegRole,
} from '../protocol/index.ts';
import { RecognitionStream } from '../recognition/recognition-stream.ts';
import type { RecognitionEvent, SpeechEngine } from '../recognition/recognizer.ts';
import type { VadSettings } from '../recognition/vad/vad-settings.ts';
import { LegRecorder, type SettleReason } from './leg-recorder.ts';
import { OriginalAudioVault, originalAudioPath } from './original-audio-vault.ts';
import { ReceiveClock } from './receive-clock.ts';
import { spoolPaths, writeLegSpoolState, type LegSpoolState } from './spool-state.ts';

/** Audio this far behind the newest, with no utterance open, is settled (and so acknowledged). */
const SILENCE_SETTLE_MARGIN_MS = 2000;
const SILENCE_SETTLE_EVERY_MS = 500;

/** What a restarted server knows of a call it resumes: from the store and the spool. */
export interface CallResume {
  /** Last event seq sent for the call; new events continue after it. */
  seq: number;
  finals: FinalUtterance[];
  legs: Partial<Record<LegRole, LegSpoolState>>;
}

export type DurableListener = (role: LegRole, durableSeq: number) => void;

/** Timing the sink may use for latency metrics; never sent on the wire. */
export interface EventTiming {
  /** Wall time the audio that produced this event was received. */
  sourceReceivedAtMs?: number;
}

export interface CallEventSink {
  onCallEvent(event: CallEvent, session: CallSession, timing: EventTiming): void;
}

export interface RedactionOptions {
  marginMs: number;
  fill: RedactionFill;
  /** Set: unredacted audio is also kept, encrypted with this key (site opt-in). */
  originalAudioKey?: Buffer | undefined;
}

/** PII keyed on the phone pad is in the audio too (in-band tones): this much around each digit is redacted. */
const DTMF_REDACT_BEFORE_MS = 100;
const DTMF_REDACT_AFTER_MS = 400;

export interface CallSessionOptions {
  start: CallStartMessage;
  engine: SpeechEngine;
  /** Voice-activity gating of each leg before recognition (absent: off). */
  vad?: VadSettings | undefined;
  /** Audio gathered per decoder call, ms (EARPIECE_RECOGNIZER_BATCH_MS); default 0, every frame on its own. */
  recognizerBatchMs?: number | undefined;
  masker: TranscriptMasker;
  sink: CallEventSink;
  spoolDir: string;
  redaction: RedactionOptions;
  /** Intent and emotion models; without them the call is transcribed and masked only. */
  nlu?: NluClient | undefined;
  emotion?: EmotionTrackerOptions;
  /** Live analyzers (suggestions, compliance, advice), one instance each per call. */
  analyzers?: LiveAnalyzerFactory[] | undefined;
  /** Stable keyed hash of a caller number, for finding the caller's earlier calls (never the number). */
  callerKey?: ((callerNumber: string) => string | null) | undefined;
  logger: Logger;
  now?: () => number;
  /** Resume a call this server (or another) had started: continue its spool, seq and transcript. */
  resume?: CallResume | undefined;
}

interface LegState {
  role: LegRole;
  sampleRateHz: number;
  stream: RecognitionStream;
  recorder: LegRecorder;
  redactor: AudioRedactor;
  vault: OriginalAudioVault | undefined;
  /** Leg time up to which the recognizer has decided (finals or silence): audio beyond it may hold undetected PII. */
  decidedUntilMs: number;
  nextSeq: number;
  utteranceNo: number;
  partial: { utteranceId: string; text: string; startMs: number } | undefined;
  /** Resolves when every write so far has been handled. */
  pending: Promise<void>;
  clock: ReceiveClock;
  /** Received frames whose audio is not all in the spool yet: (seq, end sample), in order. */
  unsettled: Array<{ seq: number; endSample: number }>;
  /** Highest seq whose audio is in the spool. */
  durableSeq: number;
  lastSilenceSettleMs: number;
}

export type FrameResult = 'accepted' | 'duplicate' | 'unknown-leg' | 'ended';

export class CallSession {
  readonly callId: string;
  readonly summary: CallSummary;
  private readonly legs = new Map<LegRole, LegState>();
  private readonly finals: FinalUtterance[] = [];
  private seq = 0;
  private ended = false;
  /** Taken over by another node (cluster/): nothing more is emitted or written here. */
  private abandoned = false;
  private held = false;
  private endedEvent: CallEvent | undefined;
  private durableListener: DurableListener | undefined;
  /** Distinguishes utterance ids of a resumed session from those stored before the restart. */
  private epoch = 0;
  private readonly now: () => number;
  private readonly log: Logger;
  private readonly analysis: CallAnalysis;

  private constructor(private readonly options: CallSessionOptions) {
    const { start } = options;
    this.callId = start.callId;
    this.now = options.now ?? Date.now;
    this.log = options.logger.child({ callId: start.callId });
    this.summary = {
      callId: start.callId,
      agentId: start.agentId,
      callerNumber: options.masker.maskCallerNumber(start.callerNumber),
      startedAtMs: start.startedAtMs,
      legs: start.legs.map((l) => l.role),
      source: start.source,
    };
    const number = start.callerNumber?.trim();
    this.analysis = new CallAnalysis(
      { call: this.summary, callerKey: number && options.callerKey ? options.callerKey(number) : null },
      (body) => !this.endedEvent && this.emit(body, {}),
      this.log,
      { nlu: options.nlu, emotion: options.emotion, analyzers: options.analyzers },
    );
  }

  static async open(options: CallSessionOptions): Promise<CallSession> {
    const session = new CallSession(options);
    const { resume } = options;
    if (resume) {
      session.seq = resume.seq;
      session.epoch = resume.seq;
      session.finals.push(...resume.finals);
    }
    // The legs' recognizers load at once (decoder and VAD loads run off the loop): a new or taken-over call is ready sooner.
    const streams = await Promise.all(
      options.start.legs.map((spec) =>
        RecognitionStream.open(options.engine, {
          inputSampleRateHz: spec.sampleRateHz,
          startOffsetMs: ((resume?.legs[spec.role]?.settledSamples ?? 0) / spec.sampleRateHz) * 1000,
          vad: options.vad,
          batchMs: options.recognizerBatchMs,
        }),
      ),
    );
    for (const [i, spec] of options.start.legs.entries()) {
      const spooled = resume?.legs[spec.role];
      const existingSamples = spooled?.settledSamples ?? 0;
      const stream = streams[i]!;
      const durableSeq = spooled?.durableSeq ?? -1;
      const spoolPath = spoolPaths(options.spoolDir, spec.role).pcm;
      const { originalAudioKey } = options.redaction;
      const leg: LegState = {
        role: spec.role,
        sampleRateHz: spec.sampleRateHz,
        stream,
        // The recorder reports back to its leg; it calls these only after construction.
        recorder: new LegRecorder({
          spoolPath,
          sampleRateHz: spec.sampleRateHz,
          existingSamples,
          beforeWrite: (pcm, startSample, reason) => session.redact(leg, pcm, startSample, reason),
          onSettled: (settled) => session.onSettled(leg, settled),
          onWriteError: (err) => session.log.error({ role: spec.role, code: (err as NodeJS.ErrnoException).code, err: err.message }, 'cannot write the call recording (is the data directory full?): its audio is held in memory, unacknowledged, and written once space is back'),
          onAudioLost: (lostMs) => session.log.error({ role: spec.role, lostMs: Math.round(lostMs) }, 'call audio lost: the data directory stayed full past the audio a leg may hold in memory (the lost span is silence in the recording, or missing from its end if the call ended first)'),
        }),
        redactor: new AudioRedactor({ sampleRateHz: spec.sampleRateHz, marginMs: options.redaction.marginMs, fill: options.redaction.fill }),
        vault: originalAudioKey ? new OriginalAudioVault(originalAudioPath(spoolPath), originalAudioKey) : undefined,
        decidedUntilMs: (existingSamples / spec.sampleRateHz) * 1000,
        nextSeq: durableSeq + 1,
        utteranceNo: 0,
        partial: undefined,
        pending: Promise.resolve(),
        clock: new ReceiveClock(),
        unsettled: [],
        durableSeq,
        lastSilenceSettleMs: 0,
      };
      session.legs.set(spec.role, leg);
    }
    // A resumed call announces itself again with the next seq; agents ask for a snapshot to catch up.
    session.emit({ type: 'call.started', call: session.summary }, {});
    return session;
  }

  /** Called with each leg's newest durable seq (audio in the spool): the ingest route acknowledges it. */
  onDurable(listener: DurableListener | undefined): void {
    this.durableListener = listener;
  }

  get agentId(): string {
    return this.summary.agentId;
  }

  /** Next expected seq per leg (for a reconnecting bridge). */
  nextSeq(): Record<string, number> {
    return Object.fromEntries([...this.legs.values()].map((l) => [l.role, l.nextSeq]));
  }

  acceptFrame(frame: AudioFrame, receivedAtMs = this.now()): FrameResult {
    if (this.ended) return 'ended';
    const leg = this.legs.get(frame.role);
    if (!leg) return 'unknown-leg';
    if (frame.seq < leg.nextSeq) return 'duplicate';
    if (frame.seq > leg.nextSeq) this.log.warn({ role: leg.role, expected: leg.nextSeq, got: frame.seq }, 'audio frames missing from the bridge');
    leg.nextSeq = frame.seq + 1;
    leg.unsettled.push({ seq: frame.seq, endSample: frame.offsetSamples + frame.pcm.length });
    leg.recorder.append(frame.pcm, frame.offsetSamples);
    if (frame.offsetSamples + frame.pcm.length <= leg.recorder.settledSampleCount) this.onSettled(leg, leg.recorder.settledSampleCount);
    const endMs = ((frame.offsetSamples + frame.pcm.length) / leg.sampleRateHz) * 1000;
    leg.clock.mark(endMs, receivedAtMs);
    this.analysis.onAudio(leg.role, frame.pcm, leg.sampleRateHz, endMs);
    // A partial answers the whole batch it came from: its latency counts from the batch's first frame.
    const written = leg.stream.write(frame.pcm, receivedAtMs);
    const batchReceivedAtMs = leg.stream.lastBatchReceivedAtMs ?? receivedAtMs;
    leg.pending = leg.pending.then(() =>
      written.then(
        (events) => this.handleRecognition(leg, events, batchReceivedAtMs),
        (err: Error) => this.log.error({ role: leg.role, err: err.message }, 'recognition failed for a frame'),
      ),
    );
    return 'accepted';
  }

  /** A keypad digit on a leg; only its masked form leaves the session. */
  dtmf(role: LegRole, digit: string, offsetMs: number): void {
    const leg = this.legs.get(role);
    if (this.ended || !leg) return;
    leg.redactor.add(offsetMs - DTMF_REDACT_BEFORE_MS, offsetMs + DTMF_REDACT_AFTER_MS);
    this.emit({ type: 'dtmf', role, digit: this.options.masker.maskDtmf(role, digit), offsetMs: Math.round(offsetMs) }, {});
    this.analysis.onDtmf(role, offsetMs);
  }

  /** Hold and resume: reported to the agent, never treated as a hang-up. Repeats are ignored. */
  hold(held: boolean): void {
    if (this.ended || held === this.held) return;
    this.held = held;
    this.emit({ type: 'call.hold', held }, {});
    this.analysis.onHold(held);
  }

  /** Flushes recognizers (the last words before hang-up), closes recorders, emits call.ended. */
  async stop(reason: string): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await Promise.all(
      [...this.legs.values()].map(async (leg) => {
        await leg.pending;
        try {
          this.handleRecognition(leg, await leg.stream.flush(), this.now());
        } catch (err) {
          this.log.error({ role: leg.role, err: (err as Error).message }, 'recognizer flush failed');
        }
        await leg.stream.close();
        leg.decidedUntilMs = Infinity; // the flush decided everything
        leg.recorder.close();
        leg.vault?.close();
      }),
    );
    await this.analysis.end();
    const durationMs = Math.max(0, ...[...this.legs.values()].map((l) => l.recorder.durationMs));
    this.endedEvent = this.emit({ type: 'call.ended', reason, durationMs: Math.round(durationMs) }, {});
  }

  /**
   * Another node owns the call now: stop at once without ending it: no flush, no more events, no
   * spool writes (the new owner continues the spool from what is settled).
   */
  abandon(): void {
    if (this.abandoned) return;
    this.abandoned = this.ended = true;
    for (const leg of this.legs.values()) {
      leg.recorder.abandon();
      leg.vault?.close();
      void leg.pending.then(() => leg.stream.close()).catch(() => undefined);
    }
    // Analyzers are not ended: their end writes the call's outcome and missed checks, which the new owner does.
  }

  /** Recorded spool files and durations, for the archive job. */
  recordings(): Array<{ role: LegRole; spoolPath: string; sampleRateHz: number; durationMs: number }> {
    return [...this.legs.values()].map((l) => ({
      role: l.role,
      spoolPath: l.recorder.spoolPath,
      sampleRateHz: l.sampleRateHz,
      durationMs: l.recorder.durationMs,
    }));
  }

  snapshot(): CallSnapshotEvent {
    return {
      v: AGENT_UI_PROTOCOL_VERSION,
      type: 'call.snapshot',
      callId: this.callId,
      seq: this.seq,
      atMs: this.now(),
      call: this.summary,
      finals: [...this.finals],
      partials: [...this.legs.values()].flatMap((l) => (l.partial ? [{ role: l.role, ...l.partial }] : [])),
      ended: this.endedEvent !== undefined,
      held: this.held,
      ...this.analysis.snapshot(),
    };
  }

  /** Runs on each chunk just before the recorder writes it: PII spans and undecided audio become fill. */
  private redact(leg: LegState, pcm: Int16Array, startSample: number, reason: SettleReason): void {
    leg.vault?.append(pcm, startSample);
    leg.redactor.apply(pcm, startSample);
    if (reason !== 'overflow') return;
    const decided = Math.ceil((leg.decidedUntilMs / 1000) * leg.sampleRateHz);
    const undecided = leg.redactor.fill(pcm, startSample, Math.max(decided, startSample), startSample + pcm.length);
    if (undecided > 0) {
      this.log.warn({ role: leg.role, ms: Math.round((undecided / leg.sampleRateHz) * 1000) }, 'recognition fell too far behind: audio it had not finalized was recorded as redaction fill');
    }
  }

  private onSettled(leg: LegState, settledSamples: number): void {
    let durable = leg.durableSeq;
    while (leg.unsettled.length && leg.unsettled[0]!.endSample <= settledSamples) durable = leg.unsettled.shift()!.seq;
    if (durable === leg.durableSeq) return;
    leg.durableSeq = durable;
    try {
      writeLegSpoolState(this.options.spoolDir, leg.role, { durableSeq: durable, settledSamples });
    } catch (err) {
      this.log.error({ role: leg.role, err: (err as Error).message }, 'cannot write spool state');
      return; // not durable after all: do not acknowledge
    }
    this.durableListener?.(leg.role, durable);
  }

  private handleRecognition(leg: LegState, events: RecognitionEvent[], receivedAtMs: number): void {
    if (this.abandoned) return;
    this.handleEvents(leg, events, receivedAtMs);
    // While no utterance is open, audio well behind what the recognizer has dealt with is silence or
    // settled speech: settle it. (Not behind what was written: under load the decoder runs late, and
    // audio it has not heard yet may hold words to redact.)
    const processedMs = leg.stream.processedMs;
    if (!leg.partial && !this.ended && processedMs - leg.lastSilenceSettleMs >= SILENCE_SETTLE_EVERY_MS) {
      leg.lastSilenceSettleMs = processedMs;
      leg.decidedUntilMs = Math.max(leg.decidedUntilMs, processedMs - SILENCE_SETTLE_MARGIN_MS);
      leg.recorder.settle(processedMs - SILENCE_SETTLE_MARGIN_MS);
    }
  }

  private handleEvents(leg: LegState, events: RecognitionEvent[], receivedAtMs: number): void {
    for (const ev of events) {
      const utteranceId = `${this.callId}:${leg.role}:${this.epoch ? `${this.epoch}.` : ''}${leg.utteranceNo}`;
      if (ev.type === 'partial') {
        const text = this.options.masker.maskPartial(leg.role, ev.text);
        const startMs = leg.partial?.startMs ?? Math.round(leg.stream.writtenMs);
        leg.partial = { utteranceId, text, startMs };
        this.emit({ type: 'transcript.partial', utteranceId, role: leg.role, text, startMs }, { sourceReceivedAtMs: receivedAtMs });
        this.analysis.onPartial(leg.role, utteranceId, text, startMs);
        continue;
      }
      leg.partial = undefined;
      leg.utteranceNo += 1;
      if (!ev.text.trim()) continue;
      const masked = this.options.masker.maskFinal(leg.role, ev.text, ev.words);
      const utterance: FinalUtterance = {
        utteranceId,
        role: leg.role,
        text: masked.text,
        startMs: ev.startMs,
        endMs: ev.endMs,
        words: masked.words,
        entities: masked.entities,
      };
      this.finals.push(utterance);
      for (const e of masked.entities) leg.redactor.add(e.startMs, e.endMs);
      // the utterance's audio for acoustic cues, read before settling writes it out
      const audio = leg.role === 'customer' ? leg.recorder.peek(ev.startMs, ev.endMs) : undefined;
      leg.decidedUntilMs = Math.max(leg.decidedUntilMs, ev.endMs);
      leg.recorder.settle(ev.endMs);
      this.emit({ type: 'transcript.final', ...utterance }, { sourceReceivedAtMs: leg.clock.receivedAt(ev.endMs) ?? receivedAtMs });
      this.analysis.onFinal(utterance, audio && { pcm: audio.pcm, sampleRateHz: leg.sampleRateHz, pcmStartMs: audio.startMs });
    }
  }

  private emit<E extends DistributiveOmit<CallEvent, 'v' | 'callId' | 'seq' | 'atMs'>>(body: E, timing: EventTiming): CallEvent {
    const event = { v: AGENT_UI_PROTOCOL_VERSION, callId: this.callId, seq: ++this.seq, atMs: this.now(), ...body } as CallEvent;
    if (this.abandoned) return event;
    try {
      this.options.sink.onCallEvent(event, this, timing);
    } catch (err) {
      this.log.error({ err: (err as Error).message, type: event.type }, 'call event sink failed');
    }
    return event;
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
