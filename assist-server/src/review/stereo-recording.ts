/**
 * Both legs of an archived call as one stereo WAV (agent left, customer right), so a reviewer
 * hears the conversation from one media element and the waveform shows each leg on its own row.
 * Built from the redacted leg recordings on first request and kept beside them
 * (`review-stereo.wav`, written to a temp name and renamed). Streams in chunks (no whole
 * recording in memory, the event loop is yielded between chunks); a leg at a lower rate is
 * resampled up; the shorter leg is padded with silence.
 */
import { existsSync } from 'node:fs';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { Resampler } from '../audio/resampler.ts';
import { pcm16WavHeader } from '../audio/wav-header.ts';
import type { RecordingRecord } from '../store/call-store.ts';

export const STEREO_RECORDING_FILE = 'review-stereo.wav';
const CHUNK_SAMPLES = 32_768;

/** The stereo file's path (built if missing), or null when the call has no agent or customer recording. */
export async function stereoRecording(archiveDir: string, recordings: RecordingRecord[]): Promise<string | null> {
  const path = join(archiveDir, STEREO_RECORDING_FILE);
  if (existsSync(path)) return path;
  const agent = recordings.find((r) => r.role === 'agent');
  const customer = recordings.find((r) => r.role === 'customer');
  if (!agent && !customer) return null;
  const legs = await Promise.all([agent, customer].map((r) => (r ? LegSource.open(r.path) : null)));
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  let out: FileHandle | undefined;
  try {
    const rate = Math.max(...legs.map((l) => l?.sampleRateHz ?? 0));
    for (const leg of legs) leg?.convertTo(rate);
    const total = Math.max(...legs.map((l) => l?.outputSamples ?? 0));
    out = await open(tmp, 'w');
    await out.write(pcm16WavHeader(rate, total * 4, 2));
    for (let done = 0; done < total; done += CHUNK_SAMPLES) {
      const n = Math.min(CHUNK_SAMPLES, total - done);
      const [left, right] = await Promise.all(legs.map((l) => (l ? l.next(n) : new Int16Array(n))));
      const frame = Buffer.alloc(n * 4);
      for (let i = 0; i < n; i++) {
        frame.writeInt16LE(left![i]!, i * 4);
        frame.writeInt16LE(right![i]!, i * 4 + 2);
      }
      await out.write(frame);
    }
    await out.close();
    out = undefined;
    await rename(tmp, path);
    return path;
  } finally {
    await out?.close();
    await rm(tmp, { force: true });
    await Promise.all(legs.map((l) => l?.close()));
  }
}

/** One leg's 16-bit mono PCM WAV, read in chunks, resampled to the output rate, exactly `outputSamples` long. */
class LegSource {
  private resampler: Resampler | null = null;
  private readAt: number;
  private readonly endAt: number;
  private pending: Int16Array<ArrayBufferLike> = new Int16Array(0);
  private produced = 0;
  private flushed = false;
  outputSamples: number;

  private constructor(
    private readonly file: FileHandle,
    readonly sampleRateHz: number,
    dataOffset: number,
    dataBytes: number,
  ) {
    this.readAt = dataOffset;
    this.endAt = dataOffset + dataBytes;
    this.outputSamples = Math.floor(dataBytes / 2);
  }

  static async open(path: string): Promise<LegSource> {
    const file = await open(path, 'r');
    try {
      const head = Buffer.alloc(4096);
      const { bytesRead } = await file.read(head, 0, head.length, 0);
      const size = (await file.stat()).size;
      if (bytesRead < 12 || head.toString('ascii', 0, 4) !== 'RIFF' || head.toString('ascii', 8, 12) !== 'WAVE') throw new Error(`${path} is not a WAV file`);
      let at = 12;
      let fmt: { format: number; channels: number; rate: number; bits: number } | undefined;
      while (at + 8 <= bytesRead) {
        const id = head.toString('ascii', at, at + 4);
        const length = head.readUInt32LE(at + 4);
        if (id === 'fmt ') fmt = { format: head.readUInt16LE(at + 8), channels: head.readUInt16LE(at + 10), rate: head.readUInt32LE(at + 12), bits: head.readUInt16LE(at + 22) };
        if (id === 'data') {
          if (!fmt || fmt.format !== 1 || fmt.channels !== 1 || fmt.bits !== 16) throw new Error(`${path} is not 16-bit mono PCM`);
          return new LegSource(file, fmt.rate, at + 8, Math.min(length, size - at - 8));
        }
        at += 8 + length + (length % 2);
      }
      throw new Error(`${path} has no data chunk in its first 4 KiB`);
    } catch (err) {
      await file.close();
      throw err;
    }
  }

  convertTo(rate: number): void {
    if (rate === this.sampleRateHz) return;
    this.resampler = new Resampler(this.sampleRateHz, rate);
    this.outputSamples = Math.round((this.outputSamples * rate) / this.sampleRateHz);
  }

  /** The next `n` output samples (silence past the end). */
  async next(n: number): Promise<Int16Array> {
    const out = new Int16Array(n);
    let filled = 0;
    while (filled < n && this.produced < this.outputSamples) {
      if (this.pending.length === 0 && !(await this.refill())) break;
      const take = Math.min(n - filled, this.pending.length, this.outputSamples - this.produced);
      out.set(this.pending.subarray(0, take), filled);
      this.pending = this.pending.subarray(take);
      filled += take;
      this.produced += take;
    }
    return out;
  }

  private async refill(): Promise<boolean> {
    if (this.readAt < this.endAt) {
      const bytes = Math.min(CHUNK_SAMPLES * 2, this.endAt - this.readAt) & ~1;
      const buf = Buffer.alloc(bytes);
      const { bytesRead } = await this.file.read(buf, 0, bytes, this.readAt);
      if (bytesRead < 2) {
        this.readAt = this.endAt;
        return this.refill();
      }
      this.readAt += bytesRead;
      const pcm = new Int16Array(bytesRead >> 1);
      for (let i = 0; i < pcm.length; i++) pcm[i] = buf.readInt16LE(i * 2);
      this.pending = this.resampler ? this.resampler.process(pcm) : pcm;
      return true;
    }
    if (this.resampler && !this.flushed) {
      this.flushed = true;
      this.pending = this.resampler.flush();
      return this.pending.length > 0;
    }
    return false;
  }

  close(): Promise<void> {
    return this.file.close();
  }
}
