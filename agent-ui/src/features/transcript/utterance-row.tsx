import { memo } from 'react';
import { formatDuration } from '../../ui/format-duration.ts';
import { MaskedText } from './masked-text.tsx';
import type { TranscriptRow } from './transcript-rows.ts';

export const SPEAKER_LABEL = { customer: 'Customer', agent: 'You' } as const;

/** One utterance. Partials are muted and italic and update in place; the final takes the same row. */
export const UtteranceRow = memo(function UtteranceRow({ row }: { row: TranscriptRow }) {
  return (
    <li
      className={`utterance utterance-${row.role} utterance-${row.state}`}
      data-role={row.role}
      data-state={row.state}
      data-utterance-id={row.utteranceId}
    >
      <div className="utterance-meta">
        <span className="speaker">{SPEAKER_LABEL[row.role]}</span>
        <span className="utterance-time">{formatDuration(row.startMs)}</span>
        {row.state === 'partial' && <span className="visually-hidden"> (still speaking)</span>}
      </div>
      <p className="utterance-text">
        <MaskedText text={row.text} />
      </p>
    </li>
  );
});
