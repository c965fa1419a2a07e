/**
 * Fuzz: REST bodies, parameters and query strings on every /api route of a real node, through
 * `app.inject`: valid bodies with fields replaced (any JSON value, prototype keys), mutated JSON
 * text, random JSON, random bytes under several content types; path parameters and query values
 * from random strings; signed out or signed in as each role. No request may end in a server error
 * (5xx: an unhandled throw), every JSON answer must parse, and the heap must not grow without
 * bound. The API rate limit is turned off for this node (routes/rate-limit.test.ts tests it). Short count in CI; EARPIECE_SOAK=1 runs
 * 100,000 cases.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import pino from 'pino';
import type { Role } from '../auth/roles.ts';
import { fuzzAsync } from '../testing/fuzz-harness.ts';
import { fuzzInput, mutatedJson } from '../testing/fuzz-mutations.ts';
import { startTestStack, type TestStack } from '../testing/test-stack.ts';

let stack: TestStack;
const tokens = new Map<string, string>();
before(async () => {
  stack = await startTestStack({ EARPIECE_API_RATE_LIMIT_PER_MINUTE: '0' }, { logger: pino({ level: 'error' }, pino.destination(2)) });
  for (const role of ['admin', 'supervisor', 'agent', 'reviewer'] as Role[]) tokens.set(role, (await stack.signIn(`fuzz-${role}`, role)).headers.authorization);
});
after(async () => stack.close());

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const ROUTES: Array<[Method, string]> = [
  ['GET', '/api/agents'], ['GET', '/api/health'], ['GET', '/api/calls'], ['GET', '/api/calls/:callId'], ['GET', '/api/calls/:callId/compliance'],
  ['GET', '/api/calls/:callId/summary'], ['POST', '/api/calls/:callId/feedback'], ['GET', '/api/admin/audit'], ['GET', '/api/audit'],
  ['GET', '/api/admin/post-call/dead-letters'], ['POST', '/api/admin/post-call/dead-letters/:id/retry'], ['GET', '/api/admin/users'],
  ['POST', '/api/admin/users'], ['PATCH', '/api/admin/users/:userId'], ['GET', '/api/analytics/agents'], ['GET', '/api/analytics/demand'],
  ['GET', '/api/analytics/keywords'], ['GET', '/api/analytics/sentiment'], ['GET', '/api/analytics/staffing'], ['GET', '/api/auth/me'],
  ['POST', '/api/auth/sign-in'], ['POST', '/api/auth/sign-out'], ['GET', '/api/compliance/hits'], ['GET', '/api/compliance/rules'],
  ['GET', '/api/compliance/rules.yaml'], ['PUT', '/api/compliance/rules'], ['GET', '/api/kb/articles'], ['GET', '/api/kb/articles/:id'],
  ['POST', '/api/kb/articles'], ['PUT', '/api/kb/articles/:id'], ['DELETE', '/api/kb/articles/:id'], ['GET', '/api/kb/gaps'],
  ['GET', '/api/review/calls'], ['GET', '/api/review/calls/:callId'], ['GET', '/api/review/calls/:callId/audio/:role'],
  ['GET', '/api/review/calls/:callId/scorecard'], ['PUT', '/api/review/calls/:callId/scorecard'],
];

const BODIES: Array<Record<string, unknown>> = [
  { username: 'fuzz-agent', password: 'wrong-password', issueToken: true },
  { username: 'new-user', password: 'a-long-password-1', role: 'agent', displayName: 'New User', teamId: 'team-a' },
  { role: 'supervisor', teamId: null, active: false, password: 'another-password-2' },
  { title: 'Card replacement', body: 'How to replace a card.', tags: ['cards'], intents: ['card.replace'] },
  { rating: 4, comment: 'good', kind: 'summary' },
  { scores: { greeting: 2, empathy: 1 }, notes: 'ok', criteria: [{ id: 'greeting', score: 2 }] },
  { rules: [{ id: 'disclosure', kind: 'required', phrases: ['this call is recorded'] }] },
];
const QUERY_KEYS = ['limit', 'agentId', 'callId', 'from', 'to', 'since', 'until', 'days', 'team', 'status', 'q', 'actor', 'action', 'offset', 'role'];
const weird = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('', '-1', '0', '1e309', 'NaN', '99999999999999999999', '..%2F..%2Fetc%2Fpasswd', '%', '%00', 'agent', 'customer', 'call-1', '__proto__', "' OR 1=1 --", '2026-13-45'), fc.nat().map(String));

const request = fc.record({
  route: fc.constantFrom(...ROUTES),
  otherMethod: fc.option(fc.constantFrom<Method>('GET', 'POST', 'PUT', 'PATCH', 'DELETE'), { freq: 8 }),
  params: fc.array(weird, { minLength: 3, maxLength: 3 }),
  query: fc.array(fc.tuple(fc.oneof(fc.constantFrom(...QUERY_KEYS), fc.string({ maxLength: 6 })), weird), { maxLength: 4 }),
  auth: fc.constantFrom('none', 'admin', 'admin', 'supervisor', 'agent', 'reviewer'),
  body: fc.oneof(
    { weight: 4, arbitrary: mutatedJson(BODIES).map((b) => ({ type: 'application/json', payload: JSON.stringify(b) })) },
    { weight: 1, arbitrary: fc.constantFrom(...BODIES).map((b) => ({ type: 'application/json', payload: JSON.stringify(b) })) },
    { weight: 2, arbitrary: fuzzInput(BODIES.map((b) => JSON.stringify(b)), { dictionary: ['{', '}', '"', '\\u0000', '"__proto__":', '"constructor":{"prototype":{}}'] }).map((b) => ({ type: 'application/json', payload: b.toString('utf8') })) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => ({ type: 'application/json', payload: JSON.stringify(v) })) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('text/plain', 'application/yaml', 'application/octet-stream', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16', ''), fc.string({ maxLength: 200 })).map(([type, payload]) => ({ type, payload })) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  ),
});

test('fuzz: every /api route answers any body, parameters and query without a server error', async (t) => {
  const statuses = new Map<number, number>();
  await fuzzAsync(
    t,
    'api-rest-inject',
    request,
    async (r) => {
      const [method, template] = r.route;
      let i = 0;
      const path = template.replace(/:[A-Za-z]+/g, () => encodeURIComponent(r.params[i++]!));
      const query = r.query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
      const headers: Record<string, string> = {};
      // Signing the fuzz users out would only end their sessions: sign-out is fuzzed signed out.
      const auth = template === '/api/auth/sign-out' ? 'none' : r.auth;
      if (auth !== 'none') headers['authorization'] = tokens.get(auth)!;
      const m = r.otherMethod ?? method;
      const withBody = r.body && m !== 'GET' && m !== 'DELETE';
      if (withBody && r.body!.type) headers['content-type'] = r.body!.type;
      const res = await stack.node.app.inject({ method: m, url: query ? `${path}?${query}` : path, headers, ...(withBody ? { payload: r.body!.payload } : {}) });
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
      assert.ok(res.statusCode < 500, `${m} ${path}${query ? `?${query}` : ''} (${auth}) answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
      if (String(res.headers['content-type'] ?? '').includes('application/json') && res.body) JSON.parse(res.body);
    },
    { shortRuns: 600 },
  );
  t.diagnostic(JSON.stringify({ statuses: Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])) }));
});
