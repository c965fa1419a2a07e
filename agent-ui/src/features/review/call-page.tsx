/**
 * One archived call for review: the redacted recording (both legs' waveforms, play/pause, skip),
 * the transcript following playback, the event timeline, and the reviewer's QA scorecard.
 * Opening it and playing it are recorded in the audit log by the server.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { QaScorecard, ReviewCallDetail } from '@earpiece/assist-server/protocol';
import { formatDuration } from '../../ui/format-duration.ts';
import { EventTimeline, toneOf } from './event-timeline.tsx';
import { currentWordAt, timedWords } from './playback-sync.ts';
import { ReplayTranscript } from './replay-transcript.tsx';
import { audioUrl, fetchCallDetail, fetchScorecard, saveScorecard } from './review-api.ts';
import { ScorecardForm } from './scorecard-form.tsx';
import { useReplayPlayer, type WaveMarker } from './use-replay-player.ts';

type Load<T> = { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'ok'; value: T };

export function CallPage({ callId, reviewer }: { callId: string; reviewer: string }) {
  const [detail, setDetail] = useState<Load<ReviewCallDetail>>({ kind: 'loading' });
  const [scorecard, setScorecard] = useState<Load<{ scorecard: QaScorecard | null; others: QaScorecard[] }>>({ kind: 'loading' });

  useEffect(() => {
    const abort = new AbortController();
    setDetail({ kind: 'loading' });
    fetchCallDetail(callId, reviewer, abort.signal).then(
      (value) => setDetail({ kind: 'ok', value }),
      (err: Error) => abort.signal.aborted || setDetail({ kind: 'error', message: err.message }),
    );
    fetchScorecard(callId, reviewer, abort.signal).then(
      (value) => setScorecard({ kind: 'ok', value }),
      (err: Error) => abort.signal.aborted || setScorecard({ kind: 'error', message: err.message }),
    );
    return () => abort.abort();
  }, [callId, reviewer]);

  return (
    <div className="review-call">
      <p className="review-back">
        <a href="#/review">← All calls</a>
      </p>
      <h1>
        Call <span className="mono">{callId}</span>
      </h1>
      {detail.kind === 'loading' && <p className="muted">Loading the call…</p>}
      {detail.kind === 'error' && (
        <p className="notice notice-error" role="alert">
          Could not open the call: {detail.message}
        </p>
      )}
      {detail.kind === 'ok' && (
        <CallReplay
          detail={detail.value}
          reviewer={reviewer}
          scorecard={scorecard}
          onSaved={(saved) => setScorecard((s) => (s.kind === 'ok' ? { kind: 'ok', value: { ...s.value, scorecard: saved } } : s))}
        />
      )}
    </div>
  );
}

function CallReplay({
  detail,
  reviewer,
  scorecard,
  onSaved,
}: {
  detail: ReviewCallDetail;
  reviewer: string;
  scorecard: Load<{ scorecard: QaScorecard | null; others: QaScorecard[] }>;
  onSaved: (card: QaScorecard) => void;
}) {
  const { call, finals, timeline, recordings } = detail;
  const words = useMemo(() => timedWords(finals), [finals]);
  const [current, setCurrent] = useState(-1);
  const onTime = useCallback((ms: number) => setCurrent(currentWordAt(words, ms)), [words]);
  const markers = useMemo<WaveMarker[]>(() => timeline.map((e) => ({ offsetMs: e.offsetMs, label: e.label, tone: toneOf(e) })), [timeline]);
  const url = recordings.length > 0 ? audioUrl(call.callId, 'stereo', reviewer) : null;
  const player = useReplayPlayer(url, markers, onTime);
  const seekMs = useCallback((ms: number) => player.seek(ms / 1000), [player.seek]);
  const durationMs = player.durationMs || call.durationMs || 0;

  return (
    <>
      <dl className="review-call-facts">
        <div>
          <dt>Agent</dt>
          <dd>{call.agentId}</dd>
        </div>
        <div>
          <dt>Caller</dt>
          <dd>{call.callerNumber ?? 'unknown'}</dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>{new Date(call.startedAtMs).toLocaleString()}</dd>
        </div>
        <div>
          <dt>Duration</dt>
          <dd>{call.durationMs !== null ? formatDuration(call.durationMs) : '—'}</dd>
        </div>
      </dl>

      <section className="assist-panel replay-player" aria-labelledby="replay-recording-h">
        <h2 id="replay-recording-h" className="panel-heading">
          Recording <span className="panel-heading-note">(redacted: masked details are silent)</span>
        </h2>
        {url === null ? (
          <p className="muted">No recording is archived for this call{call.status === 'archived' ? '' : ' yet'}.</p>
        ) : (
          <>
            <figure className="waveform-figure">
              <div ref={player.containerRef} className="waveform" />
              <figcaption className="small muted">
                <span className="legend legend-agent">Agent (top)</span> <span className="legend legend-customer">Customer (bottom)</span> · click the waveform to move
              </figcaption>
            </figure>
            <audio ref={player.mediaRef} preload="auto" data-testid="replay-audio" />
            <div className="replay-controls">
              <button type="button" className="button" onClick={player.togglePlay} disabled={!player.ready} aria-pressed={player.playing}>
                {player.playing ? 'Pause' : 'Play'}
              </button>
              <button type="button" className="button button-quiet" onClick={() => player.skip(-5)} disabled={!player.ready}>
                Back 5 s
              </button>
              <button type="button" className="button button-quiet" onClick={() => player.skip(5)} disabled={!player.ready}>
                Forward 5 s
              </button>
              <span className="replay-clock" aria-live="off">
                {formatDuration(player.second * 1000)} / {formatDuration(durationMs)}
              </span>
              {!player.ready && !player.error && <span className="muted small">Loading the recording…</span>}
            </div>
            {player.error && (
              <p className="panel-problem" role="alert">
                {player.error}
              </p>
            )}
          </>
        )}
      </section>

      <div className="review-call-body">
        <section className="assist-panel replay-transcript" aria-labelledby="replay-transcript-h">
          <h2 id="replay-transcript-h" className="panel-heading">
            Transcript <span className="panel-heading-note">(click a word to go there)</span>
          </h2>
          <ReplayTranscript finals={finals} words={words} current={current} follow={player.playing} onSeekMs={seekMs} />
        </section>
        <div className="review-call-rail">
          <EventTimeline entries={timeline} onSeekMs={seekMs} />
          <section className="assist-panel">
            {scorecard.kind === 'loading' && <p className="muted">Loading the scorecard…</p>}
            {scorecard.kind === 'error' && (
              <p className="panel-problem" role="alert">
                Could not load the scorecard: {scorecard.message}
              </p>
            )}
            {scorecard.kind === 'ok' && (
              <>
                <ScorecardForm
                  initial={scorecard.value.scorecard}
                  onSave={async (body) => {
                    const saved = await saveScorecard(call.callId, reviewer, body);
                    onSaved(saved);
                    return saved;
                  }}
                />
                {scorecard.value.others.length > 0 && (
                  <p className="muted small">Also scored by {scorecard.value.others.map((o) => o.reviewer).join(', ')}.</p>
                )}
              </>
            )}
          </section>
        </div>
      </div>
    </>
  );
}
