export interface SwitchAgentButtonProps {
  agentId: string;
  onSwitch: () => void;
}

/** Shows who is signed in and lets them hand the desk to someone else. */
export function SwitchAgentButton({ agentId, onSwitch }: SwitchAgentButtonProps) {
  return (
    <div className="switch-agent">
      <span className="muted">
        Signed in as <strong className="agent-id-strong">{agentId}</strong>
      </span>
      <button type="button" className="button button-quiet" onClick={onSwitch}>
        Switch agent
      </button>
    </div>
  );
}
