/**
 * Advice beyond articles, in a strip above the transcript, newest first: where to transfer the
 * caller, that the question suits self-service, that the customer asked the same thing again, or
 * that an issue from a previous call is still open.
 */
import type { AssistAdviceEvent } from '@earpiece/assist-server/protocol';
import type { CallState } from '../../state/call-reducer.ts';

const KIND_LABEL: Record<AssistAdviceEvent['kind'], string> = {
  transfer: 'Transfer',
  'self-service': 'Self-service',
  'repeated-question': 'Asked again',
  'open-issue': 'Open issue',
};

/** `card_services` → "card services". */
const queueName = (target: string) => target.replace(/[_-]+/g, ' ');
const percent = (x: number) => `${Math.round(x * 100)}%`;

export function AdviceStrip({ call }: { call: CallState | null }) {
  if (!call || call.advice.length === 0 || call.ended) return null;
  const items = [...call.advice].reverse();
  return (
    <section className="advice-strip" aria-label="Advice">
      <ul className="advice-list">
        {items.map((a) => (
          <li key={`${a.kind}@${a.target ?? ''}`} className={`advice advice-${a.kind}`} data-kind={a.kind}>
            <span className="advice-kind">{KIND_LABEL[a.kind]}</span>
            {a.kind === 'transfer' && a.target && (
              <strong className="advice-target">
                <span className="visually-hidden">to </span>
                {queueName(a.target)}
              </strong>
            )}
            <span className="advice-message">{a.message}</span>
            <span className="muted small" aria-label={`${percent(a.confidence)} confidence`}>
              {percent(a.confidence)}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
