/**
 * One live call, read-only, for a supervisor: the desk's header, transcript, customer insight and
 * compliance panels fed by the same reducer, without suggestions or any control that acts on the call.
 */
import { routeHref } from '../../shell/hash-route.ts';
import { CallHeader } from '../call-header/call-header.tsx';
import { CompliancePanel } from '../compliance/compliance-panel.tsx';
import { CustomerInsight } from '../customer-insight/customer-insight.tsx';
import { Transcript } from '../transcript/transcript.tsx';
import { useWatchedCall } from './use-watched-call.ts';

export function WatchedCallView({ callId, agentName }: { callId: string; agentName: (agentId: string) => string }) {
  const { state, status, clockOffsetMs, ready } = useWatchedCall(callId);
  const call = state.calls[callId] ?? null;
  const notLive = ready && !call;
  return (
    <section className="wall-panel watched-call" aria-labelledby="watched-call-heading">
      <div className="watched-call-top">
        <h2 id="watched-call-heading" className="panel-heading">
          {call?.summary ? `Call of ${agentName(call.summary.agentId)}` : 'Call'} <span className="panel-heading-note">· read-only</span>
        </h2>
        <a className="button button-quiet" href={routeHref({ screen: 'supervisor', callId: null })}>
          Back to all calls
        </a>
      </div>
      {notLive ? (
        <p className="empty-state">
          This call is not live any more. <a href={routeHref({ screen: 'review', callId })}>Open it in review</a>.
        </p>
      ) : (
        <>
          <CallHeader call={call} status={status} clockOffsetMs={clockOffsetMs} />
          <div className="watched-call-body">
            <Transcript call={call} />
            <div className="watched-call-rail">
              <CustomerInsight call={call} />
              <CompliancePanel call={call} />
            </div>
          </div>
        </>
      )}
    </section>
  );
}
