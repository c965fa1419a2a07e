import type { LegRole } from '@earpiece/assist-server/protocol';
import type { CallState } from '../../state/call-reducer.ts';

export interface TranscriptRow {
  utteranceId: string;
  role: LegRole;
  text: string;
  startMs: number;
  state: 'partial' | 'final';
}

/**
 * Finals and open partials merged by `startMs` (finals first on ties), so an utterance keeps its
 * place when its partial turns final and the row updates in place rather than jumping.
 */
export function transcriptRows(call: CallState): TranscriptRow[] {
  const rows: TranscriptRow[] = call.finals.map((f) => ({
    utteranceId: f.utteranceId,
    role: f.role,
    text: f.text,
    startMs: f.startMs,
    state: 'final',
  }));
  const partials = Object.values(call.partials)
    .filter((p) => p !== undefined)
    .sort((a, b) => a.startMs - b.startMs);
  for (const p of partials) {
    let index = rows.length;
    while (index > 0 && rows[index - 1]!.startMs > p.startMs) index -= 1;
    rows.splice(index, 0, { utteranceId: p.utteranceId, role: p.role, text: p.text, startMs: p.startMs, state: 'partial' });
  }
  return rows;
}
