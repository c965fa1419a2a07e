/**
 * The load bench's agent: one signed-in agent socket (`/ws/agent`) that every simulated call is
 * routed to (the SIP simulation names one agent), as the agent UI would hold it. Partials are only
 * produced for a listening agent, so the bench needs one. Measures, where the agent receives them:
 * - finalLagMs: end of the utterance's last word leaving the bridge (leg clock `endMs` on the
 *   bridge's clock origin, IngestClientObserver) → the final arriving on this socket. It holds the
 *   recognizer's endpointing wait (the silence it needs to call the utterance over) plus transport.
 * - suggestion latency as bench:assist measures it: a customer `transcript.final` → the
 *   `assist.suggestions` (stage final) for the same utterance, on the server's clock (atMs) and on
 *   this socket's clock.
 * and counts what each call got (partials, finals per leg, call.ended).
 */
import WebSocket from 'ws';
import type { AgentServerMessage, LegRole } from '../../assist-server/src/protocol/index.ts';
import { LatencyRecorder } from '../../assist-server/src/metrics/latency-recorder.ts';

export interface AgentTotals {
  callsStarted: number;
  callsEnded: number;
  /** Calls in which every leg that carried speech got at least one final. */
  callsWithFinalsOnEveryLeg: number;
  partials: number;
  finals: Record<LegRole, number>;
  customerFinalsWithSuggestions: number;
}

export class LoadAgentListener {
  readonly finalLagMs = new LatencyRecorder();
  readonly suggestionServerMs = new LatencyRecorder();
  readonly suggestionSocketMs = new LatencyRecorder();
  readonly #calls = new Map<string, { ended: boolean; finals: Record<LegRole, number> }>();
  readonly #finals = new Map<string, { atMs: number; receivedAt: number }>();
  #partials = 0;
  #suggested = 0;
  /** The close code, if the socket closed before close() (1013: the server found the agent too far behind). */
  closedWith: number | undefined;
  #closing = false;

  private constructor(
    readonly socket: WebSocket,
    legOriginMs: (callId: string, role: LegRole) => number | undefined,
  ) {
    socket.once('close', (code) => void (this.#closing || (this.closedWith = code)));
    socket.on('message', (data) => {
      const receivedAt = Date.now();
      const m = JSON.parse(data.toString()) as AgentServerMessage;
      switch (m.type) {
        case 'call.started':
          this.#call(m.callId);
          break;
        case 'call.ended':
          this.#call(m.callId).ended = true;
          break;
        case 'transcript.partial':
          this.#partials++;
          break;
        case 'transcript.final': {
          this.#call(m.callId).finals[m.role]++;
          this.#finals.set(`${m.callId}/${m.utteranceId}`, { atMs: m.atMs, receivedAt });
          const origin = legOriginMs(m.callId, m.role);
          if (origin !== undefined) this.finalLagMs.record(receivedAt - (origin + m.endMs));
          break;
        }
        case 'assist.suggestions': {
          const final = m.stage === 'final' ? this.#finals.get(`${m.callId}/${m.utteranceId}`) : undefined;
          if (!final) break;
          this.#suggested++;
          this.suggestionServerMs.record(m.atMs - final.atMs);
          this.suggestionSocketMs.record(receivedAt - final.receivedAt);
          break;
        }
      }
    });
  }

  static async connect(wsUrl: string, headers: Record<string, string>, legOriginMs: (callId: string, role: LegRole) => number | undefined): Promise<LoadAgentListener> {
    const socket = new WebSocket(`${wsUrl}/ws/agent`, { headers });
    const listener = new LoadAgentListener(socket, legOriginMs);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('agent socket: no session.ready within 10 s')), 10_000);
      socket.on('message', (data) => {
        if ((JSON.parse(data.toString()) as AgentServerMessage).type === 'session.ready') clearTimeout(timer), resolve();
      });
      socket.once('unexpected-response', (_req, res) => (clearTimeout(timer), reject(new Error(`agent socket refused: HTTP ${res.statusCode}`))));
      socket.once('error', (err) => (clearTimeout(timer), reject(err)));
    });
    return listener;
  }

  get callsStarted(): number {
    return this.#calls.size;
  }

  get callsEnded(): number {
    return [...this.#calls.values()].filter((c) => c.ended).length;
  }

  /** `speakingLegs`: the legs that carry speech in every simulated call. */
  totals(speakingLegs: readonly LegRole[]): AgentTotals {
    const calls = [...this.#calls.values()];
    const finals: Record<LegRole, number> = { agent: 0, customer: 0 };
    for (const c of calls) for (const role of ['agent', 'customer'] as const) finals[role] += c.finals[role];
    return {
      callsStarted: calls.length,
      callsEnded: this.callsEnded,
      callsWithFinalsOnEveryLeg: calls.filter((c) => speakingLegs.every((r) => c.finals[r] > 0)).length,
      partials: this.#partials,
      finals,
      customerFinalsWithSuggestions: this.#suggested,
    };
  }

  close(): void {
    this.#closing = true;
    this.socket.close();
  }

  #call(callId: string): { ended: boolean; finals: Record<LegRole, number> } {
    let call = this.#calls.get(callId);
    if (!call) this.#calls.set(callId, (call = { ended: false, finals: { agent: 0, customer: 0 } }));
    return call;
  }
}
