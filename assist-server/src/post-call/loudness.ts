/**
 * Average loudness of a leg's recording in dBFS: the RMS over its voiced 20 ms frames (frames below
 * -60 dBFS, silence and the redaction fill's quiet parts, are left out so pauses do not pull the
 * average down), streamed from the 16-bit mono WAV the archive writes (no whole recording in memory).
 */
import { createReadStream } from 'node:fs';

export const GATE_DBFS = -60;
const FULL_SCALE = 32768;

export async function averageLoudnessDbfs(wavPath: string, sampleRateHz: number, headerBytes = 44): Promise<number | null> {
  const frame = Math.max(1, Math.round(sampleRateHz * 0.02));
  const gate = (FULL_SCALE * 10 ** (GATE_DBFS / 20)) ** 2 * frame;
  let sum = 0; // energy of the current frame
  let n = 0; // samples in the current frame
  let voicedEnergy = 0;
  let voicedSamples = 0;
  let carry: Buffer | null = null;
  for await (const chunk of createReadStream(wavPath, { start: headerBytes, highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    const buf: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
    const usable = buf.length - (buf.length % 2);
    carry = usable < buf.length ? buf.subarray(usable) : null;
    // Little-endian hosts (x86, ARM) read the samples through a typed view; an odd offset takes a copy.
    const samples = buf.byteOffset % 2 === 0 ? new Int16Array(buf.buffer, buf.byteOffset, usable / 2) : new Int16Array(alignedCopy(buf, usable).buffer);
    for (let i = 0; i < samples.length; i++) {
      const s = samples[i]!;
      sum += s * s;
      if (++n === frame) {
        if (sum >= gate) (voicedEnergy += sum), (voicedSamples += n);
        sum = 0;
        n = 0;
      }
    }
  }
  if (n > 0 && sum >= (gate / frame) * n) (voicedEnergy += sum), (voicedSamples += n);
  if (voicedSamples === 0) return null;
  const rms = Math.sqrt(voicedEnergy / voicedSamples);
  return Math.round(20 * Math.log10(rms / FULL_SCALE) * 100) / 100;
}

function alignedCopy(buf: Buffer, bytes: number): Uint8Array {
  const copy = new Uint8Array(bytes);
  copy.set(buf.subarray(0, bytes));
  return copy;
}
