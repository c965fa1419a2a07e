export interface AgentListing {
  agentId: string;
  displayName: string;
}

export class LoadAgentsError extends Error {
  readonly code = 'EARPIECE_UI_AGENTS_FETCH';
  readonly retryable = true;
}

/** `GET /api/agents` → the agent directory (names for ids; signed-in users only). `fetchImpl` defaults to the browser's fetch. */
export async function loadAgents(
  fetchImpl: typeof fetch = fetch,
  signal?: AbortSignal,
): Promise<AgentListing[]> {
  let response: Response;
  try {
    response = await fetchImpl('/api/agents', { headers: { accept: 'application/json' }, signal: signal ?? null });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new LoadAgentsError('Could not reach the assist server at /api/agents; check that it is running.');
  }
  if (!response.ok) {
    throw new LoadAgentsError(`GET /api/agents answered ${response.status}; check the assist server logs.`);
  }
  const body: unknown = await response.json();
  const agents = (body as { agents?: unknown } | null)?.agents;
  if (!Array.isArray(agents)) {
    throw new LoadAgentsError('GET /api/agents did not return { agents: [...] }; check the server version.');
  }
  return agents.filter(
    (a): a is AgentListing =>
      typeof a === 'object' && a !== null && typeof a.agentId === 'string' && a.agentId.length > 0 &&
      typeof a.displayName === 'string',
  );
}
