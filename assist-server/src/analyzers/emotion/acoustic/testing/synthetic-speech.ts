/**
 * Test audio for the acoustic cues: flite speech (via testing/speech-audio.ts), sox-derived
 * variants (gain, tempo, pitch), flite re-synthesis at another speaking rate, and the words' true
 * times from flite's own segment timing, so speaking-rate tests do not depend on a recognizer.
 * Needs `flite` and `sox` on PATH, like speech-audio.ts.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readWav } from '../../../../audio/wav-file.ts';
import { synthesizeSpeech } from '../../../../testing/speech-audio.ts';
import type { TimedWord } from '../speaking-rate.ts';

const run = promisify(execFile);

/** synthesizeSpeech's default leading silence; word times are shifted by it. */
export const PAD_START_MS = 500;
const PAD_END_MS = 1000;

export interface TestUtterance {
  pcm: Int16Array;
  sampleRateHz: number;
  /** True word times on the clip's clock (ms). */
  words: TimedWord[];
  /** The clip's file (for deriving further variants). */
  path: string;
}

/** Plain flite speech of `text` at `sampleRateHz`, with its word times. */
export async function speak(text: string, sampleRateHz: number): Promise<TestUtterance> {
  const clip = await synthesizeSpeech(text, { sampleRateHz, padStartMs: PAD_START_MS, padEndMs: PAD_END_MS });
  const words = (await fliteWordTimes(text)).map((w) => shift(w, PAD_START_MS));
  return { pcm: clip.pcm, sampleRateHz, words, path: clip.path };
}

/**
 * Flite speech with its duration model stretched (0.7 = 30 % shorter phones: faster speech at the
 * same pitch), padded and resampled like synthesizeSpeech.
 */
export async function speakStretched(text: string, sampleRateHz: number, durationStretch: number): Promise<TestUtterance> {
  const dir = await mkdtemp(join(tmpdir(), 'earpiece-acoustic-'));
  try {
    const raw = join(dir, 'raw.wav');
    const out = join(dir, 'out.wav');
    await run('flite', ['-voice', 'rms', '--setf', `duration_stretch=${durationStretch}`, '-t', text, '-o', raw]);
    await run('sox', [raw, '-r', String(sampleRateHz), '-c', '1', '-b', '16', '-e', 'signed-integer', out, 'pad', String(PAD_START_MS / 1000), String(PAD_END_MS / 1000)]);
    const audio = await readWav(out);
    const words = (await fliteWordTimes(text, durationStretch)).map((w) => shift(w, PAD_START_MS));
    return { pcm: audio.channels[0]!, sampleRateHz, words, path: '' };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Applies sox effects to a clip (e.g. ['gain', '6'], ['tempo', '1.4'], ['pitch', '400']). Word
 * times are divided by `timeScale` (1.4 for `tempo 1.4`, which shortens everything evenly).
 */
export async function soxVariant(base: TestUtterance, effects: string[], timeScale = 1): Promise<TestUtterance> {
  const dir = await mkdtemp(join(tmpdir(), 'earpiece-acoustic-'));
  try {
    const out = join(dir, 'out.wav');
    await run('sox', [base.path, out, ...effects]);
    const audio = await readWav(out);
    const words = base.words.map((w) => ({ word: w.word, startMs: w.startMs / timeScale, endMs: w.endMs / timeScale }));
    return { pcm: audio.channels[0]!, sampleRateHz: audio.sampleRateHz, words, path: '' };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const phonesCache = new Map<string, string[]>();

/** Phones flite gives a word spoken alone (pauses dropped). */
async function wordPhones(word: string): Promise<string[]> {
  let phones = phonesCache.get(word);
  if (!phones) {
    const { stdout } = await run('flite', ['-voice', 'rms', '-ps', '-t', word, '-o', 'none']);
    phones = stdout.trim().split(/\s+/).filter((p) => p !== 'pau' && p !== '');
    phonesCache.set(word, phones);
  }
  return phones;
}

/**
 * Word times in flite's output for `text` (ms from its first sample): flite prints each segment's
 * end time (`-psdur`); the words' phones (from speaking each word alone) are matched against that
 * sequence in order. Throws when they do not line up (pick another test sentence then).
 */
export async function fliteWordTimes(text: string, durationStretch = 1): Promise<TimedWord[]> {
  const { stdout } = await run('flite', ['-voice', 'rms', '--setf', `duration_stretch=${durationStretch}`, '-psdur', '-t', text, '-o', 'none']);
  const segments: Array<{ phone: string; startMs: number; endMs: number }> = [];
  let prevEnd = 0;
  for (const item of stdout.trim().split(/\s+/)) {
    const [phone, end] = item.split(':');
    const endMs = Number(end) * 1000;
    segments.push({ phone: phone!, startMs: prevEnd, endMs });
    prevEnd = endMs;
  }
  const speech = segments.filter((s) => s.phone !== 'pau');
  const words = text.toLowerCase().replace(/[^a-z' ]/g, ' ').split(/\s+/).filter(Boolean);
  const out: TimedWord[] = [];
  let at = 0;
  for (const word of words) {
    const phones = await wordPhones(word);
    const got = speech.slice(at, at + phones.length).map((s) => s.phone);
    if (phones.length === 0 || got.join(' ') !== phones.join(' ')) {
      throw new Error(`flite phones for "${word}" (${phones.join(' ')}) do not match the sentence at ${at} (${got.join(' ')})`);
    }
    out.push({ word, startMs: speech[at]!.startMs, endMs: speech[at + phones.length - 1]!.endMs });
    at += phones.length;
  }
  if (at !== speech.length) throw new Error(`flite sentence has ${speech.length - at} phones after the last word`);
  return out;
}

function shift(w: TimedWord, ms: number): TimedWord {
  return { word: w.word, startMs: w.startMs + ms, endMs: w.endMs + ms };
}

/** A pure tone of `hz` (amplitude `amplitude` of 32767), `seconds` long. */
export function tone(hz: number, sampleRateHz: number, seconds: number, amplitude = 8000): Int16Array {
  const out = new Int16Array(Math.round(seconds * sampleRateHz));
  for (let i = 0; i < out.length; i++) out[i] = Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / sampleRateHz));
  return out;
}

/** Places clips on a silent track of `totalMs` at the given start times (a leg of a synthetic call). */
export function placeOnTrack(totalMs: number, sampleRateHz: number, clips: Array<{ pcm: Int16Array; atMs: number }>): Int16Array {
  const out = new Int16Array(Math.round((totalMs * sampleRateHz) / 1000));
  for (const c of clips) {
    const at = Math.round((c.atMs * sampleRateHz) / 1000);
    for (let i = 0; i < c.pcm.length && at + i < out.length; i++) out[at + i] = Math.max(-32768, Math.min(32767, out[at + i]! + c.pcm[i]!));
  }
  return out;
}
