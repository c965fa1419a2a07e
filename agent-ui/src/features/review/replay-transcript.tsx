/**
 * The call's transcript beside the recording: the word being played is highlighted, clicking any
 * word plays from it, and each utterance's time stamp is a button (the keyboard way to seek).
 * Only the utterances whose highlight changed re-render as playback moves.
 */
import { memo, useEffect, useRef, type MouseEvent } from 'react';
import type { FinalUtterance } from '@earpiece/assist-server/protocol';
import { formatDuration } from '../../ui/format-duration.ts';
import { MaskedText } from '../transcript/masked-text.tsx';
import type { TimedWord } from './playback-sync.ts';

export interface ReplayTranscriptProps {
  finals: FinalUtterance[];
  words: readonly TimedWord[];
  /** Index into `words` of the word being played, -1 for none. */
  current: number;
  /** Scroll the current utterance into view (while playing). */
  follow: boolean;
  onSeekMs: (ms: number) => void;
}

export function ReplayTranscript({ finals, words, current, follow, onSeekMs }: ReplayTranscriptProps) {
  const listRef = useRef<HTMLOListElement>(null);
  const currentWord = current >= 0 ? words[current] : undefined;
  const currentUtterance = currentWord?.utteranceIndex ?? -1;

  useEffect(() => {
    if (!follow || currentUtterance < 0) return;
    const row = listRef.current?.children[currentUtterance] as HTMLElement | undefined;
    row?.scrollIntoView?.({ block: 'nearest' });
  }, [follow, currentUtterance]);

  const onClick = (event: MouseEvent<HTMLOListElement>) => {
    const target = (event.target as HTMLElement).closest<HTMLElement>('[data-start-ms]');
    if (target) onSeekMs(Number(target.dataset.startMs));
  };

  if (finals.length === 0) return <p className="empty-state">No transcript was stored for this call.</p>;
  return (
    <ol className="utterances replay-utterances" ref={listRef} onClick={onClick}>
      {finals.map((u, i) => (
        <ReplayUtterance key={u.utteranceId} utterance={u} currentWord={i === currentUtterance ? currentWord!.wordIndex : -1} />
      ))}
    </ol>
  );
}

const ReplayUtterance = memo(function ReplayUtterance({ utterance, currentWord }: { utterance: FinalUtterance; currentWord: number }) {
  const speaker = utterance.role === 'agent' ? 'Agent' : 'Customer';
  return (
    <li className={`utterance utterance-${utterance.role}`} data-role={utterance.role} data-utterance-id={utterance.utteranceId}>
      <div className="utterance-meta">
        <span className="speaker">{speaker}</span>
        <button type="button" className="utterance-time replay-seek" data-start-ms={utterance.startMs} aria-label={`Go to ${formatDuration(utterance.startMs)}, ${speaker}`}>
          {formatDuration(utterance.startMs)}
        </button>
      </div>
      <p className="utterance-text">
        {utterance.words.length === 0 ? (
          <span className={`replay-word${currentWord === 0 ? ' replay-word-current' : ''}`} data-start-ms={utterance.startMs} aria-current={currentWord === 0 ? 'time' : undefined}>
            <MaskedText text={utterance.text} />
          </span>
        ) : (
          utterance.words.map((w, i) => (
            <span key={i}>
              {i > 0 && ' '}
              <span
                className={`replay-word${i === currentWord ? ' replay-word-current' : ''}`}
                data-start-ms={w.startMs}
                data-word={w.word}
                aria-current={i === currentWord ? 'time' : undefined}
              >
                {w.word.startsWith('[') ? <MaskedText text={w.word} /> : w.word}
              </span>
            </span>
          ))
        )}
      </p>
    </li>
  );
});
