/**
 * Decides, window by window, which audio a recognizer sees: speech, `padding` before it and
 * `padding` after it; longer silences are skipped. When the gate closes the recognizer's
 * utterance is ended (a `gap`), so the decoder never joins words across audio it did not hear and
 * its final comes `padding` after the speech (about when an ungated endpointer would fire).
 *
 *   closed ──p ≥ threshold──▶ open (feeds the held pre-roll, then every window)
 *   open ──padding of windows with p < threshold − 0.15──▶ closed + gap (holds the newest `padding`)
 *
 * Positions are samples of the gated stream (the call clock at the recognizer's rate).
 */
export type GateAction = { type: 'feed'; pcm: Int16Array; startSample: number } | { type: 'gap' };

export interface SpeechGateOptions {
  windowSamples: number;
  paddingSamples: number;
  threshold: number;
}

/** Silero's own hysteresis (VADIterator): speech ends only below threshold − 0.15. */
const HYSTERESIS = 0.15;

export class SpeechGate {
  private open = false;
  /** Start of the next window. */
  private position = 0;
  /** Closed: the newest windows, kept as pre-roll. */
  private held: Array<{ pcm: Int16Array; startSample: number }> = [];
  private heldSamples = 0;
  /** Open: consecutive non-speech samples. */
  private quietSamples = 0;
  private readonly negThreshold: number;

  constructor(private readonly options: SpeechGateOptions) {
    this.negThreshold = Math.max(0, options.threshold - HYSTERESIS);
  }

  get isOpen(): boolean {
    return this.open;
  }

  /** One window of `windowSamples` (the last may be shorter) and its speech probability. */
  push(pcm: Int16Array, probability: number): GateAction[] {
    const actions: GateAction[] = [];
    const startSample = this.position;
    this.position += pcm.length;
    if (this.open) {
      this.feed(actions, pcm, startSample);
      if (probability >= this.options.threshold) this.quietSamples = 0;
      else if (probability < this.negThreshold) this.quietSamples += pcm.length;
      if (this.quietSamples > 0 && this.quietSamples >= this.options.paddingSamples) {
        this.open = false;
        this.quietSamples = 0;
        actions.push({ type: 'gap' });
      }
      return actions;
    }
    this.held.push({ pcm, startSample });
    this.heldSamples += pcm.length;
    if (probability >= this.options.threshold) {
      this.open = true;
      this.quietSamples = 0;
      for (const w of this.held) this.feed(actions, w.pcm, w.startSample);
      this.held = [];
      this.heldSamples = 0;
      return actions;
    }
    // skipped: the oldest held window once the rest still cover the padding
    while (this.held.length && this.heldSamples - this.held[0]!.pcm.length >= this.options.paddingSamples) this.heldSamples -= this.held.shift()!.pcm.length;
    return actions;
  }

  /** End of stream: a trailing part-window is fed if speech is still open. */
  flush(tail: Int16Array): GateAction[] {
    const actions: GateAction[] = [];
    if (tail.length && this.open) this.feed(actions, tail, this.position);
    this.position += tail.length;
    return actions;
  }

  private feed(actions: GateAction[], pcm: Int16Array, startSample: number): void {
    actions.push({ type: 'feed', pcm, startSample });
  }
}
