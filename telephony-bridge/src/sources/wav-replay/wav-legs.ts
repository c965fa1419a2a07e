/**
 * WAV files → call legs. Any encoding wavefile reads (PCM 8/16/24/32, float, µ-law, A-law,
 * IMA ADPCM) becomes 16-bit PCM. A stereo file is two legs (channel 0 agent, 1 customer;
 * `swapChannels` reverses them); mono files are one leg each.
 */
import { readFile } from 'node:fs/promises';
import wavefile from 'wavefile';
import { MAX_SAMPLE_RATE_HZ, MIN_SAMPLE_RATE_HZ, type LegRole } from '@earpiece/assist-server/protocol';
import { BridgeError } from '../../core/errors.ts';

const { WaveFile } = wavefile;

export interface ReplayLeg {
  role: LegRole;
  sampleRateHz: number;
  pcm: Int16Array;
}

export interface DecodedWav {
  sampleRateHz: number;
  channels: Int16Array[];
}

export interface WavLegSources {
  /** One stereo file: channel 0 agent, channel 1 customer (unless swapChannels). */
  stereoWav?: string;
  /** Mono files, one per leg; either may be absent. */
  agentWav?: string;
  customerWav?: string;
  swapChannels?: boolean;
}

/** Decodes WAV bytes to 16-bit channels; rejects rates outside what a leg may declare. */
export function decodeWav(bytes: Uint8Array, name: string): DecodedWav {
  let wav: InstanceType<typeof WaveFile>;
  try {
    wav = new WaveFile(bytes);
    const { audioFormat } = wav.fmt as { audioFormat: number };
    if (audioFormat === 6) wav.fromALaw();
    else if (audioFormat === 7) wav.fromMuLaw();
    else if (audioFormat === 17) wav.fromIMAADPCM();
    if (wav.bitDepth !== '16') wav.toBitDepth('16');
  } catch (err) {
    throw new BridgeError('EARPIECE_BRIDGE_BAD_WAV', `${name} is not a readable WAV file (${(err as Error).message}); convert it, e.g. sox IN -b 16 OUT.wav`);
  }
  const { numChannels, sampleRate } = wav.fmt as { numChannels: number; sampleRate: number };
  if (!Number.isInteger(sampleRate) || sampleRate < MIN_SAMPLE_RATE_HZ || sampleRate > MAX_SAMPLE_RATE_HZ) {
    throw new BridgeError(
      'EARPIECE_BRIDGE_WAV_RATE',
      `${name} is sampled at ${sampleRate} Hz; the bridge takes ${MIN_SAMPLE_RATE_HZ}–${MAX_SAMPLE_RATE_HZ} Hz. Resample it, e.g. sox IN -r 16000 OUT.wav`,
    );
  }
  const samples = wav.getSamples(false, Int16Array) as unknown as Int16Array | Int16Array[];
  const channels = numChannels === 1 ? [samples as Int16Array] : (samples as Int16Array[]);
  return { sampleRateHz: sampleRate, channels: channels.map((c) => Int16Array.from(c)) };
}

/** Legs from a decoded stereo file. */
export function stereoLegs(wav: DecodedWav, name: string, swapChannels = false): ReplayLeg[] {
  if (wav.channels.length !== 2) {
    const hint = wav.channels.length === 1 ? 'pass a mono file as the agent or customer file (--agent / --customer)' : 'mix it down to two channels';
    throw new BridgeError('EARPIECE_BRIDGE_WAV_CHANNELS', `${name} has ${wav.channels.length} channel(s); a call file needs 2 (agent, customer): ${hint}`);
  }
  const [first, second] = wav.channels as [Int16Array, Int16Array];
  const [agent, customer] = swapChannels ? [second, first] : [first, second];
  return [
    { role: 'agent', sampleRateHz: wav.sampleRateHz, pcm: agent },
    { role: 'customer', sampleRateHz: wav.sampleRateHz, pcm: customer },
  ];
}

/** One leg from a decoded mono file. */
export function monoLeg(wav: DecodedWav, name: string, role: LegRole): ReplayLeg {
  if (wav.channels.length !== 1) {
    throw new BridgeError('EARPIECE_BRIDGE_WAV_CHANNELS', `${name} has ${wav.channels.length} channels; the ${role} file must be mono (a two-channel call file goes in as the stereo file)`);
  }
  return { role, sampleRateHz: wav.sampleRateHz, pcm: wav.channels[0]! };
}

/** Reads the files named in `sources` and returns the call's legs (agent first). */
export async function loadWavLegs(sources: WavLegSources): Promise<ReplayLeg[]> {
  const read = async (path: string) => {
    try {
      return decodeWav(await readFile(path), path);
    } catch (err) {
      if (err instanceof BridgeError) throw err;
      throw new BridgeError('EARPIECE_BRIDGE_WAV_UNREADABLE', `cannot read ${path}: ${(err as Error).message}`, { cause: err });
    }
  };
  if (sources.stereoWav) {
    if (sources.agentWav || sources.customerWav) {
      throw new BridgeError('EARPIECE_BRIDGE_WAV_SOURCES', 'give either one stereo call file or separate agent/customer files, not both');
    }
    return stereoLegs(await read(sources.stereoWav), sources.stereoWav, sources.swapChannels);
  }
  const legs: ReplayLeg[] = [];
  if (sources.agentWav) legs.push(monoLeg(await read(sources.agentWav), sources.agentWav, 'agent'));
  if (sources.customerWav) legs.push(monoLeg(await read(sources.customerWav), sources.customerWav, 'customer'));
  if (legs.length === 0) throw new BridgeError('EARPIECE_BRIDGE_WAV_SOURCES', 'no audio to replay: give a stereo call file, or an agent and/or customer file');
  return legs;
}
