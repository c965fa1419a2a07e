/**
 * FreeSWITCH mod_audio_fork decoder (jambonz/freeswitch-modules mod_audio_fork README,
 * lws_glue.cpp): the first frame is text, the metadata JSON given to `uuid_audio_fork … start
 * <url> <mix-type> <rate> <metadata>`; then binary frames of L16 (16-bit PCM, host order =
 * little-endian on x86/ARM), mono or stereo interleaved. Later text frames (`send_text`,
 * `stop <metadata>`) must be JSON and are otherwise ignored.
 *
 * The module does not send mix type and rate on the wire, so the metadata must carry them (as
 * jambonz's `listen` does: `{ sampleRate, mixType, … }`): `mixType` mono | mixed | stereo
 * (default mono), `sampleRate` 8000 | 16000 (or "8k"/"16k"; default 8000), `callId` (default
 * generated), `agentId`, `callerNumber`, optional `token` (the shared secret when the URL and
 * headers carry none).
 *
 * Channels: mod_audio_fork's stereo puts the caller in one channel and the callee in the other;
 * it reads the FreeSWITCH media bug in stereo mode, whose left channel (0) is the channel's read
 * side (the party on the forked leg = the caller on an inbound A-leg) and right (1) the write side
 * (the callee). Default roles: channel 0 = customer, channel 1 = agent (an inbound call center);
 * `stereoRoles` flips it for outbound dialing. mono (caller only) and mixed (both parties in one
 * channel) are one leg, `monoRole` (default customer).
 */
import { randomUUID } from 'node:crypto';
import type { LegRole } from '@earpiece/assist-server/protocol';
import { CLOSE, MediaStreamError, optionalString, parseJson, validCallId, type MediaDecoder, type MediaEvent } from './media-events.ts';

export type MixType = 'mono' | 'mixed' | 'stereo';

export interface AudioForkDecoderOptions {
  /** Roles of stereo channel 0 and 1; default ['customer', 'agent']. */
  stereoRoles?: [LegRole, LegRole];
  /** Role of a mono or mixed stream; default 'customer'. */
  monoRole?: LegRole;
  /** Rate when the metadata names none; default 8000. */
  defaultSampleRateHz?: number;
}

const RATES: Record<string, number> = { '8000': 8000, '16000': 16000, '8k': 8000, '16k': 16000 };

export class AudioForkDecoder implements MediaDecoder {
  readonly dialect = 'audio-fork' as const;
  mixType: MixType | undefined;
  sampleRateHz: number | undefined;
  /** Text frames after the metadata (ignored), and binary frames decoded. */
  textUpdates = 0;
  frames = 0;
  #roles: [LegRole, LegRole];
  #monoRole: LegRole;
  #defaultRate: number;

  constructor(options: AudioForkDecoderOptions = {}) {
    this.#roles = options.stereoRoles ?? ['customer', 'agent'];
    this.#monoRole = options.monoRole ?? 'customer';
    this.#defaultRate = options.defaultSampleRateHz ?? 8000;
  }

  text(data: string): MediaEvent[] {
    const msg = parseJson(data, 'audio-fork');
    if (this.mixType) {
      this.textUpdates++;
      return [];
    }
    const bad = (why: string) => new MediaStreamError('EARPIECE_BRIDGE_WS_BAD_MESSAGE', `audio-fork metadata: ${why}`, CLOSE.invalidPayload);
    const mix = msg.mixType ?? 'mono';
    if (mix !== 'mono' && mix !== 'mixed' && mix !== 'stereo') throw bad(`mixType must be mono, mixed or stereo, got ${JSON.stringify(mix).slice(0, 20)}`);
    const rate = msg.sampleRate === undefined ? this.#defaultRate : RATES[String(msg.sampleRate)];
    if (!rate) throw bad(`sampleRate must be 8000 or 16000 (or 8k/16k), got ${JSON.stringify(msg.sampleRate).slice(0, 20)}`);
    if (msg.callId !== undefined && !validCallId(msg.callId)) throw bad('callId: 1-128 letters, digits and ._:@- only');
    if (mix === 'stereo' && this.#roles[0] === this.#roles[1]) throw bad('stereoRoles name the same role twice; fix the bridge configuration');
    this.mixType = mix;
    this.sampleRateHz = rate;
    const legs = mix === 'stereo' ? this.#roles.map((role) => ({ role, sampleRateHz: rate })) : [{ role: this.#monoRole, sampleRateHz: rate }];
    return [
      {
        type: 'start',
        callId: (msg.callId as string | undefined) ?? `af-${randomUUID()}`,
        agentId: optionalString(msg.agentId),
        callerNumber: optionalString(msg.callerNumber, 64),
        token: optionalString(msg.token, 1024),
        legs,
      },
    ];
  }

  binary(data: Buffer): MediaEvent[] {
    if (!this.mixType) throw new MediaStreamError('EARPIECE_BRIDGE_WS_UNEXPECTED_BINARY', 'audio-fork: audio before the metadata text frame; the first frame must be the metadata JSON', CLOSE.unsupportedData);
    const channels = this.mixType === 'stereo' ? 2 : 1;
    if (data.length % (2 * channels) !== 0) {
      throw new MediaStreamError('EARPIECE_BRIDGE_WS_BAD_AUDIO', `audio-fork: a ${this.mixType} L16 frame must hold whole ${2 * channels}-byte sample frames, got ${data.length} bytes`, CLOSE.invalidPayload);
    }
    if (data.length === 0) return [];
    this.frames++;
    const n = data.length / (2 * channels);
    if (channels === 1) {
      const pcm = new Int16Array(n);
      for (let i = 0; i < n; i++) pcm[i] = data.readInt16LE(i * 2);
      return [{ type: 'audio', role: this.#monoRole, pcm }];
    }
    const left = new Int16Array(n);
    const right = new Int16Array(n);
    for (let i = 0; i < n; i++) {
      left[i] = data.readInt16LE(i * 4);
      right[i] = data.readInt16LE(i * 4 + 2);
    }
    return [
      { type: 'audio', role: this.#roles[0], pcm: left },
      { type: 'audio', role: this.#roles[1], pcm: right },
    ];
  }
}
