import { useEffect, useId, useState } from 'react';
import type { FormEvent } from 'react';
import { loadAgents } from './load-agents.ts';
import type { AgentListing } from './load-agents.ts';

export const MAX_AGENT_ID_LENGTH = 128;

export interface SignInProps {
  onSignIn: (agentId: string) => void;
  fetchImpl?: typeof fetch;
}

type AgentsLoad =
  | { kind: 'loading' }
  | { kind: 'loaded'; agents: AgentListing[] }
  | { kind: 'failed'; message: string };

/** Agent picks who they are (real sign-in comes later): one button per known agent, or type an id. */
export function SignIn({ onSignIn, fetchImpl }: SignInProps) {
  const [load, setLoad] = useState<AgentsLoad>({ kind: 'loading' });
  const [otherId, setOtherId] = useState('');
  const [attempt, setAttempt] = useState(0);
  const inputId = useId();
  const hintId = useId();

  useEffect(() => {
    const controller = new AbortController();
    setLoad({ kind: 'loading' });
    loadAgents(fetchImpl, controller.signal).then(
      (agents) => setLoad({ kind: 'loaded', agents }),
      (error: unknown) => {
        if (!controller.signal.aborted) setLoad({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
      },
    );
    return () => controller.abort();
  }, [fetchImpl, attempt]);

  const trimmed = otherId.trim();
  const submitOther = (event: FormEvent) => {
    event.preventDefault();
    if (trimmed) onSignIn(trimmed);
  };

  return (
    <section className="sign-in" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">Who is at this desk?</h1>
      <section aria-label="Agents">
        {load.kind === 'loading' && <p className="muted" role="status">Loading agents…</p>}
        {load.kind === 'failed' && (
          <div className="notice notice-error" role="alert">
            <p>{load.message}</p>
            <button type="button" className="button" onClick={() => setAttempt((n) => n + 1)}>
              Try again
            </button>
          </div>
        )}
        {load.kind === 'loaded' && load.agents.length === 0 && <p className="muted">No agents are configured yet.</p>}
        {load.kind === 'loaded' && load.agents.length > 0 && (
          <ul className="agent-list">
            {load.agents.map((agent) => (
              <li key={agent.agentId}>
                <button type="button" className="button agent-button" onClick={() => onSignIn(agent.agentId)}>
                  <span className="agent-name">{agent.displayName || agent.agentId}</span>
                  <span className="agent-id">{agent.agentId}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
      <form className="other-agent" onSubmit={submitOther}>
        <label htmlFor={inputId}>Another agent id</label>
        <div className="other-agent-row">
          <input
            id={inputId}
            className="input"
            value={otherId}
            maxLength={MAX_AGENT_ID_LENGTH}
            autoComplete="off"
            spellCheck={false}
            aria-describedby={hintId}
            onChange={(event) => setOtherId(event.target.value)}
          />
          <button type="submit" className="button" disabled={!trimmed}>
            Use this id
          </button>
        </div>
        <p id={hintId} className="muted small">Ask your supervisor if your id is not listed.</p>
      </form>
    </section>
  );
}
