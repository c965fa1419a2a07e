/**
 * Compliance of one live call: checks each masked final utterance, the customer's intent and
 * emotion readings, holds and the call clock against the active rules, and raises a
 * `compliance.warning` per hit (also stored with the call) and a `compliance.checklist` whenever
 * what the agent owes changes. Deadlines are on the call clock (ms of audio since the call started,
 * from onClock), never wall-clock timers: a missed disclosure is raised on the first tick at or past
 * its deadline, unless the agent is mid-utterance since before the deadline, in which case that
 * utterance's final decides. The rules are re-read at every hook, so a reload applies to live calls
 * from the next utterance on.
 */
import type { ChecklistItem, ComplianceSeverity, ComplianceWarningEvent, FinalUtterance, LegRole } from '../../protocol/index.ts';
import type { ComplianceStore } from '../../store/compliance-store.ts';
import type { InsightBody, LiveAnalyzer, LiveCallContext, AnalyzerSnapshot } from '../live/live-analyzer.ts';
import { tokenize } from './phrase-matcher.ts';
import type { CompiledRule, RuleSet } from './rule-set.ts';

export type ComplianceWarning = Omit<ComplianceWarningEvent, 'v' | 'callId' | 'seq' | 'atMs' | 'type'>;

export interface ComplianceMonitorOptions {
  /** Read at every hook: the live rules (ComplianceRules) or a fixed set. */
  rules: { readonly current: RuleSet };
  /** Where hits are kept for reviewers; none: only the call's event log has them. */
  store?: ComplianceStore | undefined;
  now?: () => number;
}

/**
 * A call whose first clock tick is later than this was resumed after a restart: what was said
 * before it is unknown here, so deadlines already past are not judged (no false warnings).
 */
const RESUMED_AFTER_MS = 1000;

/** `[CREDIT_CARD]`, or `[CREDIT_CARD …1111]` where the display policy keeps the last four digits (the whole number was still spoken). */
const PLACEHOLDER = /\[([A-Z][A-Z0-9_]*)(\s+…\d{4})?\]/g;

interface OrderedState {
  firstDone: boolean;
  warned: Set<'phrase' | 'intent'>;
}

export class ComplianceMonitor implements LiveAnalyzer {
  private set: RuleSet | undefined;
  private clockMs = 0;
  private started = false;
  private readonly items = new Map<string, ChecklistItem>();
  /** Required rules whose deadline passed while the agent was mid-utterance: that final decides. */
  private readonly deferred = new Set<string>();
  private readonly openPartials = new Map<LegRole, { utteranceId: string; startMs: number }>();
  private readonly warnings: ComplianceWarning[] = [];
  /** Hit writes still in flight (drain waits for them). */
  private readonly storing = new Set<Promise<void>>();
  private readonly ordered = new Map<string, OrderedState>();
  private heldSince: number | null = null;
  private holdWarned = false;
  private lastSpeechMs = 0;
  private silenceWarned = false;
  private readonly emotionRuns = new Map<string, { count: number; warned: boolean }>();
  /** Deadlines at or before this call-clock time are not judged (resumed call). */
  private unjudgedUntilMs = -1;

  constructor(
    private readonly context: LiveCallContext,
    private readonly options: ComplianceMonitorOptions,
  ) {
    this.sync();
  }

  onClock(offsetMs: number): void {
    this.sync();
    this.clockMs = Math.max(this.clockMs, offsetMs);
    if (!this.started) {
      this.started = true;
      if (offsetMs > RESUMED_AFTER_MS) {
        this.unjudgedUntilMs = offsetMs;
        this.lastSpeechMs = offsetMs;
        this.context.log.info({ offsetMs }, 'compliance starts mid-call (resumed): deadlines already past are not judged');
      }
      if (this.items.size) this.emitChecklist();
    }
    this.checkDeadlines();
    this.checkHold();
    this.checkSilence();
  }

  onPartial(role: LegRole, utteranceId: string, _maskedText: string, startMs: number): void {
    const open = this.openPartials.get(role);
    this.openPartials.set(role, { utteranceId, startMs: open?.utteranceId === utteranceId ? open.startMs : startMs });
    this.heardSpeech(this.clockMs);
  }

