/**
 * telephony-bridge configuration: the only module of the bridge that reads process.env. Every
 * variable is in {@link BRIDGE_CONFIG_VARIABLES}, which the README's bridge table mirrors
 * (`npx earpiece bridge --config` prints it).
 */

export type BridgeSourceName = 'siprec' | 'sip' | 'audiosocket' | 'media-streams';
const SOURCE_NAMES: readonly BridgeSourceName[] = ['siprec', 'sip', 'audiosocket', 'media-streams'];

export interface BridgeConfig {
  serverUrl: string;
  host: string;
  sources: BridgeSourceName[];
  maxCalls: number;
  siprecPort: number;
  sipPort: number;
  sipTransports: Array<'udp' | 'tcp'>;
  sipAllow: string[];
  sipAdvertisedAddress: string | undefined;
  sipDigest: { realm: string; users: Record<string, string> } | undefined;
  sipSessionTimerS: number | undefined;
  rtpPortMin: number;
  rtpPortMax: number;
  rtpMediaTimeoutMs: number;
  rtpJitterMs: number;
  agentExtensions: string[];
  agentAorPattern: string | undefined;
  defaultAgentId: string;
  audioSocketPort: number;
  mediaStreamPort: number;
  secret: string | undefined;
  logLevel: string;
}

interface VariableSpec {
  name: string;
  default: string;
  description: string;
}

export const BRIDGE_CONFIG_VARIABLES: VariableSpec[] = [
  { name: 'EARPIECE_BRIDGE_SERVER_URL', default: 'ws://127.0.0.1:$EARPIECE_PORT', description: 'assist-server the bridge streams calls to (its ingest WebSocket); several nodes comma-separated: a call goes to the first that accepts it and, when its node drops, reconnects to the next (README "Running several nodes").' },
  { name: 'EARPIECE_BRIDGE_HOST', default: '127.0.0.1', description: 'Address the bridge listens on for SIP, AudioSocket and media streams (0.0.0.0 for a PBX on another machine).' },
  { name: 'EARPIECE_BRIDGE_SOURCES', default: 'siprec,sip,audiosocket,media-streams', description: 'Sources to start, comma-separated.' },
  { name: 'EARPIECE_BRIDGE_MAX_CALLS', default: '32', description: 'Calls the bridge carries at once; one more is refused on its own protocol (SIP 503, AudioSocket error, WebSocket close 1013).' },
  { name: 'EARPIECE_SIPREC_PORT', default: '5060', description: 'SIPREC recording server port (UDP and TCP).' },
  { name: 'EARPIECE_SIP_PORT', default: '5062', description: 'Plain SIP endpoint port (one leg per dialog; X-Earpiece-Call-Id / X-Earpiece-Leg / X-Earpiece-Agent-Id headers group and label legs).' },
  { name: 'EARPIECE_SIP_TRANSPORTS', default: 'udp,tcp', description: 'SIP transports.' },
  { name: 'EARPIECE_SIP_ALLOW', default: '127.0.0.0/8,::1/128', description: 'Source networks (CIDR) allowed to send SIP; others are dropped and logged. Empty = everyone.' },
  { name: 'EARPIECE_SIP_ADVERTISED_ADDRESS', default: '(EARPIECE_BRIDGE_HOST)', description: 'Address put in Via/Contact/SDP for peers to reach us (set it when listening on 0.0.0.0).' },
  { name: 'EARPIECE_SIP_DIGEST_USER', default: '(unset)', description: 'With EARPIECE_SIP_DIGEST_PASSWORD: require SIP digest authentication of INVITEs.' },
  { name: 'EARPIECE_SIP_DIGEST_PASSWORD', default: '(unset)', description: 'Digest password (see EARPIECE_SIP_DIGEST_USER).' },
  { name: 'EARPIECE_SIP_DIGEST_REALM', default: 'earpiece', description: 'Digest realm.' },
  { name: 'EARPIECE_SIP_SESSION_TIMER_S', default: '(unset)', description: 'Session-Expires asked of peers that support RFC 4028 session timers; unset = only honour theirs.' },
  { name: 'EARPIECE_RTP_PORT_MIN', default: '20000', description: 'Lowest RTP port (even ports for RTP, the next odd one for RTCP).' },
  { name: 'EARPIECE_RTP_PORT_MAX', default: '20999', description: 'Highest RTP port.' },
  { name: 'EARPIECE_RTP_MEDIA_TIMEOUT_MS', default: '30000', description: 'A call whose RTP stops for this long (not on hold) is ended.' },
  { name: 'EARPIECE_RTP_JITTER_MS', default: '60', description: 'How long the jitter buffer waits for a late packet before concealing it with silence.' },
  { name: 'EARPIECE_AGENT_EXTENSIONS', default: '(unset)', description: 'Comma-separated extensions (AoR user parts) that are agents: tells the agent leg from the customer leg in SIPREC metadata.' },
  { name: 'EARPIECE_AGENT_AOR_PATTERN', default: '(unset)', description: 'Regular expression matched against participants\' AoRs to find the agent (alternative to EARPIECE_AGENT_EXTENSIONS).' },
  { name: 'EARPIECE_DEFAULT_AGENT_ID', default: 'agent-1', description: 'Agent id for calls whose source names none.' },
  { name: 'EARPIECE_AUDIOSOCKET_PORT', default: '9092', description: 'Asterisk AudioSocket TCP port.' },
  { name: 'EARPIECE_MEDIA_STREAM_PORT', default: '9093', description: 'WebSocket media streams: /media/twilio (Twilio Media Streams) and /media/audio-fork (FreeSWITCH mod_audio_fork).' },
  { name: 'EARPIECE_BRIDGE_SECRET', default: '(unset)', description: 'Shared secret AudioSocket connections (auth frame) and media streams (Authorization: Bearer or ?token=) must present.' },
  { name: 'EARPIECE_BRIDGE_LOG_LEVEL', default: 'info', description: 'pino log level of the bridge.' },
];

