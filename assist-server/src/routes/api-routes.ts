/** REST API: agent directory, health, archived calls. */
import type { FastifyInstance } from 'fastify';
import type { SessionRegistry } from '../calls/session-registry.ts';
import type { NluService } from '../inference/nlu-service.ts';
import type { AgentDirectoryEntry } from '../config.ts';
import type { PipelineMetrics } from '../metrics/pipeline-metrics.ts';
import type { SpeechEngine } from '../recognition/recognizer.ts';
import type { CallStore } from '../store/call-store.ts';

export interface ApiRoutesOptions {
  agents: AgentDirectoryEntry[];
  engine: SpeechEngine;
  registry: SessionRegistry;
  store: CallStore;
  metrics: PipelineMetrics;
  /** Undefined when NLU is off or failed to start. */
  nlu: NluService | undefined;
}

export async function apiRoutes(app: FastifyInstance, options: ApiRoutesOptions): Promise<void> {
  app.get('/api/agents', async () => ({ agents: options.agents }));

  app.get('/api/health', async () => ({
    status: 'ok',
    speech: { engine: options.engine.name, model: options.engine.modelDescription, sampleRateHz: options.engine.sampleRateHz },
    nlu: options.nlu ? { ...options.nlu.info, batches: options.nlu.batchStats() } : { backend: null, intentModelVersion: null, emotionModelVersion: null },
    liveCalls: options.registry.size,
    metrics: {
      framesReceived: options.metrics.framesReceived,
      framesDuplicate: options.metrics.framesDuplicate,
      framesRejected: options.metrics.framesRejected,
      eventsPushed: options.metrics.eventsPushed,
      partialLatencyMs: options.metrics.partialLatencyMs.summary(),
      finalLatencyMs: options.metrics.finalLatencyMs.summary(),
    },
  }));

  app.get('/api/calls', async (req) => {
    const q = req.query as { agentId?: string; limit?: string };
    return { calls: options.store.listCalls({ agentId: q.agentId, limit: q.limit ? Number(q.limit) || 50 : 50 }) };
  });

  app.get('/api/calls/:callId', async (req, reply) => {
    const { callId } = req.params as { callId: string };
    const call = options.store.getCall(callId);
    if (!call) return reply.code(404).send({ code: 'EARPIECE_CALL_NOT_FOUND', message: `no call ${callId}` });
    return { call, utterances: options.store.finals(callId), recordings: options.store.recordings(callId).map(({ path: _p, ...r }) => r) };
  });
}
