/**
 * The reviewer replay (`#/review`, `#/review/<callId>`): archived calls with filters and search,
 * and one call's recording, synced transcript, events and QA scorecard. The reviewer is the
 * signed-in user: the server records every opened call, replay and scorecard under that name.
 */
import { CallList } from './call-list.tsx';
import { CallPage } from './call-page.tsx';
import './review.css';

export function ReviewScreen({ callId, reviewer }: { callId?: string | null; reviewer: string }) {
  return <div className="review">{!callId ? <CallList /> : <CallPage key={`${callId}\u0000${reviewer}`} callId={callId} reviewer={reviewer} />}</div>;
}
