/** @earpiece/telephony-bridge: takes call audio and streams each leg to assist-server's ingest WebSocket. */
export { BridgeError } from './core/errors.ts';
export { silentLogger, type BridgeLogger } from './core/logger.ts';
export { SafeEmitter } from './core/safe-emitter.ts';
export {
  IngestClient,
  MIN_BUFFERED_MS,
  buildCallStart,
  type IngestCallSpec,
  type IngestClientError,
  type IngestClientEvents,
  type IngestClientOptions,
  type IngestClientState,
  type IngestClientStats,
  type StopReason,
} from './forwarder/ingest-client.ts';
export type { LegStats } from './forwarder/leg.ts';
export { ingestUrl } from './forwarder/ingest-url.ts';
export { DEFAULT_RECONNECT_POLICY, reconnectDelayMs, type ReconnectPolicy } from './forwarder/reconnect-policy.ts';
export { ResendBuffer, type BufferedFrame } from './forwarder/resend-buffer.ts';
export * from './sources/wav-replay/index.ts';
export * from './sources/microphone/index.ts';
