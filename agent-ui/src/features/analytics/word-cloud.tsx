/** Keywords customers used, sized by frequency (plain sized words; no layout library). */
import type { KeywordCount } from '@earpiece/assist-server/protocol';
import { wordSize } from './heat-scale.ts';

export function WordCloud({ keywords }: { keywords: KeywordCount[] }) {
  const max = Math.max(0, ...keywords.map((k) => k.count));
  const words = [...keywords].sort((a, b) => a.word.localeCompare(b.word));
  return (
    <div className="analytics-block" data-testid="word-cloud">
      <h3>What customers talk about</h3>
      {words.length === 0 ? (
        <p className="muted">No transcripts in this period.</p>
      ) : (
        <p className="word-cloud">
          {words.map((k) => (
            <span key={k.word} style={{ fontSize: `${wordSize(k.count, max)}rem` }} title={`${k.count} times in ${k.calls} calls`}>
              {k.word}
            </span>
          ))}
        </p>
      )}
    </div>
  );
}
