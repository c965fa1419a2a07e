/**
 * Compliance REST API: the active rules (GET; GET rules.yaml for the file's text), replacing them (PUT: YAML text or a JSON document;
 * validated, written to the rules file atomically, live calls use them from their next
 * utterance), and the stored hits, per call and across calls, for reviewers.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ComplianceRules } from '../analyzers/compliance/rules-loader.ts';
import { RulesValidationError } from '../analyzers/compliance/rules-schema.ts';
import type { ComplianceSeverity } from '../protocol/index.ts';
import type { CallStore } from '../store/call-store.ts';
import type { ComplianceStore } from '../store/compliance-store.ts';

export interface ComplianceRoutesOptions {
  rules: ComplianceRules;
  hits: ComplianceStore;
  calls: CallStore;
  /** The agents whose hits a request may list (a supervisor's team); undefined: every agent. */
  agentScope?: (req: FastifyRequest) => Promise<readonly string[] | undefined>;
}

const SEVERITIES = new Set<string>(['info', 'warning', 'critical']);

export async function complianceRoutes(app: FastifyInstance, options: ComplianceRoutesOptions): Promise<void> {
  app.addContentTypeParser(['application/yaml', 'application/x-yaml', 'text/yaml'], { parseAs: 'string', bodyLimit: 1024 * 1024 }, (_req, body, done) => done(null, body));

  app.get('/api/compliance/rules', { config: { access: 'signed-in' } }, async () => options.rules.status());

  // The rules file as text (comments kept), for editing in the admin screen; PUT it back to replace.
  app.get('/api/compliance/rules.yaml', { config: { access: 'signed-in' } }, async (_req, reply) => {
    const text = options.rules.text;
    if (text === null) return reply.code(404).send({ code: 'EARPIECE_COMPLIANCE_RULES_NONE', message: 'no rules file is loaded' });
    return reply.type('application/yaml; charset=utf-8').header('x-rules-version', options.rules.current.version).send(text);
  });

  app.put('/api/compliance/rules', { bodyLimit: 1024 * 1024, config: { access: 'admin' } }, async (req, reply) => {
    if (req.body === undefined || req.body === null || req.body === '') {
      return reply.code(400).send({ code: 'EARPIECE_COMPLIANCE_RULES_INVALID', message: 'send the rules as YAML (Content-Type: application/yaml) or JSON', problems: ['(file): empty body'] });
    }
    try {
      const result = await options.rules.replace(req.body);
      return { ...result, path: options.rules.path };
    } catch (err) {
      if (err instanceof RulesValidationError) return reply.code(400).send({ code: err.code, message: 'rules rejected: the previous rules stay active', problems: err.problems });
      throw err;
    }
  });

  app.get('/api/calls/:callId/compliance', { config: { access: 'signed-in' } }, async (req, reply) => {
    const { callId } = req.params as { callId: string };
    if (!(await options.calls.getCall(callId))) return reply.code(404).send({ code: 'EARPIECE_CALL_NOT_FOUND', message: `no call ${callId}` });
    return { callId, hits: await options.hits.forCall(callId) };
  });

  app.get('/api/compliance/hits', { config: { access: ['supervisor', 'reviewer'] } }, async (req, reply) => {
    const q = req.query as { ruleId?: string; severity?: string; rulesVersion?: string; sinceMs?: string; limit?: string };
    if (q.severity && !SEVERITIES.has(q.severity)) return reply.code(400).send({ code: 'EARPIECE_BAD_QUERY', message: 'severity is info, warning or critical' });
    const sinceMs = q.sinceMs === undefined ? undefined : Number(q.sinceMs);
    if (sinceMs !== undefined && !Number.isFinite(sinceMs)) return reply.code(400).send({ code: 'EARPIECE_BAD_QUERY', message: 'sinceMs is ms since the epoch' });
    return {
      hits: await options.hits.query({
        ruleId: q.ruleId,
        severity: q.severity as ComplianceSeverity | undefined,
        rulesVersion: q.rulesVersion,
        sinceMs,
        agentIds: await options.agentScope?.(req),
        limit: q.limit ? Number(q.limit) || 100 : 100,
      }),
    };
  });
}
