/** Agent efficiency with the K-means tier of each agent (top / middle / support). */
import type { AgentEfficiency, AgentsReport, AgentTier } from '@earpiece/assist-server/protocol';
import { formatDuration } from '../../ui/format-duration.ts';

const TIER_ORDER: Record<AgentTier, number> = { top: 0, middle: 1, support: 2 };
const TIER_LABEL: Record<AgentTier, string> = { top: 'Top', middle: 'Middle', support: 'Support' };
const pct = (v: number | null) => (v === null ? '–' : `${Math.round(v * 100)}%`);

export function AgentTiersTable({ report, agentName }: { report: AgentsReport; agentName: (agentId: string) => string }) {
  const agents = [...report.agents].sort((a, b) => TIER_ORDER[a.tier] - TIER_ORDER[b.tier] || b.score - a.score);
  return (
    <div className="analytics-block" data-testid="agent-tiers">
      <h3>Agent tiers</h3>
      {agents.length === 0 ? (
        <p className="muted">No calls in this period.</p>
      ) : (
        <div className="analytics-scroll">
          <table className="analytics-table">
            <thead>
              <tr>
                <th scope="col">Agent</th>
                <th scope="col">Tier</th>
                <th scope="col">Calls</th>
                <th scope="col">Avg handle</th>
                <th scope="col">Resolved</th>
                <th scope="col">Transferred</th>
                <th scope="col">Compliance</th>
                <th scope="col">Sentiment Δ</th>
              </tr>
            </thead>
            <tbody>
              {agents.map((a: AgentEfficiency) => (
                <tr key={a.agentId} data-agent-id={a.agentId}>
                  <th scope="row">{agentName(a.agentId)}</th>
                  <td>
                    <span className={`tier tier-${a.tier}`}>{TIER_LABEL[a.tier]}</span>
                  </td>
                  <td className="num">{a.calls}</td>
                  <td className="num">{formatDuration(a.meanHandleMs)}</td>
                  <td className="num">{pct(a.resolutionRate)}</td>
                  <td className="num">{pct(a.transferRate)}</td>
                  <td className="num">{a.meanComplianceScore === null ? '–' : Math.round(a.meanComplianceScore)}</td>
                  <td className="num">{a.meanSentimentChange === null ? '–' : (a.meanSentimentChange > 0 ? '+' : '') + a.meanSentimentChange.toFixed(2)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="muted analytics-note">
        Tiers: K-means (k = {report.method.k}) over handle time, resolution, transfers, compliance and sentiment change (z-scores).
      </p>
    </div>
  );
}