  onFinal(u: FinalUtterance): void {
    this.sync();
    this.openPartials.delete(u.role);
    this.heardSpeech(u.endMs);
    const tokens = tokenize(u.text);
    const cache = new Map<string, number>();
    let checklistChanged = false;
    for (const c of this.set!.rules) {
      switch (c.kind) {
        case 'required': {
          if (c.rule.role !== u.role) break;
          const item = this.items.get(c.rule.id);
          if (!item || item.status !== 'owed') break;
          const hit = c.phrases.size ? c.phrases.match(tokens, cache) : null;
          const inTime = item.dueOffsetMs === null || u.startMs <= item.dueOffsetMs;
          if (hit && inTime) {
            item.status = 'done';
            this.deferred.delete(c.rule.id);
            checklistChanged = true;
          } else if (this.deferred.delete(c.rule.id)) {
            item.status = 'missed';
            checklistChanged = true;
            this.warn(c, { offsetMs: this.clockMs });
          }
          break;
        }
        case 'ordered': {
          const { first, then } = c;
          const state = this.orderedState(c.rule.id);
          const item = this.items.get(c.rule.id);
          if (!state.firstDone && c.rule.first.role === u.role && first.match(tokens, cache)) {
            state.firstDone = true;
            if (item?.status === 'owed') {
              item.status = 'done';
              checklistChanged = true;
            }
            break;
          }
          if (!state.firstDone && !state.warned.has('phrase') && c.rule.then.role === u.role && then.size) {
            const hit = then.match(tokens, cache);
            if (hit) {
              state.warned.add('phrase');
              if (item?.status === 'owed') {
                item.status = 'missed';
                checklistChanged = true;
              }
              this.warn(c, { offsetMs: u.startMs, utterance: u, evidence: hit.evidence });
            }
          }
          break;
        }
        case 'phrase': {
          const { phrases, except } = c;
          if (c.rule.role && c.rule.role !== u.role) break;
          const hit = phrases.match(tokens, cache);
          if (hit && !(except.size && except.match(tokens, cache))) this.warn(c, { offsetMs: u.startMs, utterance: u, evidence: hit.evidence });
          break;
        }
        case 'pii': {
          if (c.rule.role !== u.role) break;
          const found = [...u.text.matchAll(PLACEHOLDER)].filter((m) => c.types.has(m[1]!)).map((m) => m[0]);
          if (found.length) this.warn(c, { offsetMs: u.startMs, utterance: u, evidence: found.join(' ') });
          break;
        }
        default:
          break;
      }
    }
    if (checklistChanged) this.emitChecklist();
  }

  onInsight(body: InsightBody): void {
    this.sync();
    for (const c of this.set!.rules) {
      if (c.kind === 'ordered' && body.type === 'intent') {
        const { thenIntents } = c;
        const p = body.prediction;
        const state = this.orderedState(c.rule.id);
        if (body.stage !== 'final' || p.lowConfidence || p.outOfScope || !thenIntents.has(p.label) || state.firstDone || state.warned.has('intent')) continue;
        state.warned.add('intent');
        this.warn(c, { offsetMs: this.clockMs, utteranceId: body.utteranceId, role: 'customer', evidence: `customer intent: ${p.label}` });
      } else if (c.kind === 'emotion') {
        const run = this.emotionRuns.get(c.rule.id) ?? { count: 0, warned: false };
        this.emotionRuns.set(c.rule.id, run);
        if (body.type === 'emotion') {
          if (!c.rule.labels.includes(body.label)) {
            // the episode is over: a later one warns again
            run.count = 0;
            run.warned = false;
            continue;
          }
          run.count += 1;
          if (run.count >= c.rule.consecutive && !run.warned) {
            run.warned = true;
            this.warn(c, { offsetMs: this.clockMs, utteranceId: body.utteranceId, role: 'customer', evidence: `${run.count} ${body.label} readings in a row` });
          }
        } else if (body.type === 'emotion.escalation' && c.rule.onEscalation && !run.warned) {
          run.warned = true;
          this.warn(c, { offsetMs: this.clockMs, utteranceId: body.utteranceId, role: 'customer', evidence: `escalation: ${body.reason}` });
        }
      }
    }
  }

  onHold(held: boolean, offsetMs: number): void {
    this.sync();
    this.clockMs = Math.max(this.clockMs, offsetMs);
    if (held) {
      this.heldSince = offsetMs;
      this.holdWarned = false;
      return;
    }
    this.checkHold(offsetMs);
    this.heldSince = null;
    // silence is counted again from the end of the hold
    this.heardSpeech(offsetMs);
  }

  onEnd(offsetMs: number): void {
    this.sync();
    this.clockMs = Math.max(this.clockMs, offsetMs);
    this.openPartials.clear();
    this.checkDeadlines();
    this.checkHold();
    let changed = false;
    for (const c of this.set!.rules) {
      if (c.kind !== 'required') continue;
      const item = this.items.get(c.rule.id);
      if (item?.status !== 'owed') continue;
      // a resumed call may have had it said before the restart
      if (this.unjudgedUntilMs >= 0 && (item.dueOffsetMs === null || item.dueOffsetMs <= this.unjudgedUntilMs)) continue;
      item.status = 'missed';
      changed = true;
      this.warn(c, { offsetMs: this.clockMs });
    }
    if (changed) this.emitChecklist();
  }

  async drain(): Promise<void> {
    while (this.storing.size > 0) await Promise.all([...this.storing]);
  }

