/**
 * assist-server configuration: the only module that reads process.env. Every variable is listed
 * in {@link CONFIG_VARIABLES}, which the README's configuration table mirrors
 * (`npx earpiece config` prints it).
 */
import { availableParallelism, hostname } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RedactionFill } from './analyzers/pii-masker/audio-redactor.ts';
import type { PiiLang } from './analyzers/pii-masker/normalize/normalize-doc.ts';
import type { MaskPolicy } from './analyzers/pii-masker/pii-detector.ts';
import { parseMaskPolicy } from './analyzers/pii-masker/pii-transcript-masker.ts';
import { parseOriginalAudioKey } from './calls/original-audio-vault.ts';
import type { PocketSphinxSearch } from './recognition/pocketsphinx/pocketsphinx-engine.ts';
import type { VadSettings } from './recognition/vad/vad-settings.ts';

export const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export type EngineChoice = 'auto' | 'vosk' | 'pocketsphinx';

export interface AgentDirectoryEntry {
  agentId: string;
  displayName: string;
}

export interface ServerConfig {
  host: string;
  port: number;
  logLevel: string;
  dataDir: string;
  engine: EngineChoice;
  /** Voice-activity gating before recognition (recognition/vad/). */
  vad: VadSettings;
  voskModelDir: string;
  pocketsphinxModelDir: string | undefined;
  pocketsphinxSearch: PocketSphinxSearch;
  /** undefined → start a private redis-server. */
  redisUrl: string | undefined;
  /** undefined → SQLite at <dataDir>/earpiece.db; a postgres:// URL → PostgreSQL. */
  databaseUrl: string | undefined;
  dbPoolSize: number;
  redisServerBin: string;
  assetMirror: string | undefined;
  agents: AgentDirectoryEntry[];
  uiDistDir: string;
  /** Most concurrent calls a node accepts; more are refused with an error. */
  maxCalls: number;
  /** Decoder calls that run at once (the decode pool's slots, recognition/scheduling/). */
  recognizerThreads: number;
  /** Audio gathered per decoder call, ms (recognition-stream.ts); 0: every frame on its own. */
  recognizerBatchMs: number;
  /** Idle decoders kept loaded, and loaded at start for 8 kHz legs (scheduling/warm-speech-engine.ts). */
  recognizerWarmDecoders: number;
  /** Fraction of recognizer time the node commits to calls; admission refuses beyond it (calls/admission-control.ts). Undefined: off. */
  capacityTarget: number | undefined;
  /** This node's name in the cluster (call ownership, event bus); unique per running node. */
  nodeId: string;
  pii: PiiConfig;
  nlu: NluConfig;
  compliance: ComplianceConfig;
  assist: AssistConfig;
  advice: AdviceConfig;
  auth: AuthConfig;
  archive: ArchiveConfig;
}

export interface ArchiveConfig {
  /** Retention policy YAML; undefined: archived calls are never purged. */
  retentionPolicyPath: string | undefined;
  /** Cron pattern of the retention sweep. */
  retentionSweepCron: string;
}

export interface AuthConfig {
  sessionTtlMs: number;
  /** Failed sign-ins per username in signInWindowMs before attempts are refused. */
  signInMaxFailures: number;
  signInWindowMs: number;
  /** Requests per minute to /api routes per signed-in user (per address when signed out), counted in Redis across nodes; 0: off. */
  apiRateLimitPerMinute: number;
  /** Session cookie marked Secure (HTTPS only). */
  secureCookie: boolean;
  /** undefined: ingest open to any bridge that reaches it. */
  ingestToken: string | undefined;
}

export interface AdviceConfig {
  /** Off: no routing advice, nudges or customer context, and no call outcomes kept (summaries still work). */
  enabled: boolean;
  /** The routing table YAML (skill queues, self-service intents, escalation). */
  routingPath: string;
  /** Site secret for caller keys; undefined → a per-install secret kept in the data dir. */
  callerKeySecret: string | undefined;
  /** Earlier calls shown in the customer context. */
  contextCalls: number;
}

export interface AssistConfig {
  /** Off: no suggested articles (the knowledge base API still works). */
  enabled: boolean;
  /** Folder of knowledge YAML files an empty knowledge base is seeded from at start. */
  kbDir: string;
  /** Nothing is suggested unless the best article scores this much (0..1). */
  minConfidence: number;
}

