export { startAudioSocketServer, type AudioSocketServerHandle, type AudioSocketServerOptions } from './audiosocket-server.ts';
export { AudioSocketClient } from './audiosocket-client.ts';
export { AUDIOSOCKET_REFUSAL } from './audiosocket-leg.ts';
export { AudioSocketMappings, identifyLeg, type AudioSocketMapping, type AudioSocketPairing, type LegIdentity } from './pairing.ts';
export {
  AUDIOSOCKET_KIND_RATES,
  AudioSocketParser,
  DEFAULT_MAX_PAYLOAD_BYTES,
  encodeAudio,
  encodeAuth,
  encodeDtmf,
  encodeError,
  encodeFrame,
  encodeHangup,
  encodeUuid,
  type AudioSocketFrame,
} from './framing.ts';
