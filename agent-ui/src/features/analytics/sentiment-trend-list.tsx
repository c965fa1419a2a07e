/** Sentiment trend: mean customer sentiment at the start and the end of calls, per interval. */
import type { SentimentReport } from '@earpiece/assist-server/protocol';

const signed = (v: number | null) => (v === null ? '–' : (v > 0 ? '+' : '') + v.toFixed(2));

export function SentimentTrendList({ sentiment }: { sentiment: SentimentReport }) {
  const buckets = sentiment.buckets.filter((b) => b.scored > 0);
  const label = (ms: number) => new Date(ms).toLocaleString(undefined, sentiment.interval === 'hour' ? { day: 'numeric', month: 'short', hour: '2-digit' } : { day: 'numeric', month: 'short' });
  return (
    <div className="analytics-block" data-testid="sentiment-trend">
      <h3>Sentiment start → end</h3>
      {buckets.length === 0 ? (
        <p className="muted">No scored calls in this period.</p>
      ) : (
        <ol className="sentiment-trend">
          {buckets.slice(-14).map((b) => (
            <li key={b.startMs}>
              <span className="muted">{label(b.startMs)}</span> {signed(b.meanStart)} → {signed(b.meanEnd)}{' '}
              <span className={b.meanChange !== null && b.meanChange < 0 ? 'trend-down' : 'trend-up'}>({signed(b.meanChange)})</span>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
