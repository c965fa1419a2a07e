/** SIPREC recording server (RFC 7866/7865/9806) for the telephony bridge. */
export { startSiprecServer, type SiprecServer, type SiprecServerOptions } from './siprec-server.ts';
export type { AgentRule } from './leg-mapping.ts';
export { parseRecordingMetadata, METADATA_CONTENT_TYPES, type RecordingMetadata } from './recording-metadata.ts';
