/**
 * Real test speech, synthesized at test time with Debian's `flite -voice rms` (16 kHz), which
 * PocketSphinx recognizes nearly word for word. Results are cached per text in the OS temp dir.
 * Needs `flite` and `sox` on PATH (installed by `npm run setup` and `.ci/run`).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readWav, writeWav, type PcmAudio } from '../audio/wav-file.ts';

const run = promisify(execFile);
const CACHE_DIR = join(tmpdir(), 'earpiece-speech-cache');

export interface SpeechOptions {
  /** Output rate; 8000 gives a telephone-band copy (sox's low-pass resampler). Default 16000. */
  sampleRateHz?: number;
  /** Silence before and after the speech. Defaults 500 ms and 1000 ms. */
  padStartMs?: number;
  padEndMs?: number;
}

export interface SpeechClip {
  path: string;
  sampleRateHz: number;
  pcm: Int16Array;
}

/** Speaks `text` with flite's rms voice and returns a mono 16-bit WAV clip. */
export async function synthesizeSpeech(text: string, options: SpeechOptions = {}): Promise<SpeechClip> {
  const rate = options.sampleRateHz ?? 16000;
  const padStart = (options.padStartMs ?? 500) / 1000;
  const padEnd = (options.padEndMs ?? 1000) / 1000;
  await mkdir(CACHE_DIR, { recursive: true });
  const key = createHash('sha256').update(`${text}|${rate}|${padStart}|${padEnd}`).digest('hex').slice(0, 16);
  const path = join(CACHE_DIR, `${key}.wav`);
  if (!existsSync(path)) {
    const raw = join(CACHE_DIR, `${key}.flite.${process.pid}.wav`);
    const tmp = join(CACHE_DIR, `${key}.${process.pid}.wav`);
    try {
      await run('flite', ['-voice', 'rms', '-t', text, '-o', raw]);
      await run('sox', [raw, '-r', String(rate), '-c', '1', '-b', '16', '-e', 'signed-integer', tmp, 'pad', String(padStart), String(padEnd)]);
      await rename(tmp, path);
    } finally {
      await rm(raw, { force: true });
    }
  }
  const audio = await readWav(path);
  return { path, sampleRateHz: audio.sampleRateHz, pcm: audio.channels[0]! };
}

export interface ScriptLine {
  role: 'agent' | 'customer';
  text: string;
}

/**
 * Builds a two-leg call from a script: each line is spoken on its role's channel while the other
 * channel is silent, one after another with `gapMs` between. Returns a stereo WAV
 * (channel 0 = agent, channel 1 = customer) and where each line lies in it.
 */
export async function synthesizeCall(
  script: ScriptLine[],
  options: { sampleRateHz?: number; gapMs?: number; outPath?: string } = {},
): Promise<{ path: string; audio: PcmAudio; lines: Array<ScriptLine & { startMs: number; endMs: number }> }> {
  const rate = options.sampleRateHz ?? 16000;
  const gap = Math.round(((options.gapMs ?? 400) / 1000) * rate);
  const clips = await Promise.all(script.map((l) => synthesizeSpeech(l.text, { sampleRateHz: rate, padStartMs: 300, padEndMs: 300 })));
  const total = clips.reduce((n, c) => n + c.pcm.length + gap, gap);
  const agent = new Int16Array(total);
  const customer = new Int16Array(total);
  const lines: Array<ScriptLine & { startMs: number; endMs: number }> = [];
  let at = gap;
  script.forEach((line, i) => {
    const pcm = clips[i]!.pcm;
    (line.role === 'agent' ? agent : customer).set(pcm, at);
    lines.push({ ...line, startMs: (at / rate) * 1000, endMs: ((at + pcm.length) / rate) * 1000 });
    at += pcm.length + gap;
  });
  const audio: PcmAudio = { sampleRateHz: rate, channels: [agent, customer] };
  const key = createHash('sha256').update(JSON.stringify({ script, rate, gap })).digest('hex').slice(0, 16);
  const path = options.outPath ?? join(CACHE_DIR, `call-${key}.wav`);
  await mkdir(CACHE_DIR, { recursive: true });
  await writeWav(path, audio);
  return { path, audio, lines };
}
