/**
 * Audio for simulated calls: a WAV file (stereo = channel 0 agent, channel 1 customer; mono = the
 * customer only) or a directory of WAVs, handed out round-robin (call i gets file i mod n).
 * `durationS` trims or loops every file to that length. `legsAt(rate)` gives the legs resampled
 * once per rate (8 kHz for G.711 transports).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { LegRole } from '@earpiece/assist-server/protocol';
import { resampleAll } from '@earpiece/assist-server/audio';
import { BridgeError } from '../core/errors.ts';
import { decodeWav } from '../sources/wav-replay/wav-legs.ts';

export interface SimulationLeg {
  role: LegRole;
  pcm: Int16Array;
}

export class SimulationAudio {
  readonly #byRate = new Map<number, SimulationLeg[]>();

  constructor(
    readonly name: string,
    readonly sampleRateHz: number,
    /** Agent first when present; the customer leg is always there. */
    readonly legs: SimulationLeg[],
  ) {}

  get durationMs(): number {
    return (this.legs[0]!.pcm.length / this.sampleRateHz) * 1000;
  }

  get hasAgent(): boolean {
    return this.legs.some((l) => l.role === 'agent');
  }

  leg(role: LegRole, rateHz: number): Int16Array | undefined {
    return this.legsAt(rateHz).find((l) => l.role === role)?.pcm;
  }

  legsAt(rateHz: number): SimulationLeg[] {
    let legs = this.#byRate.get(rateHz);
    if (!legs) {
      legs = rateHz === this.sampleRateHz ? this.legs : this.legs.map((l) => ({ role: l.role, pcm: resampleAll(l.pcm, this.sampleRateHz, rateHz) }));
      this.#byRate.set(rateHz, legs);
    }
    return legs;
  }
}

/** Loads FILE.wav or every *.wav in DIR (sorted by name). */
export async function loadSimulationAudio(path: string, options: { durationS?: number | undefined } = {}): Promise<SimulationAudio[]> {
  let files: string[];
  try {
    files = (await stat(path)).isDirectory()
      ? (await readdir(path))
          .filter((f) => f.toLowerCase().endsWith('.wav'))
          .sort()
          .map((f) => join(path, f))
      : [path];
  } catch (err) {
    throw new BridgeError('EARPIECE_SIMULATE_AUDIO_UNREADABLE', `cannot read --audio ${path}: ${(err as Error).message}; give a WAV file or a directory of WAV files`, { cause: err });
  }
  if (files.length === 0) throw new BridgeError('EARPIECE_SIMULATE_AUDIO_EMPTY', `no .wav files in ${path}; give a WAV file or a directory holding some`);
  return Promise.all(files.map((f) => loadOne(f, options.durationS)));
}

async function loadOne(file: string, durationS: number | undefined): Promise<SimulationAudio> {
  const wav = decodeWav(await readFile(file), file);
  if (wav.channels.length > 2) {
    throw new BridgeError('EARPIECE_SIMULATE_AUDIO_CHANNELS', `${file} has ${wav.channels.length} channels; give stereo (agent, customer) or mono (customer) WAVs`);
  }
  const roles: LegRole[] = wav.channels.length === 2 ? ['agent', 'customer'] : ['customer'];
  const target = durationS === undefined ? undefined : Math.round(durationS * wav.sampleRateHz);
  const legs = roles.map((role, i) => ({ role, pcm: target === undefined ? wav.channels[i]! : fitLength(wav.channels[i]!, target) }));
  if (legs[0]!.pcm.length < wav.sampleRateHz / 50) throw new BridgeError('EARPIECE_SIMULATE_AUDIO_EMPTY', `${file} holds less than 20 ms of audio`);
  return new SimulationAudio(basename(file), wav.sampleRateHz, legs);
}

/** Trims, or repeats the audio, to exactly `samples`. */
export function fitLength(pcm: Int16Array, samples: number): Int16Array {
  if (pcm.length >= samples) return pcm.subarray(0, samples);
  const out = new Int16Array(samples);
  for (let at = 0; at < samples; at += pcm.length) out.set(pcm.subarray(0, Math.min(pcm.length, samples - at)), at);
  return out;
}
