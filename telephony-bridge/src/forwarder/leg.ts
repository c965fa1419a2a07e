/** One leg's sending state inside IngestClient: seq and sample clock, acks, resend buffer, counters. */
import type { LegRole } from '@earpiece/assist-server/protocol';
import type { BufferedFrame, ResendBuffer } from './resend-buffer.ts';

export interface LegStats {
  /** Frames queued so far (the next seq). */
  framesQueued: number;
  /** Frames written to a socket at least once. */
  framesSent: number;
  /** Writes after the first (resends after reconnects). */
  framesResent: number;
  /** Highest seq the server acknowledged (-1: none). */
  ackedSeq: number;
  /** Frames held for resending. */
  unacked: number;
  /** Frames dropped from the resend buffer past its bound before being acknowledged. */
  dropped: number;
  /** Frames the server asked for after a reconnect that had already been dropped. */
  lost: number;
}

export class Leg {
  nextSeq = 0;
  /** End of the last queued frame on the leg's clock, in samples. */
  clockSamples = 0;
  #highestWritten = -1;
  #ackedSeq = -1;
  #framesResent = 0;
  #lost = 0;

  constructor(
    readonly role: LegRole,
    readonly sampleRateHz: number,
    readonly buffer: ResendBuffer,
  ) {}

  onAck(seq: number): void {
    if (seq > this.#ackedSeq) this.#ackedSeq = seq;
    this.buffer.ack(seq);
  }

  /** The server expects `serverNext` next: releases what it has, returns what to (re)send, oldest first. */
  onAccepted(serverNext: number): BufferedFrame[] {
    if (serverNext > 0) this.onAck(serverNext - 1);
    const firstHeld = this.buffer.firstSeq ?? this.nextSeq;
    if (serverNext < firstHeld) this.#lost += firstHeld - serverNext;
    return this.buffer.from(serverNext);
  }

  /** Records a write; returns true when it was a resend. */
  markWritten(seq: number): boolean {
    if (seq <= this.#highestWritten) {
      this.#framesResent++;
      return true;
    }
    this.#highestWritten = seq;
    return false;
  }

  stats(): LegStats {
    return {
      framesQueued: this.nextSeq,
      framesSent: this.#highestWritten + 1,
      framesResent: this.#framesResent,
      ackedSeq: this.#ackedSeq,
      unacked: this.buffer.size,
      dropped: this.buffer.dropped,
      lost: this.#lost,
    };
  }
}
