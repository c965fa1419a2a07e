/**
 * Query strings for every route: a key given more than once (`?agentId=a&agentId=b`) keeps its first
 * value. Routes read `req.query` as strings; Fastify's default parser turns a repeated key into an
 * array, which reached the SQL layer as several parameter values (a 500 the REST fuzz harness found:
 * routes/api-routes.fuzz.test.ts). The result has no prototype, as Fastify's own parser's.
 */
import { parse } from 'node:querystring';

export function parseQueryFirstValues(text: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const [key, value] of Object.entries(parse(text))) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) out[key] = first;
  }
  return out;
}
