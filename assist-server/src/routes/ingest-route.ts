/**
 * The ingest WebSocket (`/ingest`): one bridge connection per call. Validates every message at
 * the edge; a malformed message is answered with an `error` and logged, never a crash, and
 * audio already received is kept. A socket that drops without `call.stop` leaves the call open
 * for a grace period so the bridge can reconnect and resend.
 */
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import type { CallSession } from '../calls/call-session.ts';
import { CallRefusedError, type SessionRegistry } from '../calls/session-registry.ts';
import type { PipelineMetrics } from '../metrics/pipeline-metrics.ts';
import {
  AudioFrameError,
  INGEST_PATH,
  IngestClientMessage,
  IngestErrorCode,
  decodeAudioFrame,
  type IngestServerMessage,
  type LegRole,
} from '../protocol/index.ts';

export interface IngestRouteOptions {
  registry: SessionRegistry;
  metrics: PipelineMetrics;
  /** How long a call whose bridge disconnected stays open for a reconnect. */
  reconnectGraceMs: number;
}

/** Frames held while the call is being opened (recognizers loading). */
const MAX_EARLY_FRAMES = 500;
/** Malformed messages one connection may send before it is dropped (a peer that does not speak the protocol). */
const MAX_REJECTED_MESSAGES = 100;

export async function ingestRoute(app: FastifyInstance, options: IngestRouteOptions): Promise<void> {
  const graceTimers = new Map<string, NodeJS.Timeout>();
  app.addHook('onClose', async () => {
    for (const t of graceTimers.values()) clearTimeout(t);
  });

  app.get(INGEST_PATH, { websocket: true, config: { access: 'ingest' } }, (socket: WebSocket, req) => {
    const log = req.log.child({ route: 'ingest' });
    let session: CallSession | undefined;
    let opening = false;
    let stopped = false;
    const early: Uint8Array[] = [];
    const send = (m: IngestServerMessage) => socket.readyState === socket.OPEN && socket.send(JSON.stringify(m));
    let rejected = 0;
    const reject = (code: IngestErrorCode, message: string, close = false) => {
      options.metrics.framesRejected++;
      log.warn({ code, callId: session?.callId }, message);
      send({ type: 'error', code, message, retryable: false });
      if (close) socket.close(1008, code);
      else if (++rejected === MAX_REJECTED_MESSAGES) {
        log.warn({ callId: session?.callId, rejected }, 'dropping the bridge connection: too many malformed messages');
        socket.close(1008, 'EARPIECE_INGEST_TOO_MANY_ERRORS');
      }
    };

    const handleAudio = (bytes: Uint8Array) => {
      if (!session) {
        if (!opening) return reject(IngestErrorCode.NoCall, 'audio before call.start');
        if (early.length >= MAX_EARLY_FRAMES) return reject(IngestErrorCode.Overflow, 'too much audio before the call was ready');
        early.push(bytes);
        return;
      }
      let frame;
      try {
        frame = decodeAudioFrame(bytes);
      } catch (err) {
        if (err instanceof AudioFrameError) return reject(err.code, err.message);
        throw err;
      }
      const result = session.acceptFrame(frame);
      if (result === 'duplicate') options.metrics.framesDuplicate++;
      else if (result === 'unknown-leg') return reject(IngestErrorCode.UnknownLeg, `leg ${frame.role} was not declared in call.start`);
      else if (result === 'accepted') options.metrics.framesReceived++;
    };

    const handleControl = (text: string) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return reject(IngestErrorCode.BadJson, 'control message is not valid JSON');
      }
      const msg = IngestClientMessage.safeParse(parsed);
      if (!msg.success) return reject(IngestErrorCode.BadMessage, `invalid control message: ${msg.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      const m = msg.data;
      if (m.type === 'call.start') {
        if (session || opening) return reject(IngestErrorCode.DuplicateStart, 'call.start already received on this connection');
        opening = true;
        options.registry.start(m).then(
          ({ session: s, resumed }) => {
            session = s;
            opening = false;
            // Acknowledge a frame only once its audio is in the spool: after a crash the bridge still has the rest.
            s.onDurable((role: LegRole, seq: number) => send({ type: 'ack', callId: s.callId, role, seq }));
            const timer = graceTimers.get(s.callId);
            if (timer) clearTimeout(timer), graceTimers.delete(s.callId);
            if (resumed) log.info({ callId: s.callId }, 'bridge reconnected to a live call');
            send({ type: 'call.accepted', callId: s.callId, nextSeq: s.nextSeq() });
            for (const bytes of early.splice(0)) handleAudio(bytes);
          },
          (err: Error) => {
            opening = false;
            const code = err instanceof CallRefusedError ? err.code : IngestErrorCode.StartFailed;
            // Capacity and already-ended refusals are expected under load (the bridge tries elsewhere): warn, not error.
            const expected = err instanceof CallRefusedError && (err.code === IngestErrorCode.Capacity || err.code === IngestErrorCode.CallEnded);
            log[expected ? 'warn' : 'error']({ code, callId: m.callId, err: err.message }, 'call refused');
            send({ type: 'error', code, message: err.message, retryable: err instanceof CallRefusedError ? err.retryable : false });
            socket.close(1013, code);
          },
        );
        return;
      }
      if (!session || session.callId !== m.callId) return reject(IngestErrorCode.NoCall, `${m.type} for ${m.callId}, which this connection did not start`);
      if (m.type === 'call.dtmf') return session.dtmf(m.role, m.digit, m.offsetMs);
      if (m.type === 'call.hold') return session.hold(m.held);
      // call.stop
      stopped = true;
      const callId = session.callId;
      options.registry.stop(callId, m.reason).then(
        () => {
          send({ type: 'call.stopped', callId });
          socket.close(1000, 'call stopped');
        },
        (err: Error) => {
          log.error({ callId, err: err.message }, 'stopping the call failed');
          send({ type: 'error', code: IngestErrorCode.StopFailed, message: err.message, retryable: true });
        },
      );
    };

    // Listeners are attached synchronously: messages that arrive before any await are not lost.
    socket.on('message', (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
      try {
        const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
        if (isBinary) handleAudio(bytes);
        else handleControl(bytes.toString('utf8'));
      } catch (err) {
        log.error({ err: (err as Error).message }, 'ingest message handling failed');
      }
    });
    socket.on('close', () => {
      if (!session || stopped) return;
      const callId = session.callId;
      log.warn({ callId, graceMs: options.reconnectGraceMs }, 'bridge disconnected mid-call; waiting for it to reconnect');
      graceTimers.set(
        callId,
        setTimeout(() => {
          graceTimers.delete(callId);
          void options.registry.stop(callId, 'error');
        }, options.reconnectGraceMs),
      );
    });
  });
}
