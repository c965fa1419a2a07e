import { useMemo } from 'react';
import type { CallState } from '../../state/call-reducer.ts';
import { transcriptRows } from './transcript-rows.ts';
import { UtteranceRow } from './utterance-row.tsx';
import { useStickToBottom } from './use-stick-to-bottom.ts';

export interface TranscriptProps {
  call: CallState | null;
}

/** The live call's transcript, both legs, newest at the bottom. */
export function Transcript({ call }: TranscriptProps) {
  const rows = useMemo(() => (call ? transcriptRows(call) : []), [call]);
  // `rows` changes whenever the call's transcript does, which is when to follow the end.
  const { ref, onScroll, pinned, jumpToLatest } = useStickToBottom<HTMLDivElement>(rows);

  return (
    <section className="transcript-panel" aria-label="Transcript">
      <div
        ref={ref}
        className="transcript"
        role="log"
        aria-label="Live transcript"
        aria-relevant="additions"
        tabIndex={0}
        onScroll={onScroll}
      >
        {rows.length === 0 ? (
          <p className="empty-state">{call ? (call.ended ? 'The call ended with no speech.' : 'Listening…') : 'Waiting for a call…'}</p>
        ) : (
          <ol className="utterances">
            {rows.map((row) => (
              <UtteranceRow key={row.utteranceId} row={row} />
            ))}
          </ol>
        )}
      </div>
      {!pinned && rows.length > 0 && (
        <button type="button" className="button jump-latest" onClick={jumpToLatest}>
          Jump to latest ↓
        </button>
      )}
    </section>
  );
}
