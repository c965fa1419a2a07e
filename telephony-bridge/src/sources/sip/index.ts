/** Plain SIP endpoint for the telephony bridge, and the SIP pieces the SIPREC server shares. */
export { startSipEndpoint, type SipEndpoint, type SipEndpointOptions } from './sip-endpoint.ts';
export type { SipServerOptions, RunningSipServer } from './sip-server.ts';
export type { SipTransportName } from './sip-transport.ts';
export type { DigestAlgorithm } from './digest-auth.ts';
