import { readFile, writeFile } from 'node:fs/promises';
import wavefile from 'wavefile';

const { WaveFile } = wavefile;

export interface PcmAudio {
  sampleRateHz: number;
  /** One Int16Array per channel. */
  channels: Int16Array[];
}

export class WavFileError extends Error {
  readonly code = 'EARPIECE_AUDIO_BAD_WAV';
  readonly retryable = false;
}

/** Reads a WAV file of any common encoding (PCM 8/16/24/32, float, µ-law, A-law) as 16-bit channels. */
export async function readWav(path: string): Promise<PcmAudio> {
  const bytes = await readFile(path);
  return parseWav(bytes, path);
}

export function parseWav(bytes: Uint8Array, name = 'input'): PcmAudio {
  let wav: InstanceType<typeof WaveFile>;
  try {
    wav = new WaveFile(bytes);
    const fmt = wav.fmt as { audioFormat: number };
    if (fmt.audioFormat === 6) wav.fromALaw();
    else if (fmt.audioFormat === 7) wav.fromMuLaw();
    if (wav.bitDepth !== '16') wav.toBitDepth('16');
  } catch (err) {
    throw new WavFileError(`${name} is not a readable WAV file: ${(err as Error).message}`);
  }
  const fmt = wav.fmt as { numChannels: number; sampleRate: number };
  const samples = wav.getSamples(false, Int16Array) as unknown as Int16Array[] | Int16Array;
  const channels = fmt.numChannels === 1 ? [samples as Int16Array] : (samples as Int16Array[]);
  return { sampleRateHz: fmt.sampleRate, channels: channels.map((c) => Int16Array.from(c)) };
}

/** Writes 16-bit PCM channels as a WAV file. */
export async function writeWav(path: string, audio: PcmAudio): Promise<void> {
  await writeFile(path, encodeWav(audio));
}

export function encodeWav(audio: PcmAudio): Uint8Array {
  const wav = new WaveFile();
  const data = audio.channels.length === 1 ? audio.channels[0]! : audio.channels;
  wav.fromScratch(audio.channels.length, audio.sampleRateHz, '16', data as unknown as Int16Array);
  return wav.toBuffer();
}
