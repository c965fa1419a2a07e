export { startMediaStreamServer, MEDIA_SUBPROTOCOL_AUDIO_FORK, type MediaDialect, type MediaStreamServerHandle, type MediaStreamServerOptions } from './media-stream-server.ts';
export { TwilioDecoder, type TwilioDecoderOptions, type TwilioStats } from './twilio.ts';
export { AudioForkDecoder, type AudioForkDecoderOptions, type MixType } from './audio-fork.ts';
export { CLOSE as MEDIA_STREAM_CLOSE, MediaStreamError, type MediaDecoder, type MediaEvent } from './media-events.ts';