export interface ComplianceConfig {
  /** Off: no compliance warnings or checklist (the rules API still works). */
  enabled: boolean;
  /** The versioned rules YAML file; re-read when it changes. */
  rulesPath: string;
}

export interface NluConfig {
  /** Off: no intent or emotion analysis (transcription and masking only). */
  enabled: boolean;
  /** undefined → the default trained model (models/trained/…). */
  intentModelDir: string | undefined;
  emotionModelDir: string | undefined;
  batchWindowMs: number;
  maxBatch: number;
  trendWindowMs: number;
  longSilenceMs: number;
}

export interface PiiConfig {
  lang: PiiLang;
  policy: MaskPolicy;
  redactMarginMs: number;
  redactFill: RedactionFill;
  /** Set: unredacted audio is also kept, AES-256-GCM encrypted with this key. */
  originalAudioKey: Buffer | undefined;
}

interface VariableSpec {
  name: string;
  default: string;
  description: string;
}

export const CONFIG_VARIABLES: VariableSpec[] = [
  { name: 'EARPIECE_HOST', default: '127.0.0.1', description: 'Address assist-server listens on (0.0.0.0 to accept bridges from other machines).' },
  { name: 'EARPIECE_PORT', default: '8080', description: 'HTTP/WebSocket port: agent UI at /, ingest at /ingest, agent events at /ws/agent.' },
  { name: 'EARPIECE_LOG_LEVEL', default: 'info', description: 'pino log level (fatal, error, warn, info, debug, trace, silent).' },
  { name: 'EARPIECE_DATA_DIR', default: '<repo>/data', description: 'Archive root: SQLite database, recordings, transcripts, spool, model copies.' },
  { name: 'EARPIECE_ASR_ENGINE', default: 'auto', description: 'Speech engine: vosk, pocketsphinx, or auto (Vosk when its model is installed, else PocketSphinx).' },
  { name: 'EARPIECE_VOSK_MODEL_DIR', default: '<repo>/models/cache/vosk-model-small-en-us-0.15', description: 'Unpacked Vosk model directory (setup downloads it).' },
  { name: 'EARPIECE_POCKETSPHINX_MODEL_DIR', default: '/usr/share/pocketsphinx/model/en-us', description: 'PocketSphinx model directory (Debian package pocketsphinx-en-us).' },
  { name: 'EARPIECE_POCKETSPHINX_SEARCH', default: 'fast', description: 'PocketSphinx search profile (npm run bench:search): fast (CMU speed settings: about half the CPU of full, no more word errors on test speech), lean (fast without the second pass: about a fifth less CPU again, more word errors; for more calls per node) or full (its own defaults).' },
  { name: 'EARPIECE_VAD', default: 'silero', description: 'Voice-activity gating before recognition: silero (recognizers see speech plus padding only; silence costs near nothing) or off (every sample is decoded).' },
  { name: 'EARPIECE_VAD_PADDING_MS', default: '300', description: 'Audio kept before and after each stretch of speech for the recognizer (ms); its utterance ends this long after speech stops, and silence longer than twice this is not decoded.' },
  { name: 'EARPIECE_VAD_THRESHOLD', default: '0.5', description: 'Silero speech probability (0 to 1) at which a 32 ms window counts as speech.' },
  { name: 'REDIS_URL', default: '(unset)', description: 'Redis for BullMQ jobs, e.g. redis://127.0.0.1:6379. Unset: Earpiece starts a private redis-server on a free local port and stops it on exit.' },
  { name: 'EARPIECE_REDIS_SERVER_BIN', default: 'redis-server', description: 'redis-server binary used when REDIS_URL is unset.' },
  { name: 'DATABASE_URL', default: '(unset)', description: 'PostgreSQL 15+ for every store, e.g. postgres://earpiece:secret@db-host:5432/earpiece (several nodes may share it; migrations run once under a lock). Unset: the embedded SQLite file <data dir>/earpiece.db.' },
  { name: 'EARPIECE_DB_POOL_SIZE', default: '10', description: 'Most PostgreSQL connections one node opens (DATABASE_URL only).' },
  { name: 'EARPIECE_TEST_DATABASE_URL', default: '(unset)', description: 'Tests only: a PostgreSQL server (URL of a role allowed to CREATE DATABASE) the PostgreSQL variants of the store tests use, one fresh database per test process. Unset: each test process starts a throwaway local PostgreSQL.' },
  { name: 'CI', default: '(unset)', description: 'Tests only: true makes a PostgreSQL that cannot start fail the PostgreSQL test variants instead of skipping them.' },
  { name: 'EARPIECE_ASSET_MIRROR', default: '(unset)', description: 'Local mirror directory for models and training data (air-gapped sites); assets are taken from the relative paths models/manifest.json names instead of being downloaded.' },
  { name: 'EARPIECE_AGENTS', default: 'agent-1:Alex Morgan,agent-2:Sam Lee', description: 'Agent directory for the sign-in screen: comma-separated id:Display Name pairs.' },
  { name: 'EARPIECE_SESSION_TTL_HOURS', default: '12', description: 'How long a sign-in session lasts (hours); then the user signs in again.' },
  { name: 'EARPIECE_SIGNIN_MAX_FAILURES', default: '5', description: 'Failed sign-ins per username within the lockout window before further attempts get 429 (an address may fail 4 times as often).' },
  { name: 'EARPIECE_SIGNIN_LOCKOUT_MINUTES', default: '15', description: 'Sliding window (minutes) in which failed sign-ins are counted.' },
  { name: 'EARPIECE_API_RATE_LIMIT_PER_MINUTE', default: '600', description: 'Requests per minute to /api routes per signed-in user (per client address when signed out), counted in Redis so every node shares the count; past it 429 with Retry-After. 0 turns the limit off (/api/health is never limited).' },
  { name: 'EARPIECE_SECURE_COOKIE', default: 'off', description: 'on: the session cookie is sent over HTTPS only (set it when a TLS proxy fronts the node).' },
  { name: 'EARPIECE_INGEST_TOKEN', default: '(unset)', description: 'Shared secret the telephony bridge presents on /ingest (Authorization: Bearer, or in the bridge URL: EARPIECE_BRIDGE_SERVER_URL=ws://ingest:<token>@host:8080). Ingest is machine to machine, outside user sign-in. Unset: any bridge that reaches the port is taken (keep it on a private network).' },
  { name: 'EARPIECE_UI_DIST', default: '<repo>/agent-ui/dist', description: 'Built agent UI served at / (npm run setup builds it).' },
  { name: 'EARPIECE_MAX_CALLS', default: '16', description: 'Concurrent calls this node accepts; further calls are refused (ingest error EARPIECE_INGEST_CAPACITY).' },
  { name: 'EARPIECE_RECOGNIZER_THREADS', default: '(available cores)', description: 'Decoder calls that run at once; every stream takes turns on them, round-robin. The earpiece command sizes the libuv threadpool to this + 4.' },
  { name: 'EARPIECE_RECOGNIZER_BATCH_MS', default: '100', description: 'Audio a leg gathers before each decoder call: many legs fed 20 ms at a time evict each other\'s models from the CPU caches (16 PocketSphinx legs cost about half as much again). Partials wait up to this long (their latency counts it). A leg whose decoder is still busy gathers up to 5 batches and decodes them in one call, so a leg behind real time catches up. 0: every frame is decoded on its own.' },
  { name: 'EARPIECE_RECOGNIZER_WARM_DECODERS', default: '8', description: 'Decoders (one per call leg) kept loaded between calls, and loaded at start for 8 kHz legs, so a burst of calls does not wait on model loads (PocketSphinx: about 0.27 CPU-s and 95 MB each). Set it to the legs of the calls you expect at once. 0: load per leg, free when it ends.' },
  { name: 'EARPIECE_CAPACITY_TARGET', default: '0.8', description: 'Fraction of recognizer time a node may commit: it takes floor(threads × target / measured cost per call) calls (at most EARPIECE_MAX_CALLS) and refuses more, or any while its recognizers are saturated (retryable EARPIECE_INGEST_CAPACITY: SIP 503 at the bridge). off: only EARPIECE_MAX_CALLS limits calls (test stacks default to off).' },
  { name: 'EARPIECE_NODE_ID', default: '<hostname>:<pid>', description: 'This node\'s name among nodes sharing one REDIS_URL (call ownership, event bus); must be unique per running node.' },
  { name: 'EARPIECE_PII_LANG', default: 'en', description: 'Language of spoken PII to mask: en or zh (Mandarin number readings, CN IDs and mobiles).' },
  { name: 'EARPIECE_PII_POLICY', default: '(all masked)', description: 'Per-type display, e.g. CREDIT_CARD=last4,BANK_ACCOUNT=last4: last4 shows `[CREDIT_CARD …1111]`; every other type shows `[TYPE]`.' },
  { name: 'EARPIECE_PII_REDACT_MARGIN_MS', default: '150', description: 'Audio redacted before and after each PII word span in recordings (recognizer word times are approximate).' },
  { name: 'EARPIECE_PII_REDACT_FILL', default: 'silence', description: 'What replaces PII audio in recordings: silence, or tone (a quiet 1 kHz tone, so a listener hears the cut).' },
  { name: 'EARPIECE_ORIGINAL_AUDIO_KEY', default: '(unset)', description: 'Opt-in: also keep unredacted audio, AES-256-GCM encrypted with this 64-hex-character key (`openssl rand -hex 32`). Unset: unredacted audio never reaches the disk.' },
  { name: 'EARPIECE_NLU', default: 'on', description: 'Live intent and emotion analysis: on or off.' },
  { name: 'EARPIECE_INTENT_MODEL_DIR', default: '(newest under models/trained/intent)', description: 'Trained intent model directory (`npx earpiece intent train` writes one; `npm run setup` trains the retail-banking default).' },
  { name: 'EARPIECE_EMOTION_MODEL_DIR', default: '(newest under models/trained/emotion)', description: 'Trained text emotion model directory (`npm run setup` trains the default from GoEmotions).' },
  { name: 'EARPIECE_NLU_BATCH_WINDOW_MS', default: '5', description: 'How long the first model request waits for others from live calls before one batched model call.' },
  { name: 'EARPIECE_NLU_MAX_BATCH', default: '64', description: 'Largest batch of utterances per model call.' },
  { name: 'EARPIECE_EMOTION_TREND_WINDOW_MS', default: '60000', description: 'Window in which a worsening customer emotion raises an escalation alert.' },
  { name: 'EARPIECE_EMOTION_LONG_SILENCE_MS', default: '5000', description: 'Both legs silent this long counts as a long silence (acoustic cue).' },
  { name: 'EARPIECE_ASSIST', default: 'on', description: 'Live suggested articles from the knowledge base: on or off.' },
  { name: 'EARPIECE_KB_DIR', default: '<repo>/models/packs/banking/knowledge', description: 'Knowledge YAML files an empty knowledge base is filled from when the node starts (`npx earpiece kb import --dir DIR` adds or updates articles later).' },
  { name: 'EARPIECE_ASSIST_MIN_CONFIDENCE', default: '0.1', description: 'Suggestions are shown only when the best article scores at least this (0 to 1); below it the utterance is treated as noise.' },
  { name: 'EARPIECE_COMPLIANCE', default: 'on', description: 'Live compliance warnings and checklist for agents: on or off.' },
  { name: 'EARPIECE_COMPLIANCE_RULES', default: '<repo>/models/packs/banking/compliance-rules.yaml', description: 'Versioned compliance rules file (YAML); re-read when it changes, replaced by PUT /api/compliance/rules. A file that fails validation is logged and the previous rules stay active.' },
  { name: 'EARPIECE_ADVICE', default: 'on', description: 'Routing advice (transfer, self-service), nudges (repeated question, open issue), the caller\'s earlier calls at call start and call outcomes: on or off.' },
  { name: 'EARPIECE_ROUTING_FILE', default: '<repo>/models/packs/banking/routing.yaml', description: 'Routing table (YAML): skill queue per customer intent, self-service intents with what to tell the customer, manager-request phrases. Re-read at the next call start after it changes; a file that fails validation is logged and the previous table stays.' },
  { name: 'EARPIECE_CALLER_KEY_SECRET', default: '(per-install secret in the data dir)', description: 'Secret (16+ characters) for caller keys: a caller\'s earlier calls are found by HMAC-SHA256 of the number\'s digits, never the number. Set the same value on every node of a site; changing it cuts callers off from their history.' },
  { name: 'EARPIECE_CUSTOMER_CONTEXT_CALLS', default: '5', description: 'Earlier calls of the caller shown to the agent at call start (0 hides them; outcomes are still kept).' },
  { name: 'EARPIECE_RETENTION_POLICY', default: '<repo>/models/packs/banking/retention.yaml', description: 'Retention policy (YAML: defaultDays, and days per call type = the call\'s source); archived calls older than that are purged (files and rows, audited as call.purged). off: never purge.' },
  { name: 'EARPIECE_RETENTION_SWEEP_CRON', default: '17 3 * * *', description: 'When the retention sweep runs (cron pattern, server time zone; a BullMQ job scheduler, so one sweep per schedule across nodes sharing Redis).' },
  { name: 'UV_THREADPOOL_SIZE', default: '(recognizer threads + 4, set by the earpiece command)', description: 'libuv threadpool size; speech recognition (EARPIECE_RECOGNIZER_THREADS of it) and file I/O run on it.' },
];

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const port = intVar(env, 'EARPIECE_PORT', 8080, 0, 65535);
  const engine = (env.EARPIECE_ASR_ENGINE ?? 'auto') as EngineChoice;
  if (!['auto', 'vosk', 'pocketsphinx'].includes(engine)) {
    throw new ConfigError(`EARPIECE_ASR_ENGINE must be auto, vosk or pocketsphinx (got "${engine}")`);
  }
  return {
    host: env.EARPIECE_HOST ?? '127.0.0.1',
    port,
    logLevel: env.EARPIECE_LOG_LEVEL ?? 'info',
    dataDir: resolve(env.EARPIECE_DATA_DIR ?? resolve(REPO_ROOT, 'data')),
    engine,
    voskModelDir: resolve(env.EARPIECE_VOSK_MODEL_DIR ?? resolve(REPO_ROOT, 'models/cache/vosk-model-small-en-us-0.15')),
    pocketsphinxModelDir: env.EARPIECE_POCKETSPHINX_MODEL_DIR || undefined,
    pocketsphinxSearch: loadPocketSphinxSearch(env),
    vad: loadVadConfig(env),
    redisUrl: env.REDIS_URL || undefined,
    databaseUrl: loadDatabaseUrl(env),
    dbPoolSize: intVar(env, 'EARPIECE_DB_POOL_SIZE', 10, 1, 1000),
    redisServerBin: env.EARPIECE_REDIS_SERVER_BIN ?? 'redis-server',
    assetMirror: env.EARPIECE_ASSET_MIRROR ? resolve(env.EARPIECE_ASSET_MIRROR) : undefined,
    agents: parseAgents(env.EARPIECE_AGENTS ?? 'agent-1:Alex Morgan,agent-2:Sam Lee'),
    uiDistDir: resolve(env.EARPIECE_UI_DIST ?? resolve(REPO_ROOT, 'agent-ui/dist')),
    maxCalls: intVar(env, 'EARPIECE_MAX_CALLS', 16, 1, 10_000),
    recognizerThreads: intVar(env, 'EARPIECE_RECOGNIZER_THREADS', availableParallelism(), 1, 256),
    recognizerBatchMs: intVar(env, 'EARPIECE_RECOGNIZER_BATCH_MS', 100, 0, 1000),
    recognizerWarmDecoders: intVar(env, 'EARPIECE_RECOGNIZER_WARM_DECODERS', 8, 0, 1000),
    capacityTarget: env.EARPIECE_CAPACITY_TARGET === 'off' ? undefined : fractionVar(env, 'EARPIECE_CAPACITY_TARGET', 0.8),
    nodeId: env.EARPIECE_NODE_ID || `${hostname()}:${process.pid}`,
    pii: loadPiiConfig(env),
    nlu: loadNluConfig(env),
    compliance: loadComplianceConfig(env),
    assist: loadAssistConfig(env),
    advice: loadAdviceConfig(env),
    auth: loadAuthConfig(env),
    archive: loadArchiveConfig(env),
  };
}

