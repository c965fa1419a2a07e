/**
 * The Asterisk side of an AudioSocket, for tests and the simulate tool: connects over TCP,
 * sends UUID / auth / slin / DTMF / hangup frames, and records what the server sends back
 * (error frames) and when it closes.
 */
import { connect, type Socket } from 'node:net';
import { AudioSocketParser, encodeAudio, encodeAuth, encodeDtmf, encodeHangup, encodeUuid, type AudioSocketFrame } from './framing.ts';

export class AudioSocketClient {
  readonly received: AudioSocketFrame[] = [];
  /** Resolves when the server has closed the connection (or it broke). */
  readonly closed: Promise<void>;
  #parser = new AudioSocketParser();

  private constructor(readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.received.push(...this.#parser.push(chunk).frames));
    socket.on('error', () => {});
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
  }

  static connect(port: number, host = '127.0.0.1'): Promise<AudioSocketClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host }, () => {
        socket.off('error', reject);
        resolve(new AudioSocketClient(socket));
      });
      socket.once('error', reject);
    });
  }

  /** Error frames the server sent: `{ code, detail }` (detail = the EARPIECE_* code). */
  get errors(): Array<{ code: number; detail: string }> {
    return this.received.flatMap((f) => (f.kind === 'error' ? [{ code: f.code, detail: f.detail }] : []));
  }

  write(bytes: Uint8Array): boolean {
    if (this.socket.destroyed || this.socket.writableEnded) return false;
    return this.socket.write(bytes);
  }

  uuid(uuid: string): boolean {
    return this.write(encodeUuid(uuid));
  }

  auth(secret: string): boolean {
    return this.write(encodeAuth(secret));
  }

  dtmf(digit: string): boolean {
    return this.write(encodeDtmf(digit));
  }

  audio(pcm: Int16Array, sampleRateHz = 8000): boolean {
    return this.write(encodeAudio(pcm, sampleRateHz));
  }

  /**
   * Sends `pcm` as 20 ms frames. `everyFrames`/`pauseMs`: after that many frames, wait that long
   * (paced "quickly but in order"); waits for drain when the socket buffer is full.
   */
  async stream(pcm: Int16Array, sampleRateHz: number, pace: { everyFrames?: number; pauseMs?: number } = {}): Promise<number> {
    const frame = sampleRateHz / 50;
    let frames = 0;
    for (let at = 0; at < pcm.length; at += frame) {
      if (!this.audio(pcm.subarray(at, at + frame), sampleRateHz)) {
        if (this.socket.destroyed || this.socket.writableEnded) return frames;
        await new Promise<void>((resolve) => this.socket.once('drain', () => resolve()));
      }
      frames++;
      if (pace.everyFrames && frames % pace.everyFrames === 0) await new Promise((r) => setTimeout(r, pace.pauseMs ?? 0));
    }
    return frames;
  }

  /** Sends the hangup frame and closes our side. */
  hangup(): Promise<void> {
    if (!this.socket.destroyed && !this.socket.writableEnded) this.socket.end(encodeHangup());
    return this.closed;
  }

  /** Closes without a hangup frame (Asterisk may just close). */
  end(): Promise<void> {
    if (!this.socket.destroyed && !this.socket.writableEnded) this.socket.end();
    return this.closed;
  }
}
