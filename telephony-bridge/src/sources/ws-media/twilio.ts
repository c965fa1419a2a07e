/**
 * Twilio Media Streams decoder (https://www.twilio.com/docs/voice/media-streams/websocket-messages).
 *
 * JSON text frames, `event` = connected | start | media | mark | dtmf | stop. Audio is base64
 * µ-law, 8 kHz mono, one message per track chunk; track `inbound` (what the caller says) is the
 * customer and `outbound` (what Twilio plays/bridges to the caller) the agent, unless `trackRoles`
 * says otherwise (e.g. an outbound dialer where the callee is the customer).
 *
 * Identity: callId = start.callSid (else streamSid); agentId and callerNumber from
 * start.customParameters (`<Parameter name="agentId" …/>`); an optional `token` parameter is
 * the shared secret (Twilio's stream URL takes no query string and no custom headers).
 * Timing: media.timestamp (ms since the stream started) → offsetSamples on the leg clock, so a
 * gap Twilio reports (lost chunks, a paused track) stays a gap; jitter under `gapToleranceSamples`
 * is absorbed (audio stays contiguous). Out-of-sequence numbers and chunk gaps are counted.
 */
import type { LegRole } from '@earpiece/assist-server/protocol';
import alawmulaw from 'alawmulaw';
import { CLOSE, MediaStreamError, optionalString, parseJson, validCallId, type MediaDecoder, type MediaEvent } from './media-events.ts';

const { mulaw } = alawmulaw;
const RATE = 8000;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export interface TwilioDecoderOptions {
  /** Default { inbound: 'customer', outbound: 'agent' }. */
  trackRoles?: { inbound: LegRole; outbound: LegRole };
  /** Timestamp jumps up to this many samples count as jitter, not a gap; default 80 (10 ms). */
  gapToleranceSamples?: number;
}

export interface TwilioStats {
  media: number;
  /** Forward jumps in media.timestamp kept as gaps. */
  gaps: number;
  /** sequenceNumber not one past the previous message's. */
  sequenceGaps: number;
  /** media.chunk not one past the track's previous chunk. */
  chunkGaps: number;
  marks: number;
}

type Track = 'inbound' | 'outbound';

export class TwilioDecoder implements MediaDecoder {
  readonly dialect = 'twilio' as const;
  readonly stats: TwilioStats = { media: 0, gaps: 0, sequenceGaps: 0, chunkGaps: 0, marks: 0 };
  streamSid: string | undefined;
  #roles: Record<Track, LegRole>;
  #tolerance: number;
  #started = false;
  #stopped = false;
  #lastSeq: number | undefined;
  #tracks = new Map<Track, { clock: number; lastChunk: number | undefined }>();

  constructor(options: TwilioDecoderOptions = {}) {
    this.#roles = options.trackRoles ?? { inbound: 'customer', outbound: 'agent' };
    this.#tolerance = options.gapToleranceSamples ?? 80;
  }

  binary(): MediaEvent[] {
    throw new MediaStreamError('EARPIECE_BRIDGE_WS_UNEXPECTED_BINARY', 'twilio: Media Streams send JSON text frames only; got a binary frame', CLOSE.unsupportedData);
  }

