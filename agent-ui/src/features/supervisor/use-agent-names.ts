import { useCallback, useEffect, useState } from 'react';
import { loadAgents } from '../sign-in/load-agents.ts';

/** Agent id → display name from `GET /api/agents`; the id itself until (or unless) the list loads. */
export function useAgentNames(): (agentId: string) => string {
  const [names, setNames] = useState<ReadonlyMap<string, string>>(new Map());
  useEffect(() => {
    const abort = new AbortController();
    loadAgents(fetch, abort.signal)
      .then((agents) => setNames(new Map(agents.map((a) => [a.agentId, a.displayName]))))
      .catch(() => undefined); // ids are shown instead
    return () => abort.abort();
  }, []);
  return useCallback((agentId: string) => names.get(agentId) ?? agentId, [names]);
}
