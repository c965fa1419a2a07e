/**
 * The load bench's calls: two-leg banking conversations synthesized with flite (stereo WAV, agent
 * left, customer right, 8 kHz). Turns alternate, with pauses between them and the listener's short
 * backchannels ("okay", "right") inside long turns, so each leg is silent a little over half the
 * time, as on real calls (`silenceShare` says how much exactly). A few variants (the script
 * rotated, pauses of different lengths) so concurrent calls do not speak in lockstep; call i plays
 * variant i mod n (loadSimulationAudio's round-robin), looped or cut to `seconds`.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeWav } from '../../assist-server/src/audio/wav-file.ts';
import { synthesizeSpeech, type ScriptLine } from '../../assist-server/src/testing/speech-audio.ts';
import { loadSimulationAudio, type SimulationAudio } from '../../telephony-bridge/src/simulate/simulation-audio.ts';

const SCRIPT: ScriptLine[] = [
  { role: 'agent', text: 'thank you for calling how can I help you today' },
  { role: 'customer', text: 'I would like to check the balance of my account please' },
  { role: 'agent', text: 'sure I can help with that can you confirm your address' },
  { role: 'customer', text: 'I think there is a payment on my statement that I did not make' },
  { role: 'agent', text: 'I am sorry to hear that let me look at the recent transactions' },
  { role: 'customer', text: 'I lost my card yesterday and I think somebody stole it' },
  { role: 'agent', text: 'I will block the card now and send you a new one' },
  { role: 'customer', text: 'when will my new card arrive' },
];
const BACKCHANNELS = ['okay', 'right', 'I see', 'yes'];
const RATE = 8000;

export interface LoadCallAudio {
  dir: string;
  audio: SimulationAudio[];
  /** Share of each leg, over all variants, lying in pauses of 300 ms or more (20 ms frames peaking below −50 dBFS); gaps between words do not count. */
  silenceShare: { agent: number; customer: number };
}

export async function buildLoadCallAudio(variants: number, seconds: number): Promise<LoadCallAudio> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-load-audio-'));
  for (let v = 0; v < variants; v++) {
    const start = (2 * v) % SCRIPT.length; // rotate by whole exchanges: the agent still speaks first
    await writeWav(join(dir, `call-${v}.wav`), await conversation([...SCRIPT.slice(start), ...SCRIPT.slice(0, start)], 150 + 200 * (v % 4)));
  }
  const audio = await loadSimulationAudio(dir, { durationS: seconds });
  return { dir, audio, silenceShare: { agent: silence(audio, 'agent'), customer: silence(audio, 'customer') } };
}

/** The lines one after another with `pauseMs` between turns; the listener backchannels halfway through turns over 2.5 s. */
async function conversation(script: ScriptLine[], pauseMs: number): Promise<{ sampleRateHz: number; channels: Int16Array[] }> {
  const speak = (text: string) => synthesizeSpeech(text, { sampleRateHz: RATE, padStartMs: 100, padEndMs: 100 }).then((c) => c.pcm);
  const lines = await Promise.all(script.map((l) => speak(l.text)));
  const backchannels = await Promise.all(BACKCHANNELS.map(speak));
  const pause = Math.round((pauseMs / 1000) * RATE);
  const total = lines.reduce((n, pcm) => n + pcm.length + pause, pause);
  const legs = { agent: new Int16Array(total), customer: new Int16Array(total) };
  let at = pause;
  script.forEach((line, i) => {
    const pcm = lines[i]!;
    legs[line.role].set(pcm, at);
    const listener = line.role === 'agent' ? 'customer' : 'agent';
    const back = backchannels[i % backchannels.length]!;
    if (pcm.length > 2.5 * RATE) legs[listener].set(back, at + Math.floor((pcm.length - back.length) / 2));
    at += pcm.length + pause;
  });
  return { sampleRateHz: RATE, channels: [legs.agent, legs.customer] };
}

function silence(audio: SimulationAudio[], role: 'agent' | 'customer'): number {
  const FRAME = 160; // 20 ms at 8 kHz
  const MIN_RUN = 15; // 300 ms
  let frames = 0;
  let silent = 0;
  for (const a of audio) {
    const pcm = a.leg(role, 8000);
    if (!pcm) continue;
    let run = 0;
    for (let at = 0; at + FRAME <= pcm.length; at += FRAME) {
      let peak = 0;
      for (let i = at; i < at + FRAME; i++) peak = Math.max(peak, Math.abs(pcm[i]!));
      frames++;
      if (peak < 104) run++; // −50 dBFS of 32768
      else (silent += run >= MIN_RUN ? run : 0), (run = 0);
    }
    silent += run >= MIN_RUN ? run : 0;
  }
  return frames ? Math.round((silent / frames) * 100) / 100 : 0;
}