  text(data: string): MediaEvent[] {
    const msg = parseJson(data, 'twilio');
    this.#sequence(msg.sequenceNumber);
    switch (msg.event) {
      case 'connected':
        return [];
      case 'start':
        return [this.#start(msg.start)];
      case 'media':
        this.#needStart('media');
        return this.#stopped ? [] : [this.#media(msg.media)];
      case 'dtmf':
        this.#needStart('dtmf');
        return this.#stopped ? [] : [this.#dtmf(msg.dtmf)];
      case 'mark':
        this.stats.marks++;
        return [];
      case 'stop':
        this.#needStart('stop');
        if (this.#stopped) return [];
        this.#stopped = true;
        return [{ type: 'stop' }];
      default:
        throw new MediaStreamError('EARPIECE_BRIDGE_WS_UNKNOWN_EVENT', `twilio: unknown event ${JSON.stringify(String(msg.event)).slice(0, 40)}; expected connected, start, media, mark, dtmf or stop`, CLOSE.policy);
    }
  }

  #sequence(raw: unknown): void {
    if (raw === undefined) return;
    const seq = Number(raw);
    if (!Number.isInteger(seq)) return;
    if (this.#lastSeq !== undefined && seq !== this.#lastSeq + 1) this.stats.sequenceGaps++;
    this.#lastSeq = seq;
  }

  #needStart(what: string): void {
    if (!this.#started) throw new MediaStreamError('EARPIECE_BRIDGE_WS_OUT_OF_ORDER', `twilio: ${what} before start`, CLOSE.policy);
  }

  #start(raw: unknown): MediaEvent {
    if (this.#started) throw new MediaStreamError('EARPIECE_BRIDGE_WS_OUT_OF_ORDER', 'twilio: a second start on one stream', CLOSE.policy);
    const bad = (why: string) => new MediaStreamError('EARPIECE_BRIDGE_WS_BAD_MESSAGE', `twilio start: ${why}`, CLOSE.invalidPayload);
    if (typeof raw !== 'object' || raw === null) throw bad('missing the start object');
    const start = raw as Record<string, unknown>;
    const format = (start.mediaFormat ?? {}) as Record<string, unknown>;
    if (format.encoding !== 'audio/x-mulaw' || Number(format.sampleRate) !== RATE || Number(format.channels ?? 1) !== 1) {
      throw new MediaStreamError('EARPIECE_BRIDGE_WS_UNSUPPORTED_FORMAT', `twilio start: mediaFormat must be audio/x-mulaw 8000 Hz mono, got ${JSON.stringify(format).slice(0, 80)}`, CLOSE.invalidPayload);
    }
    const tracks = Array.isArray(start.tracks) ? start.tracks : ['inbound'];
    if (tracks.length === 0 || !tracks.every((t): t is Track => t === 'inbound' || t === 'outbound')) throw bad('tracks must be a non-empty list of inbound/outbound');
    for (const t of new Set(tracks)) this.#tracks.set(t, { clock: 0, lastChunk: undefined });
    const callId = [start.callSid, start.streamSid].find(validCallId);
    if (!callId) throw bad('no usable callSid or streamSid');
    this.streamSid = optionalString(start.streamSid);
    const params = (typeof start.customParameters === 'object' && start.customParameters !== null ? start.customParameters : {}) as Record<string, unknown>;
    this.#started = true;
    return {
      type: 'start',
      callId,
      agentId: optionalString(params.agentId),
      callerNumber: optionalString(params.callerNumber, 64),
      token: optionalString(params.token, 1024),
      legs: [...this.#tracks.keys()].map((t) => ({ role: this.#roles[t], sampleRateHz: RATE })),
    };
  }

  #track(raw: unknown, what: string): { track: Track; state: { clock: number; lastChunk: number | undefined } } {
    const track = String(raw ?? 'inbound').replace(/_track$/, '') as Track;
    const state = this.#tracks.get(track);
    if (!state) throw new MediaStreamError('EARPIECE_BRIDGE_WS_BAD_MESSAGE', `twilio ${what}: track ${JSON.stringify(raw)} was not announced in start.tracks`, CLOSE.invalidPayload);
    return { track, state };
  }

  #media(raw: unknown): MediaEvent {
    const bad = (why: string) => new MediaStreamError('EARPIECE_BRIDGE_WS_BAD_MESSAGE', `twilio media: ${why}`, CLOSE.invalidPayload);
    if (typeof raw !== 'object' || raw === null) throw bad('missing the media object');
    const media = raw as Record<string, unknown>;
    const { track, state } = this.#track(media.track, 'media');
    const payload = media.payload;
    if (typeof payload !== 'string' || payload.length % 4 !== 0 || !BASE64.test(payload)) throw bad('payload is not base64');
    const pcm = mulaw.decode(new Uint8Array(Buffer.from(payload, 'base64')));
    this.stats.media++;
    const chunk = Number(media.chunk);
    if (Number.isInteger(chunk)) {
      if (state.lastChunk !== undefined && chunk !== state.lastChunk + 1) this.stats.chunkGaps++;
      state.lastChunk = chunk;
    }
    let offset = state.clock;
    const ts = Number(media.timestamp);
    if (Number.isFinite(ts) && ts >= 0) {
      const at = Math.round((ts * RATE) / 1000);
      if (at > state.clock + this.#tolerance) {
        offset = at;
        this.stats.gaps++;
      }
    }
    state.clock = offset + pcm.length;
    return { type: 'audio', role: this.#roles[track], pcm, offsetSamples: offset };
  }

  #dtmf(raw: unknown): MediaEvent {
    const dtmf = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const { track, state } = this.#track(dtmf.track, 'dtmf');
    const digit = String(dtmf.digit ?? '').toUpperCase();
    if (!/^[0-9*#A-D]$/.test(digit)) throw new MediaStreamError('EARPIECE_BRIDGE_WS_BAD_MESSAGE', 'twilio dtmf: digit must be one of 0-9 * # A-D', CLOSE.invalidPayload);
    return { type: 'dtmf', role: this.#roles[track], digit, offsetMs: (state.clock / RATE) * 1000 };
  }
}
