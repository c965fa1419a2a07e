/**
 * Starts a whole Earpiece node: speech engine, private Redis (unless REDIS_URL), the database (SQLite, or PostgreSQL with DATABASE_URL),
 * post-call queue, live-call registry and the HTTP/WebSocket server. Used by `npm start`, the
 * end-to-end tests, the benchmarks and the CLI. `close()` stops everything it started, in order.
 */
import websocket from '@fastify/websocket';
import Fastify, { LogController, type FastifyInstance, type FastifyRequest } from 'fastify';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { PiiTranscriptMasker } from './analyzers/pii-masker/pii-transcript-masker.ts';
import { NluService } from './inference/nlu-service.ts';
import type { LiveAnalyzerFactory } from './analyzers/live/live-analyzer.ts';
import { complianceAnalyzer } from './analyzers/compliance/compliance-analyzer.ts';
import { ComplianceRules } from './analyzers/compliance/rules-loader.ts';
import { ComplianceStore } from './store/compliance-store.ts';
import { complianceRoutes } from './routes/compliance-routes.ts';
import { AssistService } from './analyzers/assist/assist-service.ts';
import { seedKnowledgeBase } from './analyzers/assist/knowledge-import.ts';
import { KnowledgeStore } from './store/knowledge-store.ts';
import { knowledgeRoutes } from './routes/knowledge-routes.ts';
import { adviceAnalyzer } from './analyzers/advice/advice-analyzer.ts';
import { callerKeyer, loadCallerKeySecret } from './analyzers/advice/caller-key.ts';
import { RoutingTableFile } from './analyzers/advice/routing-table.ts';
import { CustomerHistoryStore } from './store/customer-history-store.ts';
import { callSummaryRoutes } from './routes/call-summary-routes.ts';
import { reviewRoutes } from './routes/review-routes.ts';
import { analyticsRoutes } from './routes/analytics-routes.ts';
import { AnalyticsService } from './analytics/analytics-service.ts';
import { CallMetricsStore } from './store/call-metrics-store.ts';
import { ReviewStore } from './store/review-store.ts';
import { AuditLog } from './store/audit-log.ts';
import { defaultEmotionModelDir } from './analyzers/emotion/text/emotion-text-model.ts';
import { defaultIntentModelDir } from './analyzers/intent/intent-model.ts';
import type { TranscriptMasker } from './analyzers/pii-masker/transcript-masker.ts';
import type { CallEventSink } from './calls/call-session.ts';
import { loadResume } from './calls/load-resume.ts';
import { SessionRegistry } from './calls/session-registry.ts';
import type { ServerConfig } from './config.ts';
import { startPostCallQueue, type PostCallQueue } from './jobs/post-call-queue.ts';
import { loadRetentionPolicy } from './archive/retention-policy.ts';
import { postCallRoutes } from './routes/post-call-routes.ts';
import { PipelineMetrics } from './metrics/pipeline-metrics.ts';
import { MAX_AUDIO_FRAME_PAYLOAD_BYTES, AUDIO_FRAME_HEADER_BYTES } from './protocol/index.ts';
import { AgentHub } from './push/agent-hub.ts';
import { ClusterNode } from './cluster/cluster-node.ts';
import { endOrphanedCall } from './calls/end-orphaned-call.ts';
import { SupervisorHub } from './push/supervisor-hub.ts';
import { loadSpeechEngine } from './recognition/engine-registry.ts';
import { loadVad } from './recognition/vad/load-vad.ts';
import { WarmSpeechEngine } from './recognition/scheduling/warm-speech-engine.ts';
import { ScheduledSpeechEngine } from './recognition/scheduling/scheduled-speech-engine.ts';
import { AdmissionControl } from './calls/admission-control.ts';
import type { SpeechEngine } from './recognition/recognizer.ts';
import { startPrivateRedis, type PrivateRedis } from './redis/private-redis.ts';
import { agentSocketRoute } from './routes/agent-socket-route.ts';
import { supervisorSocketRoute } from './routes/supervisor-socket-route.ts';
import { agentUiStatic } from './routes/agent-ui-static.ts';
import { apiRoutes } from './routes/api-routes.ts';
import { ingestRoute } from './routes/ingest-route.ts';
import { CallStore } from './store/call-store.ts';
import type { SqlDatabase } from './db/sql-database.ts';
import { openDatabase } from './db/open-database.ts';
import { AuthService } from './auth/auth-service.ts';
import { installAccessControl } from './auth/access-control.ts';
import { agentScope } from './auth/call-access.ts';
import { ensureFirstAdmin } from './auth/first-admin.ts';
import { authRoutes } from './routes/auth-routes.ts';
import { RedisSignInThrottle } from './auth/redis-sign-in-throttle.ts';
import { userAdminRoutes } from './routes/user-admin-routes.ts';
import { installApiRateLimit } from './routes/rate-limit.ts';
import { parseQueryFirstValues } from './routes/query-string.ts';

