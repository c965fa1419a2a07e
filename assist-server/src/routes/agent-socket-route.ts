/**
 * The agent's WebSocket (`/ws/agent`): live events of the signed-in agent's calls (the agent id is the
 * session's user id; access 'agent', auth/). On connect the server sends `session.ready`, then a
 * `call.snapshot` of each live call, then events as they happen.
 */
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { FeedbackError, type AssistService } from '../analyzers/assist/assist-service.ts';
import type { SessionRegistry } from '../calls/session-registry.ts';
import type { AgentDirectoryEntry } from '../config.ts';
import { AGENT_SOCKET_PATH, AGENT_UI_PROTOCOL_VERSION, AgentClientMessage } from '../protocol/index.ts';
import type { AgentHub } from '../push/agent-hub.ts';
import type { RemoteCalls } from '../cluster/cluster-node.ts';

export interface AgentSocketRouteOptions {
  hub: AgentHub;
  registry: SessionRegistry;
  agents: AgentDirectoryEntry[];
  /** Records `assist.feedback` (absent: feedback is refused). */
  assist?: AssistService;
  /** Calls of the agent owned by other nodes (cluster/): their snapshots come from their owners. */
  remote?: RemoteCalls;
}

const AGENT_ID = /^[A-Za-z0-9._@-]{1,128}$/;

export async function agentSocketRoute(app: FastifyInstance, options: AgentSocketRouteOptions): Promise<void> {
  app.get(AGENT_SOCKET_PATH, { websocket: true, config: { access: 'agent' } }, (socket: WebSocket, req) => {
    // The agent is the signed-in user (auth/access-control.ts refused the upgrade otherwise); no ?agentId= trust.
    const agentId = req.user?.userId ?? '';
    const log = req.log.child({ route: 'agent-socket', agentId });
    if (!AGENT_ID.test(agentId)) {
      socket.send(JSON.stringify({ v: AGENT_UI_PROTOCOL_VERSION, type: 'error', code: 'EARPIECE_AGENT_BAD_ID', message: 'not signed in as an agent' }));
      socket.close(4401, 'not signed in');
      return;
    }
    const live = options.registry.forAgent(agentId);
    let detach: () => void;
    if (!options.remote) {
      detach = options.hub.attach(agentId, socket, live.map((s) => s.callId));
      for (const session of live) options.hub.send(socket, session.snapshot());
    } else {
      // The agent's calls on other nodes (cluster/) are looked up first, so session.ready names them too; events wait meanwhile.
      const remote = options.remote.liveSnapshots(agentId, live.map((s) => s.callId)).catch((err: Error) => {
        log.warn({ err: err.message }, 'cannot fetch snapshots of calls on other nodes');
        return [];
      });
      const greeting = remote.then((elsewhere) => {
        const snapshots = options.registry.forAgent(agentId).map((s) => s.snapshot());
        for (const s of elsewhere) if (!snapshots.some((l) => l.callId === s.callId)) snapshots.push(s);
        return { liveCallIds: snapshots.map((s) => s.callId), snapshots };
      });
      detach = options.hub.attachGreeting(agentId, socket, greeting);
    }

    let feedback: Promise<void> = Promise.resolve();
    socket.on('message', (data: Buffer) => {
      let msg;
      try {
        msg = AgentClientMessage.safeParse(JSON.parse(data.toString('utf8')));
      } catch {
        msg = undefined;
      }
      if (!msg?.success) {
        log.warn('invalid message from agent UI');
        options.hub.send(socket, { v: AGENT_UI_PROTOCOL_VERSION, type: 'error', code: 'EARPIECE_AGENT_BAD_MESSAGE', message: 'invalid message' });
        return;
      }
      if (msg.data.type === 'snapshot.request') {
        const session = options.registry.get(msg.data.callId);
        if (session && session.agentId === agentId) options.hub.send(socket, session.snapshot());
        else if (!session) void options.remote?.snapshot(msg.data.callId).then((s) => s?.call.agentId === agentId && options.hub.send(socket, s), () => undefined);
      } else if (msg.data.type === 'assist.feedback') {
        const { callId, articleId, utteranceId, action } = msg.data;
        // recorded one after another in the order sent (recording reads and writes the database)
        feedback = feedback
          .then(async () => {
            if (!options.assist) throw new FeedbackError('EARPIECE_CALL_NOT_FOUND', 'assist is not running on this node');
            await options.assist.recordFeedback({ callId, agentId, articleId, utteranceId: utteranceId ?? null, action });
          })
          .catch((err: Error) => {
            const known = err instanceof FeedbackError;
            log[known ? 'warn' : 'error']({ callId, articleId, err: err.message }, 'assist feedback not recorded');
            options.hub.send(socket, { v: AGENT_UI_PROTOCOL_VERSION, type: 'error', code: known ? err.code : 'EARPIECE_AGENT_FEEDBACK_FAILED', message: err.message });
          });
      }
    });
    socket.on('close', detach);
  });
}
