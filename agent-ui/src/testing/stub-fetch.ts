/**
 * `fetch` is the browser edge for unit specs: a stub that answers every request with one status and
 * JSON body, and records what was asked (the e2e tests use the real server).
 */
export function stubFetch(status: number, body: unknown) {
  const requests: Array<{ url: string; method: string; body: unknown }> = [];
  const fetchImpl = (async (input: RequestInfo | URL, init?: RequestInit) => {
    requests.push({ url: String(input), method: init?.method ?? 'GET', body: init?.body ? JSON.parse(String(init.body)) : undefined });
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
  return { fetchImpl, requests };
}