  snapshot(): AnalyzerSnapshot {
    return { compliance: { warnings: [...this.warnings], checklist: this.checklist(), rulesVersion: this.set!.version } };
  }

  /** Adopts a reloaded rule set: items of rules kept keep their status; new rules start owed. */
  private sync(): void {
    const next = this.options.rules.current;
    if (next === this.set) return;
    const previous = this.set;
    this.set = next;
    const old = new Map(this.items);
    this.items.clear();
    for (const c of next.rules) {
      if (c.kind !== 'required' && c.kind !== 'ordered') continue;
      const due = c.kind === 'required' ? (c.rule.withinMs ?? null) : null;
      const kept = old.get(c.rule.id);
      this.items.set(c.rule.id, { ruleId: c.rule.id, title: c.rule.title, status: kept?.status ?? 'owed', dueOffsetMs: kept?.status === 'owed' || !kept ? due : kept.dueOffsetMs });
    }
    for (const id of this.deferred) if (this.items.get(id)?.status !== 'owed') this.deferred.delete(id);
    if (previous) {
      this.context.log.info({ from: previous.version, to: next.version }, 'compliance rules changed during the call');
      if (this.started) this.emitChecklist();
    }
  }

  private checkDeadlines(): void {
    let changed = false;
    for (const c of this.set!.rules) {
      if (c.kind !== 'required') continue;
      const item = this.items.get(c.rule.id);
      if (!item || item.status !== 'owed' || item.dueOffsetMs === null || this.clockMs < item.dueOffsetMs || this.deferred.has(c.rule.id)) continue;
      if (item.dueOffsetMs <= this.unjudgedUntilMs) continue;
      const open = this.openPartials.get(c.rule.role);
      if (open && open.startMs <= item.dueOffsetMs) {
        this.deferred.add(c.rule.id);
        continue;
      }
      item.status = 'missed';
      changed = true;
      this.warn(c, { offsetMs: this.clockMs });
    }
    if (changed) this.emitChecklist();
  }

  private checkHold(atMs = this.clockMs): void {
    if (this.heldSince === null || this.holdWarned) return;
    for (const c of this.set!.rules) {
      if (c.kind !== 'hold' || atMs - this.heldSince <= c.rule.maxMs) continue;
      this.holdWarned = true;
      this.warn(c, { offsetMs: atMs, evidence: `on hold ${Math.round((atMs - this.heldSince) / 1000)} s` });
      return;
    }
  }

  private checkSilence(): void {
    if (this.silenceWarned || this.heldSince !== null || this.openPartials.size) return;
    for (const c of this.set!.rules) {
      if (c.kind !== 'silence' || this.clockMs - this.lastSpeechMs <= c.rule.maxMs) continue;
      this.silenceWarned = true;
      this.warn(c, { offsetMs: this.clockMs, evidence: `no speech for ${Math.round((this.clockMs - this.lastSpeechMs) / 1000)} s` });
      return;
    }
  }

  private heardSpeech(atMs: number): void {
    if (atMs >= this.lastSpeechMs) {
      this.lastSpeechMs = atMs;
      this.silenceWarned = false;
    }
  }

  private orderedState(ruleId: string): OrderedState {
    let s = this.ordered.get(ruleId);
    if (!s) this.ordered.set(ruleId, (s = { firstDone: false, warned: new Set() }));
    return s;
  }

  private checklist(): ChecklistItem[] {
    return [...this.items.values()].map((i) => ({ ...i }));
  }

  private emitChecklist(): void {
    this.context.emit({ type: 'compliance.checklist', rulesVersion: this.set!.version, items: this.checklist() });
  }

  private warn(
    c: CompiledRule,
    at: { offsetMs: number; utterance?: FinalUtterance; utteranceId?: string; role?: LegRole; evidence?: string | null },
  ): void {
    const { rule } = c;
    const warning: ComplianceWarning = {
      ruleId: rule.id,
      rulesVersion: this.set!.version,
      severity: rule.severity as ComplianceSeverity,
      title: rule.title,
      message: rule.message,
      utteranceId: at.utterance?.utteranceId ?? at.utteranceId ?? null,
      role: at.utterance?.role ?? at.role ?? null,
      evidence: at.evidence ?? null,
      offsetMs: Math.round(at.offsetMs),
    };
    this.warnings.push(warning);
    this.context.emit({ type: 'compliance.warning', ...warning });
    const store = this.options.store;
    if (!store) return;
    const write = store
      .record({ callId: this.context.call.callId, ...warning, atMs: (this.options.now ?? Date.now)() })
      .catch((err: Error) => this.context.log.error({ err: err.message, ruleId: rule.id }, 'cannot store a compliance hit (the agent got the warning)'))
      .finally(() => this.storing.delete(write));
    this.storing.add(write);
  }
}