export interface EarpieceNode {
  url: string;
  app: FastifyInstance;
  engine: SpeechEngine;
  store: CallStore;
  registry: SessionRegistry;
  /** Pushes call events to agents' sockets (bench:ui publishes through it directly). */
  hub: AgentHub;
  metrics: PipelineMetrics;
  postCall: PostCallQueue;
  redisUrl: string;
  /** The database every store uses (SQLite by default; PostgreSQL with DATABASE_URL). */
  db: SqlDatabase;
  /** Undefined when NLU is off or failed to start. */
  nlu: NluService | undefined;
  /** The live compliance rules (hot-reloaded) and the stored hits. */
  compliance: { rules: ComplianceRules; hits: ComplianceStore };
  /** Knowledge base (articles, suggestion log, feedback) and the assist suggestions built on it. */
  knowledge: KnowledgeStore;
  assist: AssistService;
  /** Users, sessions and sign-in (auth/). */
  auth: AuthService;
  /** Call ownership and the event bus shared with other nodes on the same Redis (cluster/). */
  cluster: ClusterNode;
  /** Settles once the decoders loaded ahead of calls (EARPIECE_RECOGNIZER_WARM_DECODERS) are loaded. */
  decodersWarm: Promise<void>;
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
  /** Where the first-run admin password is printed (default stderr; the test stack keeps it). */
  firstAdminOutput?: (text: string) => void;
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
        pocketsphinxSearch: config.pocketsphinxSearch,
        cacheDir: join(config.dataDir, 'models'),
        logger,
      }));
    if (!options.engine) cleanups.push(() => engine.close());
    await loadVad(config.vad, logger); // Silero loads once here, not on the first call
    // Decoders stay loaded between calls, and a few are loaded now, so a burst of calls does not wait on model loads.
    const warm = new WarmSpeechEngine(engine, { keep: config.recognizerWarmDecoders, logger });
    cleanups.push(() => warm.drain());
    const decodersWarm = warm.warm({ inputSampleRateHz: 8000 }, config.recognizerWarmDecoders).catch((err: Error) => logger.warn({ err: err.message }, 'could not load decoders ahead of calls'));
    // Every decoder call takes turns on EARPIECE_RECOGNIZER_THREADS slots; admission reads the measured cost.
    const scheduled = new ScheduledSpeechEngine(warm, { threads: config.recognizerThreads });
    const admission = new AdmissionControl(scheduled.load, {
      target: config.capacityTarget,
      maxCalls: config.maxCalls,
      ...(engine.expectedCostPerLeg ? { priorCostPerLeg: engine.expectedCostPerLeg } : {}),
    });

    let redisUrl = config.redisUrl;
    if (!redisUrl) {
      const redis: PrivateRedis = await startPrivateRedis({ bin: config.redisServerBin, dataDir: join(config.dataDir, 'redis'), logger });
      cleanups.push(() => redis.close());
      redisUrl = redis.url;
    }

    const db: SqlDatabase = await openDatabase({
      databaseUrl: config.databaseUrl,
      sqlitePath: join(config.dataDir, 'earpiece.db'),
      poolSize: config.dbPoolSize,
      logger: logger.child({ component: 'db' }),
    });
    cleanups.push(() => db.close());
    const auth = new AuthService(db, { sessionTtlMs: config.auth.sessionTtlMs });
    await ensureFirstAdmin(auth, options.firstAdminOutput);
    const store = new CallStore(db, {
      onWriteError: (err, callId) => logger.error({ err: err.message, callId }, 'cannot store a call event'),
      onOutage: (o) => (o.down ? logger.error({ err: o.err.message, queued: o.queued }, 'database unavailable: call events are kept and retried; agents still get them') : logger.warn({ downMs: o.downMs, queued: o.queued }, 'database back: storing the call events kept during the outage')),
    });
    cleanups.push(() => store.close());

    const metrics = new PipelineMetrics();
    const hub = new AgentHub(metrics, logger);
    const supervisors = new SupervisorHub(logger);
    const cluster = await ClusterNode.start({ redisUrl, nodeId: config.nodeId, hub, supervisors, logger, persisted: (callId) => store.persisted(callId) });
    cleanups.push(() => cluster.close());
    // Each event is stored before anyone sees it (a transcript line the agent saw survives a crash), and
    // a call's events reach sockets in order: a partial waits behind a final still being written.
    // Store failures are logged by the store; the agent still gets the event.
    const delivered = new Map<string, Promise<void>>();
    const sink: CallEventSink = {
      onCallEvent(event, session, timing) {
        // Both enqueued now, so the store's per-call queue keeps them in arrival order.
        const written = event.type === 'call.started' ? Promise.all([store.callStarted(event.call), store.recordEvent(event)]) : store.recordEvent(event);
        const next = Promise.all([delivered.get(event.callId), written.catch(() => undefined)]).then(() => {
          hub.publish(session.agentId, event, timing);
          supervisors.onCallEvent(event, session);
          cluster.publish(event, session);
        });
        delivered.set(event.callId, next);
        if (event.type === 'call.ended') void next.finally(() => delivered.get(event.callId) === next && delivered.delete(event.callId));
      },
    };
    const nlu = config.nlu.enabled ? await startNlu(config, logger) : undefined;
    if (nlu) cleanups.push(() => nlu.close());
    const { pii } = config;
    if (pii.originalAudioKey) logger.warn('EARPIECE_ORIGINAL_AUDIO_KEY is set: unredacted call audio is kept, AES-256-GCM encrypted, beside each redacted recording');
    else logger.info({ fill: pii.redactFill, marginMs: pii.redactMarginMs }, 'recordings are redacted before they reach the disk; no unredacted audio is kept');
    // Live analyzers beyond intent and emotion: each gets one instance per call (analyzers/live/live-analyzer.ts).
    const analyzers: LiveAnalyzerFactory[] = [];
    const complianceRules = await ComplianceRules.open({ path: config.compliance.rulesPath, log: logger.child({ component: 'compliance' }) });
    cleanups.push(() => complianceRules.close());
    const complianceHits = new ComplianceStore(db);
    // Post-call pipeline (jobs/, post-call/, archive/): after the rules, which its QA auto-score reads.
    const postCall = await startPostCallQueue({
      redisUrl,
      store,
      dataDir: config.dataDir,
      logger,
      ruleKinds: () => new Map(complianceRules.current.rules.map((r) => [r.rule.id, r.kind])),
      retention: config.archive.retentionPolicyPath ? { policy: await loadRetentionPolicy(config.archive.retentionPolicyPath), cron: config.archive.retentionSweepCron } : undefined,
    });
    cleanups.push(() => postCall.close());
    if (config.compliance.enabled) analyzers.push(complianceAnalyzer({ rules: complianceRules, store: complianceHits }));
    const knowledge = new KnowledgeStore(db);
    await seedKnowledgeBase(knowledge, config.assist.kbDir, logger);
    const assist = new AssistService({
      store: knowledge,
      intentReadings: nlu?.intentModelVersion !== undefined,
      rank: { minConfidence: config.assist.minConfidence },
      callAgent: async (callId) => registry.get(callId)?.agentId ?? (await store.getCall(callId))?.agentId,
      log: logger,
    });
    if (config.assist.enabled) analyzers.push(assist.factory);
    // Routing advice, nudges and the caller's history, found by a keyed hash of the number (never the number).
    const customerHistory = new CustomerHistoryStore(db);
    const callerKey = callerKeyer(loadCallerKeySecret(config.advice.callerKeySecret, config.dataDir));
    if (config.advice.enabled) {
      const routing = RoutingTableFile.open(config.advice.routingPath, logger.child({ component: 'routing' }));
      analyzers.push(adviceAnalyzer({ routing, history: customerHistory, contextCalls: config.advice.contextCalls }));
    }
    const registry = new SessionRegistry({
      engine: scheduled,
      vad: config.vad,
      recognizerBatchMs: config.recognizerBatchMs,
      admission,
      masker: options.masker ?? new PiiTranscriptMasker({ lang: pii.lang, policy: pii.policy }),
      sink,
      postCall,
      dataDir: config.dataDir,
      redaction: { marginMs: pii.redactMarginMs, fill: pii.redactFill, originalAudioKey: pii.originalAudioKey },
      nlu,
      emotion: { trend: { windowMs: config.nlu.trendWindowMs }, longSilenceMs: config.nlu.longSilenceMs },
      analyzers,
      callerKey,
      maxCalls: config.maxCalls,
      logger,
      loadResume: (callId, spoolDir) => cluster.claimAndLoad(callId, () => loadResume(store, callId, spoolDir)),
      persisted: (callId) => store.persisted(callId),
      mayEnd: (callId) => cluster.mayEnd(callId),
    });
    cluster.attach(registry);
    cluster.startOrphanSweep((callId) => endOrphanedCall(registry, store, config.dataDir, callId));
    cleanups.push(() => cluster.stopCalls(registry)); // ended, or handed over to other nodes

    // Per-request lines are off: URLs carry agent ids and the ingest path, nothing a log reader needs per request.
    const app = Fastify({ loggerInstance: logger, logController: new LogController({ disableRequestLogging: true }), routerOptions: { querystringParser: parseQueryFirstValues } }) as unknown as FastifyInstance;
    await app.register(websocket, { options: { maxPayload: MAX_AUDIO_FRAME_PAYLOAD_BYTES + AUDIO_FRAME_HEADER_BYTES + 1024 } });
    const audit = new AuditLog(db);
    // Before any route: every /api and /ws route must declare its access (auth/roles.ts), or ready() fails.
    installAccessControl(app, {
      auth,
      ingestToken: config.auth.ingestToken,
      audit,
      findCall: async (callId) => {
        const live = registry.get(callId);
        if (live) return { agentId: live.agentId, live: true };
        const stored = await store.getCall(callId);
        return stored && { agentId: stored.agentId, live: stored.status === 'live' };
      },
    });
    // Before the routes: the limiter hooks every /api route as it is added (routes/rate-limit.ts).
    await installApiRateLimit(app, { redisUrl, perMinute: config.auth.apiRateLimitPerMinute, logger });
    const scopeOf = async (req: FastifyRequest) => (req.user ? await agentScope(req.user, auth) : []);
    await app.register(authRoutes, {
      auth,
      audit,
      secureCookie: config.auth.secureCookie,
      throttle: new RedisSignInThrottle({ maxFailures: config.auth.signInMaxFailures, windowMs: config.auth.signInWindowMs, redisUrl, logger }),
    });
    await app.register(userAdminRoutes, { auth, audit });
    await app.register(ingestRoute, { registry, metrics, reconnectGraceMs: options.reconnectGraceMs ?? 30_000 });
    await app.register(agentSocketRoute, { hub, registry, agents: config.agents, assist, remote: cluster });
    await app.register(supervisorSocketRoute, { hub: supervisors, registry, agentScope: scopeOf, remote: cluster });
    await app.register(apiRoutes, { agents: config.agents, engine, admission, registry, store, metrics, nlu, agentScope: scopeOf });
    await app.register(complianceRoutes, { rules: complianceRules, hits: complianceHits, calls: store, agentScope: scopeOf });
    await app.register(knowledgeRoutes, { knowledge, assist });
    await app.register(callSummaryRoutes, { store, history: customerHistory, registry });
    await app.register(reviewRoutes, { store, review: new ReviewStore(db), audit, dataDir: config.dataDir });
    await app.register(postCallRoutes, { postCall, audit });
    await app.register(analyticsRoutes, { analytics: new AnalyticsService(db, new CallMetricsStore(db)), agentScope: scopeOf });
    await app.register(agentUiStatic, { distDir: config.uiDistDir });
    cleanups.push(() => app.close());

    let url = '';
    if (options.listen !== false) {
      url = await app.listen({ host: config.host, port: config.port });
    } else {
      await app.ready();
    }
    return { url, app, engine, store, registry, hub, metrics, postCall, redisUrl, db, logger, nlu, compliance: { rules: complianceRules, hits: complianceHits }, knowledge, assist, auth, cluster, decodersWarm, close };
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
