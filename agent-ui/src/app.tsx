import { useCallback, useState } from 'react';
import { useAgentSession } from './connection/use-agent-session.ts';
import { AdviceStrip } from './features/advice/advice-strip.tsx';
import { CallHeader } from './features/call-header/call-header.tsx';
import { ComplianceAnnouncer, CompliancePanel } from './features/compliance/compliance-panel.tsx';
import { CustomerContextCard } from './features/customer-context/customer-context-card.tsx';
import { CustomerInsight } from './features/customer-insight/customer-insight.tsx';
import { SignIn } from './features/sign-in/sign-in.tsx';
import { storedAgent } from './features/sign-in/stored-agent.ts';
import { SwitchAgentButton } from './features/sign-in/switch-agent-button.tsx';
import { SuggestionsPanel } from './features/suggestions/suggestions-panel.tsx';
import { Transcript } from './features/transcript/transcript.tsx';
import { selectActiveCall } from './state/select-active-call.ts';

/** Sign-in until an agent is chosen, then that agent's live desk. */
export function App() {
  const [agentId, setAgentId] = useState<string | null>(() => storedAgent.read());

  const signIn = useCallback((id: string) => {
    storedAgent.write(id);
    setAgentId(id);
  }, []);
  const switchAgent = useCallback(() => {
    storedAgent.clear();
    setAgentId(null);
  }, []);

  if (agentId === null) return <SignIn onSignIn={signIn} />;
  // Keyed by agent so a switch starts from a fresh socket and empty state.
  return <AgentDesk key={agentId} agentId={agentId} onSwitchAgent={switchAgent} />;
}

function AgentDesk({ agentId, onSwitchAgent }: { agentId: string; onSwitchAgent: () => void }) {
  const { state, status, clockOffsetMs, send } = useAgentSession(agentId);
  const call = selectActiveCall(state);
  return (
    <div className="desk">
      <CallHeader
        call={call}
        status={status}
        clockOffsetMs={clockOffsetMs}
        actions={<SwitchAgentButton agentId={agentId} onSwitch={onSwitchAgent} />}
      />
      {state.lastError && (
        <p className="notice notice-error" role="alert">
          Server error {state.lastError.code}: {state.lastError.message}
        </p>
      )}
      <ComplianceAnnouncer call={call} />
      <main className="desk-main">
        <div className="desk-conversation">
          <AdviceStrip call={call} />
          <Transcript call={call} />
        </div>
        <aside className="assist-rail" aria-label="Assist">
          <CustomerInsight call={call} />
          <SuggestionsPanel key={call?.callId ?? 'none'} call={call} send={send} />
          <CompliancePanel call={call} />
          <CustomerContextCard call={call} />
        </aside>
      </main>
    </div>
  );
}
