/**
 * One PocketSphinx decoder (one `ps_decoder_t`) driven as a streaming recognizer, mirroring
 * `pocketsphinx_continuous -infile`: audio goes in blocks of at most 2048 samples; the built-in
 * VAD (`ps_get_in_speech`) opens an utterance and, when it leaves speech, the utterance is ended
 * and its lattice best path becomes a final. Partials are the mid-utterance fwdtree hypothesis.
 *
 * Utterances are cut at 30 s of speech: a mid-utterance `ps_get_hyp` can otherwise hit an
 * assertion (abort()) in 5prealpha's ngram_search_find_exit; `-latsize 262144` is the other half
 * of that fix (set by the engine).
 */
import type { Logger } from 'pino';
import { RecognitionError, type DecoderEvent, type EngineDecoder } from '../recognizer.ts';
import type { LibPocketSphinx, NativePointer } from './libpocketsphinx.ts';
import { SerialQueue } from '../serial-queue.ts';

/** The decoder's rate and frame rate (`-samprate 16000`, `-frate 100`). */
const SAMPLE_RATE_HZ = 16000;
const FRAMES_PER_SECOND = 100;
/** Same block size as the CLI's `fread(adbuf, 2, 2048, ...)`. */
const MAX_BLOCK_SAMPLES = 2048;
export const MAX_UTTERANCE_SECONDS = 30;

type FinalEvent = Extract<DecoderEvent, { type: 'final' }>;
type FinalWord = FinalEvent['words'][number];

export class PocketSphinxDecoder implements EngineDecoder {
  /** An utterance is open in the decoder (ps_start_utt called, ps_end_utt not yet). */
  private uttOpen = false;
  /** The VAD has seen speech in the open utterance. */
  private uttStarted = false;
  /** Samples fed since the VAD saw speech in this utterance. */
  private uttSamples = 0;
  private lastPartial = '';
  private readonly queue = new SerialQueue();
  private ps: NativePointer | null;

  constructor(
    private readonly lib: LibPocketSphinx,
    ps: NativePointer,
    private readonly config: NativePointer,
    readonly id: string,
    private readonly logger?: Logger,
  ) {
    this.ps = ps;
  }

  accept(pcm: Int16Array): Promise<DecoderEvent[]> {
    return this.queue.run(() => this.acceptNow(pcm));
  }

  finish(): Promise<DecoderEvent[]> {
    return this.queue.run(async () => {
      const ps = this.live();
      const events: DecoderEvent[] = [];
      if (this.uttOpen) {
        const final = await this.endUtterance(ps);
        if (final) events.push(final);
      }
      return events;
    });
  }

  free(): Promise<void> {
    return this.queue.run(async () => {
      const ps = this.ps;
      if (!ps) return;
      this.ps = null;
      await this.lib.free(ps);
      this.lib.freeConfig(this.config);
      this.logger?.debug({ decoder: this.id }, 'pocketsphinx decoder freed');
    });
  }

  private async acceptNow(pcm: Int16Array): Promise<DecoderEvent[]> {
    const ps = this.live();
    const events: DecoderEvent[] = [];
    for (let at = 0; at < pcm.length; at += MAX_BLOCK_SAMPLES) {
      const block = pcm.subarray(at, Math.min(pcm.length, at + MAX_BLOCK_SAMPLES));
      if (!this.uttOpen) this.startUtterance(ps);
      const frames = await this.lib.processRaw(ps, block);
      if (frames < 0) throw new RecognitionError('EARPIECE_ASR_DECODE_FAILED', `ps_process_raw failed (${frames}) on decoder ${this.id}`);
      const inSpeech = this.lib.inSpeech(ps);
      if (inSpeech) {
        this.uttStarted = true;
        this.uttSamples += block.length;
      }
      const endpoint = !inSpeech && this.uttStarted;
      const tooLong = inSpeech && this.uttSamples >= MAX_UTTERANCE_SECONDS * SAMPLE_RATE_HZ;
      if (endpoint || tooLong) {
        if (tooLong) this.logger?.debug({ decoder: this.id }, 'pocketsphinx utterance cut at the length limit');
        const final = await this.endUtterance(ps);
        if (final) events.push(final);
      }
    }
    if (this.uttOpen && this.uttStarted && this.lib.inSpeech(ps)) {
      const text = (this.lib.hyp(ps) ?? '').trim();
      if (text && text !== this.lastPartial) {
        this.lastPartial = text;
        events.push({ type: 'partial', text });
      }
    }
    return events;
  }

  private startUtterance(ps: NativePointer): void {
    const rc = this.lib.startUtt(ps);
    if (rc < 0) throw new RecognitionError('EARPIECE_ASR_DECODE_FAILED', `ps_start_utt failed (${rc}) on decoder ${this.id}`);
    this.uttOpen = true;
    this.uttStarted = false;
    this.uttSamples = 0;
    this.lastPartial = '';
  }

  /** ps_end_utt; the final when the VAD had seen speech and the best path has words. */
  private async endUtterance(ps: NativePointer): Promise<FinalEvent | null> {
    const hadSpeech = this.uttStarted;
    this.uttOpen = false;
    this.uttStarted = false;
    this.uttSamples = 0;
    this.lastPartial = '';
    const rc = await this.lib.endUtt(ps);
    if (rc < 0) throw new RecognitionError('EARPIECE_ASR_DECODE_FAILED', `ps_end_utt failed (${rc}) on decoder ${this.id}`);
    if (!hadSpeech) return null;
    const hyp = (await this.lib.hypAsync(ps)) ?? '';
    if (!hyp.trim()) return null;
    const words = await this.segments(ps);
    if (words.length === 0) return null;
    this.logger?.debug({ decoder: this.id, words: words.length }, 'pocketsphinx final');
    return { type: 'final', text: words.map((w) => w.word).join(' '), words };
  }

  /** The best path's words: pronunciation markers stripped, fillers and silences dropped. */
  private async segments(ps: NativePointer): Promise<FinalWord[]> {
    const words: FinalWord[] = [];
    for (let seg = await this.lib.segIter(ps); seg; seg = this.lib.segNext(seg)) {
      const word = cleanWord(this.lib.segWord(seg));
      if (!word) continue;
      const { startFrame, endFrame } = this.lib.segFrames(seg);
      words.push({
        word,
        startS: startFrame / FRAMES_PER_SECOND,
        endS: (endFrame + 1) / FRAMES_PER_SECOND,
        confidence: this.lib.segProbability(ps, seg),
      });
    }
    return words;
  }

  private live(): NativePointer {
    if (!this.ps) throw new RecognitionError('EARPIECE_ASR_DECODER_FREED', `decoder ${this.id} was used after free()`);
    return this.ps;
  }

}

/** `for(2)` → `for`; `<s>`, `</s>`, `<sil>`, `[NOISE]`, `++GARBAGE++` → '' (not a word). */
export function cleanWord(raw: string): string {
  const word = raw.replace(/\(\d+\)$/, '').trim();
  if (!word || /^<.*>$/.test(word) || /^\[.*\]$/.test(word) || /^\+\+.*\+\+$/.test(word)) return '';
  return word;
}
