import { useAgentSession } from '../../connection/use-agent-session.ts';
import { selectActiveCall } from '../../state/select-active-call.ts';
import { AdviceStrip } from '../advice/advice-strip.tsx';
import { CallHeader } from '../call-header/call-header.tsx';
import { HoldBanner } from '../call-header/hold-banner.tsx';
import { TransferSummary } from '../call-header/transfer-summary.tsx';
import { ComplianceAnnouncer, CompliancePanel } from '../compliance/compliance-panel.tsx';
import { CustomerContextCard } from '../customer-context/customer-context-card.tsx';
import { CustomerInsight } from '../customer-insight/customer-insight.tsx';
import { SuggestionsPanel } from '../suggestions/suggestions-panel.tsx';
import { Transcript } from '../transcript/transcript.tsx';
import { ShortcutsHelp } from './shortcuts-help.tsx';

/** The signed-in agent's live desk: header, transcript and the assist rail. */
export function AgentDesk({ agentId }: { agentId: string }) {
  const { state, status, clockOffsetMs, send } = useAgentSession(agentId);
  const call = selectActiveCall(state);
  return (
    <div className="desk">
      <h1 className="visually-hidden">Agent desk</h1>
      <CallHeader
        call={call}
        status={status}
        clockOffsetMs={clockOffsetMs}
        actions={
          <>
            {call && <TransferSummary key={call.callId} callId={call.callId} />}
            <ShortcutsHelp />
          </>
        }
      />
      <HoldBanner call={call} />
      {state.lastError && (
        <p className="notice notice-error" role="alert">
          Server error {state.lastError.code}: {state.lastError.message}
        </p>
      )}
      <ComplianceAnnouncer call={call} />
      <div className="desk-main">
        <section className="desk-conversation" aria-label="Conversation">
          <AdviceStrip call={call} />
          <Transcript call={call} />
        </section>
        <aside className="assist-rail" aria-label="Assist">
          <CustomerInsight call={call} />
          <SuggestionsPanel key={call?.callId ?? 'none'} call={call} send={send} />
          <CompliancePanel call={call} />
          <CustomerContextCard call={call} />
        </aside>
      </div>
    </div>
  );
}