function loadArchiveConfig(env: NodeJS.ProcessEnv): ArchiveConfig {
  const policy = env.EARPIECE_RETENTION_POLICY || resolve(REPO_ROOT, 'models/packs/banking/retention.yaml');
  const cron = (env.EARPIECE_RETENTION_SWEEP_CRON || '17 3 * * *').trim();
  if (!/^(\S+\s+){4,5}\S+$/.test(cron)) throw new ConfigError(`EARPIECE_RETENTION_SWEEP_CRON must be a cron pattern of 5 or 6 fields (got "${cron}")`);
  return { retentionPolicyPath: policy === 'off' ? undefined : resolve(policy), retentionSweepCron: cron };
}

function loadAuthConfig(env: NodeJS.ProcessEnv): AuthConfig {
  const secure = env.EARPIECE_SECURE_COOKIE ?? 'off';
  if (secure !== 'on' && secure !== 'off') throw new ConfigError('EARPIECE_SECURE_COOKIE must be on or off');
  const ingestToken = env.EARPIECE_INGEST_TOKEN || undefined;
  if (ingestToken !== undefined && ingestToken.length < 16) throw new ConfigError('EARPIECE_INGEST_TOKEN needs at least 16 characters');
  return {
    sessionTtlMs: intVar(env, 'EARPIECE_SESSION_TTL_HOURS', 12, 1, 24 * 90) * 3_600_000,
    signInMaxFailures: intVar(env, 'EARPIECE_SIGNIN_MAX_FAILURES', 5, 1, 1000),
    signInWindowMs: intVar(env, 'EARPIECE_SIGNIN_LOCKOUT_MINUTES', 15, 1, 24 * 60) * 60_000,
    apiRateLimitPerMinute: intVar(env, 'EARPIECE_API_RATE_LIMIT_PER_MINUTE', 600, 0, 1_000_000),
    secureCookie: secure === 'on',
    ingestToken,
  };
}

