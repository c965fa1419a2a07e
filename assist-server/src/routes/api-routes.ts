/** REST API: agent directory, health, archived calls. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SessionRegistry } from '../calls/session-registry.ts';
import type { AdmissionControl } from '../calls/admission-control.ts';
import type { NluService } from '../inference/nlu-service.ts';
import type { AgentDirectoryEntry } from '../config.ts';
import type { PipelineMetrics } from '../metrics/pipeline-metrics.ts';
import type { SpeechEngine } from '../recognition/recognizer.ts';
import type { CallStore } from '../store/call-store.ts';

export interface ApiRoutesOptions {
  agents: AgentDirectoryEntry[];
  engine: SpeechEngine;
  registry: SessionRegistry;
  /** Capacity and recognizer load figures (absent in route tests). */
  admission?: AdmissionControl | undefined;
  store: CallStore;
  metrics: PipelineMetrics;
  /** Undefined when NLU is off or failed to start. */
  nlu: NluService | undefined;
  /** The agents a request's user may see (undefined: all); absent: no scoping (route tests). */
  agentScope?: (req: FastifyRequest) => Promise<readonly string[] | undefined>;
}

export async function apiRoutes(app: FastifyInstance, options: ApiRoutesOptions): Promise<void> {
  app.get('/api/agents', { config: { access: 'signed-in' } }, async () => ({ agents: options.agents }));

  app.get('/api/health', { config: { access: 'public' } }, async () => ({
    status: 'ok',
    speech: { engine: options.engine.name, model: options.engine.modelDescription, sampleRateHz: options.engine.sampleRateHz },
    nlu: options.nlu ? { ...options.nlu.info, batches: options.nlu.batchStats() } : { backend: null, intentModelVersion: null, emotionModelVersion: null },
    liveCalls: options.registry.size,
    capacity: options.admission?.figures(options.registry.size),
    metrics: {
      framesReceived: options.metrics.framesReceived,
      framesDuplicate: options.metrics.framesDuplicate,
      framesRejected: options.metrics.framesRejected,
      eventsPushed: options.metrics.eventsPushed,
      partialLatencyMs: options.metrics.partialLatencyMs.summary(),
      finalLatencyMs: options.metrics.finalLatencyMs.summary(),
      eventLoopDelayMs: options.metrics.eventLoopDelayMs(),
    },
  }));

  // Scoped to the agents the user may see (an agent: their own calls; a supervisor: their team's).
  app.get('/api/calls', { config: { access: 'signed-in' } }, async (req, reply) => {
    const q = req.query as { agentId?: string; limit?: string };
    const limit = q.limit ? Number(q.limit) || 50 : 50;
    const scope = await options.agentScope?.(req);
    if (scope && q.agentId && !scope.includes(q.agentId)) return reply.code(403).send({ code: 'EARPIECE_FORBIDDEN', message: `agent ${q.agentId} is outside your scope` });
    const agentId = q.agentId ?? (scope?.length === 1 ? scope[0] : undefined);
    if (scope && agentId === undefined) {
      const all = await Promise.all(scope.map((a) => options.store.listCalls({ agentId: a, limit })));
      return { calls: all.flat().sort((a, b) => b.startedAtMs - a.startedAtMs).slice(0, limit) };
    }
    return { calls: await options.store.listCalls({ agentId, limit }) };
  });

  app.get('/api/calls/:callId', { config: { access: 'signed-in' } }, async (req, reply) => {
    const { callId } = req.params as { callId: string };
    const call = await options.store.getCall(callId);
    if (!call) return reply.code(404).send({ code: 'EARPIECE_CALL_NOT_FOUND', message: `no call ${callId}` });
    return { call, utterances: await options.store.finals(callId), recordings: (await options.store.recordings(callId)).map(({ path: _p, ...r }) => r) };
  });
}
