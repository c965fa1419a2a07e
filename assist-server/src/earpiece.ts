/**
 * Starts a whole Earpiece node: speech engine, private Redis (unless REDIS_URL), SQLite store,
 * post-call queue, live-call registry and the HTTP/WebSocket server. Used by `npm start`, the
 * end-to-end tests, the benchmarks and the CLI. `close()` stops everything it started, in order.
 */
import websocket from '@fastify/websocket';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { PiiTranscriptMasker } from './analyzers/pii-masker/pii-transcript-masker.ts';
import { NluService } from './inference/nlu-service.ts';
import type { LiveAnalyzerFactory } from './analyzers/live/live-analyzer.ts';
import { defaultEmotionModelDir } from './analyzers/emotion/text/emotion-text-model.ts';
import { defaultIntentModelDir } from './analyzers/intent/intent-model.ts';
import type { TranscriptMasker } from './analyzers/pii-masker/transcript-masker.ts';
import type { CallEventSink } from './calls/call-session.ts';
import { loadResume } from './calls/load-resume.ts';
import { SessionRegistry } from './calls/session-registry.ts';
import type { ServerConfig } from './config.ts';
import { startPostCallQueue, type PostCallQueue } from './jobs/post-call-queue.ts';
import { PipelineMetrics } from './metrics/pipeline-metrics.ts';
import { MAX_AUDIO_FRAME_PAYLOAD_BYTES, AUDIO_FRAME_HEADER_BYTES } from './protocol/index.ts';
import { AgentHub } from './push/agent-hub.ts';
import { loadSpeechEngine } from './recognition/engine-registry.ts';
import type { SpeechEngine } from './recognition/recognizer.ts';
import { startPrivateRedis, type PrivateRedis } from './redis/private-redis.ts';
import { agentSocketRoute } from './routes/agent-socket-route.ts';
import { agentUiStatic } from './routes/agent-ui-static.ts';
import { apiRoutes } from './routes/api-routes.ts';
import { ingestRoute } from './routes/ingest-route.ts';
import { CallStore } from './store/call-store.ts';

export interface EarpieceNode {
  url: string;
  app: FastifyInstance;
  engine: SpeechEngine;
  store: CallStore;
  registry: SessionRegistry;
  metrics: PipelineMetrics;
  postCall: PostCallQueue;
  redisUrl: string;
  /** Undefined when NLU is off or failed to start. */
  nlu: NluService | undefined;
  logger: Logger;
  close(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  /** Use this engine instead of loading one from the configuration. */
  engine?: SpeechEngine;
  masker?: TranscriptMasker;
  /** Skip listening (CLI transcribe uses the registry in-process). */
  listen?: boolean;
  reconnectGraceMs?: number;
}

export async function startEarpiece(config: ServerConfig, options: StartOptions = {}): Promise<EarpieceNode> {
  const logger = options.logger ?? pino({ level: config.logLevel, base: { service: 'assist-server' } });
  const cleanups: Array<() => Promise<void> | void> = [];
  const close = async () => {
    for (const fn of cleanups.splice(0).reverse()) {
      try {
        await fn();
      } catch (err) {
        logger.error({ err: (err as Error).message }, 'shutdown step failed');
      }
    }
  };
  try {
    const engine =
      options.engine ??
      (await loadSpeechEngine({
        engine: config.engine,
        voskModelDir: config.voskModelDir,
        pocketsphinxModelDir: config.pocketsphinxModelDir,
        cacheDir: join(config.dataDir, 'models'),
        logger,
      }));
    if (!options.engine) cleanups.push(() => engine.close());

    let redisUrl = config.redisUrl;
    if (!redisUrl) {
      const redis: PrivateRedis = await startPrivateRedis({ bin: config.redisServerBin, dataDir: join(config.dataDir, 'redis'), logger });
      cleanups.push(() => redis.close());
      redisUrl = redis.url;
    }

    const store = new CallStore(join(config.dataDir, 'earpiece.db'));
    cleanups.push(() => store.close());
    const postCall = await startPostCallQueue({ redisUrl, store, dataDir: config.dataDir, logger });
    cleanups.push(() => postCall.close());

    const metrics = new PipelineMetrics();
    const hub = new AgentHub(metrics, logger);
    const sink: CallEventSink = {
      onCallEvent(event, session, timing) {
        if (event.type === 'call.started') store.callStarted(event.call);
        store.recordEvent(event);
        hub.publish(session.agentId, event, timing);
      },
    };
    const nlu = config.nlu.enabled ? await startNlu(config, logger) : undefined;
    if (nlu) cleanups.push(() => nlu.close());
    const { pii } = config;
    if (pii.originalAudioKey) logger.warn('EARPIECE_ORIGINAL_AUDIO_KEY is set: unredacted call audio is kept, AES-256-GCM encrypted, beside each redacted recording');
    else logger.info({ fill: pii.redactFill, marginMs: pii.redactMarginMs }, 'recordings are redacted before they reach the disk; no unredacted audio is kept');
    // Live analyzers beyond intent and emotion: each gets one instance per call (analyzers/live/live-analyzer.ts).
    const analyzers: LiveAnalyzerFactory[] = [];
    const registry = new SessionRegistry({
      engine,
      masker: options.masker ?? new PiiTranscriptMasker({ lang: pii.lang, policy: pii.policy }),
      sink,
      postCall,
      dataDir: config.dataDir,
      redaction: { marginMs: pii.redactMarginMs, fill: pii.redactFill, originalAudioKey: pii.originalAudioKey },
      nlu,
      emotion: { trend: { windowMs: config.nlu.trendWindowMs }, longSilenceMs: config.nlu.longSilenceMs },
      analyzers,
      maxCalls: config.maxCalls,
      logger,
      loadResume: (callId, spoolDir) => loadResume(store, callId, spoolDir),
    });
    cleanups.push(() => registry.stopAll('shutdown'));

    // Per-request lines are off: URLs carry agent ids and the ingest path, nothing a log reader needs per request.
    const app = Fastify({ loggerInstance: logger, logController: new LogController({ disableRequestLogging: true }) }) as unknown as FastifyInstance;
    await app.register(websocket, { options: { maxPayload: MAX_AUDIO_FRAME_PAYLOAD_BYTES + AUDIO_FRAME_HEADER_BYTES + 1024 } });
    await app.register(ingestRoute, { registry, metrics, reconnectGraceMs: options.reconnectGraceMs ?? 30_000 });
    await app.register(agentSocketRoute, { hub, registry, agents: config.agents });
    await app.register(apiRoutes, { agents: config.agents, engine, registry, store, metrics, nlu });
    await app.register(agentUiStatic, { distDir: config.uiDistDir });
    cleanups.push(() => app.close());

    let url = '';
    if (options.listen !== false) {
      url = await app.listen({ host: config.host, port: config.port });
    } else {
      await app.ready();
    }
    return { url, app, engine, store, registry, metrics, postCall, redisUrl, logger, nlu, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** NLU in its worker thread; a failure leaves calls running without intent and emotion (logged). */
async function startNlu(config: ServerConfig, logger: Logger): Promise<NluService | undefined> {
  try {
    return await NluService.start({
      intentModelDir: config.nlu.intentModelDir ?? defaultIntentModelDir(),
      emotionModelDir: config.nlu.emotionModelDir ?? defaultEmotionModelDir(),
      batchWindowMs: config.nlu.batchWindowMs,
      maxBatch: config.nlu.maxBatch,
      logger,
    });
  } catch (err) {
    logger.error({ err: (err as Error).message }, 'NLU failed to start: calls run without intent and emotion');
    return undefined;
  }
}