function loadDatabaseUrl(env: NodeJS.ProcessEnv): string | undefined {
  const url = env.DATABASE_URL || undefined;
  if (url !== undefined && !/^postgres(ql)?:\/\//.test(url)) throw new ConfigError('DATABASE_URL must be a postgres:// or postgresql:// URL');
  return url;
}

/** Tests only: where the PostgreSQL variants of the store tests run (testing/private-postgres.ts). */
export function loadTestDatabaseConfig(env: NodeJS.ProcessEnv = process.env): { url: string | undefined; required: boolean } {
  const url = env.EARPIECE_TEST_DATABASE_URL || undefined;
  if (url !== undefined && !/^postgres(ql)?:\/\//.test(url)) throw new ConfigError('EARPIECE_TEST_DATABASE_URL must be a postgres:// URL');
  return { url, required: env.CI === 'true' || env.CI === '1' };
}

function loadAdviceConfig(env: NodeJS.ProcessEnv): AdviceConfig {
  const mode = env.EARPIECE_ADVICE || 'on';
  if (mode !== 'on' && mode !== 'off') throw new ConfigError(`EARPIECE_ADVICE must be on or off (got "${mode}")`);
  const secret = env.EARPIECE_CALLER_KEY_SECRET || undefined;
  if (secret !== undefined && Buffer.byteLength(secret, 'utf8') < 16) throw new ConfigError('EARPIECE_CALLER_KEY_SECRET must be at least 16 characters');
  return {
    enabled: mode === 'on',
    routingPath: resolve(env.EARPIECE_ROUTING_FILE || resolve(REPO_ROOT, 'models/packs/banking/routing.yaml')),
    callerKeySecret: secret,
    contextCalls: intVar(env, 'EARPIECE_CUSTOMER_CONTEXT_CALLS', 5, 0, 100),
  };
}

function loadAssistConfig(env: NodeJS.ProcessEnv): AssistConfig {
  const mode = env.EARPIECE_ASSIST || 'on';
  if (mode !== 'on' && mode !== 'off') throw new ConfigError(`EARPIECE_ASSIST must be on or off (got "${mode}")`);
  const rawMin = env.EARPIECE_ASSIST_MIN_CONFIDENCE || '0.1';
  const minConfidence = Number(rawMin);
  if (!Number.isFinite(minConfidence) || minConfidence < 0 || minConfidence > 1) throw new ConfigError(`EARPIECE_ASSIST_MIN_CONFIDENCE must be a number from 0 to 1 (got "${rawMin}")`);
  return { enabled: mode === 'on', kbDir: resolve(env.EARPIECE_KB_DIR || resolve(REPO_ROOT, 'models/packs/banking/knowledge')), minConfidence };
}

function loadComplianceConfig(env: NodeJS.ProcessEnv): ComplianceConfig {
  const mode = env.EARPIECE_COMPLIANCE || 'on';
  if (mode !== 'on' && mode !== 'off') throw new ConfigError(`EARPIECE_COMPLIANCE must be on or off (got "${mode}")`);
  return { enabled: mode === 'on', rulesPath: resolve(env.EARPIECE_COMPLIANCE_RULES || resolve(REPO_ROOT, 'models/packs/banking/compliance-rules.yaml')) };
}

function loadNluConfig(env: NodeJS.ProcessEnv): NluConfig {
  const mode = env.EARPIECE_NLU || 'on';
  if (mode !== 'on' && mode !== 'off') throw new ConfigError(`EARPIECE_NLU must be on or off (got "${mode}")`);
  return {
    enabled: mode === 'on',
    intentModelDir: env.EARPIECE_INTENT_MODEL_DIR ? resolve(env.EARPIECE_INTENT_MODEL_DIR) : undefined,
    emotionModelDir: env.EARPIECE_EMOTION_MODEL_DIR ? resolve(env.EARPIECE_EMOTION_MODEL_DIR) : undefined,
    batchWindowMs: intVar(env, 'EARPIECE_NLU_BATCH_WINDOW_MS', 5, 0, 1000),
    maxBatch: intVar(env, 'EARPIECE_NLU_MAX_BATCH', 64, 1, 4096),
    trendWindowMs: intVar(env, 'EARPIECE_EMOTION_TREND_WINDOW_MS', 60_000, 1000, 3_600_000),
    longSilenceMs: intVar(env, 'EARPIECE_EMOTION_LONG_SILENCE_MS', 5000, 500, 600_000),
  };
}

function loadPiiConfig(env: NodeJS.ProcessEnv): PiiConfig {
  const lang = env.EARPIECE_PII_LANG || 'en';
  if (lang !== 'en' && lang !== 'zh') throw new ConfigError(`EARPIECE_PII_LANG must be en or zh (got "${lang}")`);
  const fill = env.EARPIECE_PII_REDACT_FILL || 'silence';
  if (fill !== 'silence' && fill !== 'tone') throw new ConfigError(`EARPIECE_PII_REDACT_FILL must be silence or tone (got "${fill}")`);
  let policy: MaskPolicy;
  let originalAudioKey: Buffer | undefined;
  try {
    policy = parseMaskPolicy(env.EARPIECE_PII_POLICY ?? '');
    originalAudioKey = env.EARPIECE_ORIGINAL_AUDIO_KEY ? parseOriginalAudioKey(env.EARPIECE_ORIGINAL_AUDIO_KEY) : undefined;
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
  return { lang, policy, redactMarginMs: intVar(env, 'EARPIECE_PII_REDACT_MARGIN_MS', 150, 0, 2000), redactFill: fill, originalAudioKey };
}

export class ConfigError extends Error {
  readonly code = 'EARPIECE_CONFIG_INVALID';
  readonly retryable = false;
}

function loadVadConfig(env: NodeJS.ProcessEnv): VadSettings {
  const mode = env.EARPIECE_VAD || 'silero';
  if (mode !== 'silero' && mode !== 'off') throw new ConfigError(`EARPIECE_VAD must be silero or off (got "${mode}")`);
  const rawThreshold = env.EARPIECE_VAD_THRESHOLD || '0.5';
  const threshold = Number(rawThreshold);
  if (!Number.isFinite(threshold) || threshold <= 0 || threshold >= 1) throw new ConfigError(`EARPIECE_VAD_THRESHOLD must be a number above 0 and below 1 (got "${rawThreshold}")`);
  return { mode, paddingMs: intVar(env, 'EARPIECE_VAD_PADDING_MS', 300, 0, 5000), threshold };
}

function loadPocketSphinxSearch(env: NodeJS.ProcessEnv): PocketSphinxSearch {
  const search = env.EARPIECE_POCKETSPHINX_SEARCH || 'fast';
  if (search !== 'lean' && search !== 'fast' && search !== 'full') throw new ConfigError(`EARPIECE_POCKETSPHINX_SEARCH must be lean, fast or full (got "${search}")`);
  return search;
}

function intVar(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
  return n;
}

function fractionVar(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0 || n > 1) throw new ConfigError(`${name} must be a number above 0 and at most 1, or off (got "${raw}")`);
  return n;
}

function parseAgents(raw: string): AgentDirectoryEntry[] {
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const [id, ...name] = entry.split(':');
      const agentId = id!.trim();
      return { agentId, displayName: name.join(':').trim() || agentId };
    });
}

/** Markdown table of every variable, for the README and `earpiece config`. */
export function configTableMarkdown(): string {
  const rows = CONFIG_VARIABLES.map((v) => `| \`${v.name}\` | \`${v.default}\` | ${v.description} |`);
  return ['| Variable | Default | What it does |', '|---|---|---|', ...rows].join('\n');
}
