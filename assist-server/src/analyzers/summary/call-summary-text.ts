/** The call summary as a short handover note (plain text, a line per section, masked). */
import { humanizeIntent as humanize } from '../advice/intent-label.ts';
import type { TransferSummary } from './call-summary-builder.ts';

const MAX_FACTS = 5;

export function renderCallSummaryText(s: Omit<TransferSummary, 'text'>): string {
  const lines: string[] = [];
  const started = new Date(s.startedAtMs).toISOString().slice(0, 16).replace('T', ' ');
  const length = s.durationMs === null ? '' : `, ${clock(s.durationMs)}`;
  lines.push(`Call ${s.callId} from ${s.callerNumber ?? 'an unknown number'}, agent ${s.agentId}, started ${started} UTC${length} (${s.status}).`);

  const previous = s.customerContext?.previousCalls ?? [];
  if (previous.length) {
    const last = previous[0]!;
    const what = last.intents.length ? last.intents.map(humanize).join(', ') : 'no recorded intent';
    lines.push(`Earlier calls: ${previous.length}; the last on ${day(last.startedAtMs)} about ${what}${last.outcome ? ` (${last.outcome})` : ''}.`);
  }

  const asked = s.intentTimeline.filter((i) => !i.uncertain);
  lines.push(
    asked.length
      ? `Customer asked about: ${asked.map((i) => `${humanize(i.label)}${i.offsetMs === null ? '' : ` (${clock(i.offsetMs)})`}`).join(', ')}.`
      : 'Customer intent: not recognized.',
  );

  if (s.keyFacts.length || Object.keys(s.keypadDigits).length) {
    const facts = s.keyFacts.slice(0, MAX_FACTS).map((f) => `${f.role} gave ${f.types.map((t) => `[${t}]`).join(', ')} ("${f.text}")`);
    if (s.keyFacts.length > MAX_FACTS) facts.push(`${s.keyFacts.length - MAX_FACTS} more`);
    for (const [role, n] of Object.entries(s.keypadDigits)) facts.push(`${role} keyed ${n} digit${n === 1 ? '' : 's'}`);
    lines.push(`Key facts: ${facts.join('; ')}.`);
  }

  const tried: string[] = [];
  for (const a of s.tried.articles) tried.push(`article "${a.title}"${a.feedback.length ? ` (${a.feedback.join(', ')})` : ''}`);
  for (const a of s.tried.advice) tried.push(a.kind === 'transfer' ? `transfer to ${a.target} advised` : a.kind === 'self-service' ? 'self-service suggested' : `${a.kind} nudge`);
  if (tried.length) lines.push(`Tried: ${tried.join('; ')}.`);

  if (s.tried.complianceDone.length || s.open.complianceOwed.length || s.tried.complianceWarnings.length) {
    const parts: string[] = [];
    if (s.tried.complianceDone.length) parts.push(`done ${s.tried.complianceDone.join(', ')}`);
    if (s.open.complianceOwed.length) parts.push(`still owed ${s.open.complianceOwed.join(', ')}`);
    if (s.tried.complianceWarnings.length) parts.push(`${s.tried.complianceWarnings.length} warning${s.tried.complianceWarnings.length === 1 ? '' : 's'} (${[...new Set(s.tried.complianceWarnings.map((w) => w.title))].join(', ')})`);
    lines.push(`Compliance: ${parts.join('; ')}.`);
  }

  const open: string[] = [];
  if (s.open.openIssue) open.push(`${humanize(s.open.openIssue)}${s.open.transferTarget ? ` (for ${s.open.transferTarget})` : ''}`);
  else if (s.open.outcome) open.push(`nothing (${s.open.outcome})`);
  if (s.open.escalations.length) open.push(`customer escalated (${[...new Set(s.open.escalations.map((e) => e.reason))].join(', ')})`);
  if (s.open.repeatedQuestions) open.push(`asked the same thing again ${s.open.repeatedQuestions} time${s.open.repeatedQuestions === 1 ? '' : 's'}`);
  if (s.open.emotion && s.open.emotion.label !== 'neutral') open.push(`customer seems ${s.open.emotion.label}`);
  if (open.length) lines.push(`Open: ${open.join('; ')}.`);
  return lines.join('\n');
}

function clock(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
