/** Wire protocols shared by assist-server, telephony-bridge and agent-ui. Types and schemas only. */
export * from './ingest.ts';
export * from './agent-ui.ts';
export * from './supervisor.ts';
export * from './review.ts';
export * from './knowledge.ts';
export * from './analytics.ts';
export * from './auth.ts';
export * from './post-call.ts';
