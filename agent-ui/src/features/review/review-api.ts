/**
 * The reviewer replay's REST calls (`/api/review/*`). The reviewer's name goes with each call as
 * the `reviewer` parameter (also on the audio URL, which the media element fetches itself).
 */
import type { QaScorecard, QaScores, ReviewCallDetail, ReviewCallList } from '@earpiece/assist-server/protocol';

export interface CallFilters {
  /** YYYY-MM-DD (local day), '' for any. */
  from: string;
  to: string;
  agentId: string;
  intent: string;
  emotion: string;
  /** '' any, 'true' with warnings, 'false' without. */
  compliance: '' | 'true' | 'false';
  /** Minutes, '' for any. */
  minMinutes: string;
  maxMinutes: string;
  q: string;
}

export const EMPTY_FILTERS: CallFilters = { from: '', to: '', agentId: '', intent: '', emotion: '', compliance: '', minMinutes: '', maxMinutes: '', q: '' };

/** The list query for the filters: days are the reviewer's local days, sent as ms; empty filters are left out. */
export function callListQuery(filters: CallFilters, page: { limit: number; offset: number }): URLSearchParams {
  const params = new URLSearchParams();
  const localDay = (day: string, plusDays: number) => {
    const [y, m, d] = day.split('-').map(Number);
    if (!y || !m || !d) return null;
    return new Date(y, m - 1, d + plusDays).getTime();
  };
  const from = filters.from ? localDay(filters.from, 0) : null;
  const to = filters.to ? localDay(filters.to, 1) : null;
  if (from !== null) params.set('from', String(from));
  if (to !== null) params.set('to', String(to));
  for (const key of ['agentId', 'intent', 'emotion', 'compliance'] as const) if (filters[key]) params.set(key, filters[key]);
  const minutes = (s: string) => (s.trim() && Number.isFinite(Number(s)) && Number(s) >= 0 ? String(Math.round(Number(s) * 60_000)) : null);
  const min = minutes(filters.minMinutes);
  const max = minutes(filters.maxMinutes);
  if (min !== null) params.set('minDurationMs', min);
  if (max !== null) params.set('maxDurationMs', max);
  if (filters.q.trim()) params.set('q', filters.q.trim());
  params.set('limit', String(page.limit));
  if (page.offset) params.set('offset', String(page.offset));
  return params;
}

async function problem(response: Response): Promise<Error> {
  try {
    const body = (await response.json()) as { message?: string };
    return new Error(body.message ?? `the server answered ${response.status}`);
  } catch {
    return new Error(`the server answered ${response.status}`);
  }
}

const enc = encodeURIComponent;

export async function fetchCalls(filters: CallFilters, page: { limit: number; offset: number }, signal?: AbortSignal): Promise<ReviewCallList> {
  const response = await fetch(`/api/review/calls?${callListQuery(filters, page)}`, { signal });
  if (!response.ok) throw await problem(response);
  return (await response.json()) as ReviewCallList;
}

export async function fetchCallDetail(callId: string, reviewer: string, signal?: AbortSignal): Promise<ReviewCallDetail> {
  const response = await fetch(`/api/review/calls/${enc(callId)}?reviewer=${enc(reviewer)}`, { signal });
  if (!response.ok) throw await problem(response);
  return (await response.json()) as ReviewCallDetail;
}

export function audioUrl(callId: string, role: 'agent' | 'customer' | 'stereo', reviewer: string): string {
  return `/api/review/calls/${enc(callId)}/audio/${role}?reviewer=${enc(reviewer)}`;
}

export async function fetchScorecard(callId: string, reviewer: string, signal?: AbortSignal): Promise<{ scorecard: QaScorecard | null; others: QaScorecard[] }> {
  const response = await fetch(`/api/review/calls/${enc(callId)}/scorecard?reviewer=${enc(reviewer)}`, { signal });
  if (!response.ok) throw await problem(response);
  return (await response.json()) as { scorecard: QaScorecard | null; others: QaScorecard[] };
}

export async function saveScorecard(callId: string, reviewer: string, body: { scores: QaScores; comment: string }): Promise<QaScorecard> {
  const response = await fetch(`/api/review/calls/${enc(callId)}/scorecard?reviewer=${enc(reviewer)}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw await problem(response);
  return ((await response.json()) as { scorecard: QaScorecard }).scorecard;
}
