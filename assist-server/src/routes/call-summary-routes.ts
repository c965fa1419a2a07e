/**
 * Call summary for transfers: GET /api/calls/:callId/summary (JSON with a `text` handover note;
 * `?format=text` answers the note alone as text/plain). Live calls (through the registry) and
 * ended ones alike; masked data only.
 */
import type { FastifyInstance } from 'fastify';
import { summarizeCall, type CallSummarySources } from '../analyzers/summary/call-summary-source.ts';

export type CallSummaryRoutesOptions = CallSummarySources;

export async function callSummaryRoutes(app: FastifyInstance, options: CallSummaryRoutesOptions): Promise<void> {
  app.get('/api/calls/:callId/summary', { config: { access: 'signed-in' } }, async (req, reply) => {
    const { callId } = req.params as { callId: string };
    const { format } = req.query as { format?: string };
    if (format !== undefined && format !== 'json' && format !== 'text') return reply.code(400).send({ code: 'EARPIECE_BAD_QUERY', message: 'format is json or text' });
    const summary = await summarizeCall(options, callId);
    if (!summary) return reply.code(404).send({ code: 'EARPIECE_CALL_NOT_FOUND', message: `no call ${callId}` });
    if (format === 'text') return reply.type('text/plain; charset=utf-8').send(summary.text);
    return { summary };
  });
}