export class BridgeConfigError extends Error {
  readonly code = 'EARPIECE_BRIDGE_CONFIG_INVALID';
  readonly retryable = false;
}

export function loadBridgeConfig(env: NodeJS.ProcessEnv = process.env): BridgeConfig {
  const list = (name: string, fallback: string) =>
    (env[name] ?? fallback)
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const sources = list('EARPIECE_BRIDGE_SOURCES', SOURCE_NAMES.join(','));
  for (const s of sources) if (!SOURCE_NAMES.includes(s as BridgeSourceName)) throw new BridgeConfigError(`EARPIECE_BRIDGE_SOURCES: unknown source "${s}" (known: ${SOURCE_NAMES.join(', ')})`);
  const transports = list('EARPIECE_SIP_TRANSPORTS', 'udp,tcp');
  for (const t of transports) if (t !== 'udp' && t !== 'tcp') throw new BridgeConfigError(`EARPIECE_SIP_TRANSPORTS: "${t}" is not udp or tcp`);
  const user = env.EARPIECE_SIP_DIGEST_USER;
  const password = env.EARPIECE_SIP_DIGEST_PASSWORD;
  if (!!user !== !!password) throw new BridgeConfigError('EARPIECE_SIP_DIGEST_USER and EARPIECE_SIP_DIGEST_PASSWORD go together');
  const pattern = env.EARPIECE_AGENT_AOR_PATTERN || undefined;
  if (pattern) {
    try {
      new RegExp(pattern, 'i');
    } catch (err) {
      throw new BridgeConfigError(`EARPIECE_AGENT_AOR_PATTERN is not a valid regular expression: ${(err as Error).message}`);
    }
  }
  const rtpPortMin = intVar(env, 'EARPIECE_RTP_PORT_MIN', 20000, 1024, 65534);
  const rtpPortMax = intVar(env, 'EARPIECE_RTP_PORT_MAX', 20999, 1025, 65535);
  if (rtpPortMax - rtpPortMin < 3) throw new BridgeConfigError('EARPIECE_RTP_PORT_MAX must leave room for at least two RTP/RTCP pairs above EARPIECE_RTP_PORT_MIN');
  const timer = env.EARPIECE_SIP_SESSION_TIMER_S;
  return {
    serverUrl: env.EARPIECE_BRIDGE_SERVER_URL ?? `ws://127.0.0.1:${env.EARPIECE_PORT || 8080}`,
    host: env.EARPIECE_BRIDGE_HOST ?? '127.0.0.1',
    sources: sources as BridgeSourceName[],
    maxCalls: intVar(env, 'EARPIECE_BRIDGE_MAX_CALLS', 32, 1, 100_000),
    siprecPort: intVar(env, 'EARPIECE_SIPREC_PORT', 5060, 0, 65535),
    sipPort: intVar(env, 'EARPIECE_SIP_PORT', 5062, 0, 65535),
    sipTransports: transports as Array<'udp' | 'tcp'>,
    sipAllow: list('EARPIECE_SIP_ALLOW', '127.0.0.0/8,::1/128'),
    sipAdvertisedAddress: env.EARPIECE_SIP_ADVERTISED_ADDRESS || undefined,
    sipDigest: user && password ? { realm: env.EARPIECE_SIP_DIGEST_REALM || 'earpiece', users: { [user]: password } } : undefined,
    sipSessionTimerS: timer ? intVar(env, 'EARPIECE_SIP_SESSION_TIMER_S', 1800, 90, 86_400) : undefined,
    rtpPortMin,
    rtpPortMax,
    rtpMediaTimeoutMs: intVar(env, 'EARPIECE_RTP_MEDIA_TIMEOUT_MS', 30_000, 1000, 3_600_000),
    rtpJitterMs: intVar(env, 'EARPIECE_RTP_JITTER_MS', 60, 0, 2000),
    agentExtensions: list('EARPIECE_AGENT_EXTENSIONS', ''),
    agentAorPattern: pattern,
    defaultAgentId: env.EARPIECE_DEFAULT_AGENT_ID || 'agent-1',
    audioSocketPort: intVar(env, 'EARPIECE_AUDIOSOCKET_PORT', 9092, 0, 65535),
    mediaStreamPort: intVar(env, 'EARPIECE_MEDIA_STREAM_PORT', 9093, 0, 65535),
    secret: env.EARPIECE_BRIDGE_SECRET || undefined,
    logLevel: env.EARPIECE_BRIDGE_LOG_LEVEL ?? 'info',
  };
}

function intVar(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new BridgeConfigError(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
  return n;
}

/** Markdown table of every bridge variable, for the README. */
export function bridgeConfigTableMarkdown(): string {
  const rows = BRIDGE_CONFIG_VARIABLES.map((v) => `| \`${v.name}\` | \`${v.default}\` | ${v.description} |`);
  return ['| Variable | Default | What it does |', '|---|---|---|', ...rows].join('\n');
}
