/**
 * The supervisor's WebSockets (protocol: protocol/supervisor.ts):
 *   /ws/supervisor                 the wall: live-call rollups, alerts, call ends
 *   /ws/supervisor/call?callId=…   one call read-only, in the agent protocol (snapshot + events)
 * Read-only: a watcher may ask for a snapshot again; anything acting on the call is refused.
 * Supervisors and admins only (auth/); a supervisor with a team sees only the team's calls.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { SessionRegistry } from '../calls/session-registry.ts';
import { AGENT_UI_PROTOCOL_VERSION, AgentClientMessage, SUPERVISOR_CALL_SOCKET_PATH, SUPERVISOR_PROTOCOL_VERSION, SUPERVISOR_SOCKET_PATH } from '../protocol/index.ts';
import type { SupervisorHub, WatchableCall } from '../push/supervisor-hub.ts';
import type { RemoteCalls } from '../cluster/cluster-node.ts';

export interface SupervisorSocketRouteOptions {
  hub: SupervisorHub;
  registry: SessionRegistry;
  /** The agents a request's user may see (undefined: all); absent: every agent (route tests). */
  agentScope?: (req: FastifyRequest) => Promise<readonly string[] | undefined>;
  /** Calls owned by other nodes (cluster/): a watcher's snapshot comes from the owner. */
  remote?: RemoteCalls;
}

const CALL_ID = /^[A-Za-z0-9._:@-]{1,128}$/;

function parseClientMessage(data: Buffer) {
  try {
    return AgentClientMessage.safeParse(JSON.parse(data.toString('utf8')));
  } catch {
    return undefined;
  }
}

export async function supervisorSocketRoute(app: FastifyInstance, options: SupervisorSocketRouteOptions): Promise<void> {
  const { hub, registry } = options;

  app.get(
    SUPERVISOR_SOCKET_PATH,
    {
      websocket: true,
      config: { access: 'supervisor' },
      preHandler: async (req) => {
        (req as FastifyRequest & { agentScope?: readonly string[] }).agentScope = await options.agentScope?.(req);
      },
    }, (socket: WebSocket, req) => {
    const log = req.log.child({ route: 'supervisor-socket' });
    // The team is read before the handler runs (preHandler below): a wall shows only its supervisor's team.
    const scope = (req as FastifyRequest & { agentScope?: readonly string[] }).agentScope;
    const visible = scope ? (agentId: string) => scope.includes(agentId) : undefined;
    let detach = () => {};
    let closed = false;
    const attach = () => void (closed || (detach = hub.attachWall(socket, registry.all(), visible)));
    if (!options.remote) attach();
    else {
      // Calls owned by other nodes that this node did not see start (cluster/) are put on the wall first, so wall.ready lists them.
      options.remote.showRemoteCalls(visible).then(attach, (err: Error) => {
        log.warn({ err: err.message }, 'cannot fetch the live calls of other nodes');
        attach();
      });
    }
    socket.on('message', (data: Buffer) => {
      if (parseClientMessage(data)?.data?.type === 'ping') return;
      log.warn('unexpected message on the supervisor wall socket');
      hub.sendWall(socket, { v: SUPERVISOR_PROTOCOL_VERSION, type: 'error', code: 'EARPIECE_SUPERVISOR_READ_ONLY', message: 'the supervisor wall takes no messages' });
    });
    socket.on('close', () => ((closed = true), detach()));
  });

  app.get(SUPERVISOR_CALL_SOCKET_PATH, { websocket: true, config: { access: 'supervisor' } }, (socket: WebSocket, req) => {
    const callId = (req.query as Record<string, string | undefined>).callId ?? '';
    const log = req.log.child({ route: 'supervisor-call-socket', callId });
    if (!CALL_ID.test(callId)) {
      socket.send(JSON.stringify({ v: AGENT_UI_PROTOCOL_VERSION, type: 'error', code: 'EARPIECE_SUPERVISOR_BAD_CALL_ID', message: 'callId query parameter is missing or invalid' }));
      socket.close(1008, 'bad callId');
      return;
    }
    let detach = () => {};
    let closed = false;
    const attach = (call: WatchableCall | undefined) => void (closed || (detach = hub.attachWatcher(callId, socket, call)));
    const local = registry.get(callId);
    if (local || !options.remote) attach(local);
    else options.remote.snapshot(callId).then((s) => attach(s && { callId, agentId: s.call.agentId, snapshot: () => s }), () => attach(undefined));
    socket.on('message', (data: Buffer) => {
      const msg = parseClientMessage(data);
      if (!msg?.success) {
        log.warn('invalid message from a supervisor watching a call');
        hub.sendAgentMessage(socket, { v: AGENT_UI_PROTOCOL_VERSION, type: 'error', code: 'EARPIECE_AGENT_BAD_MESSAGE', message: 'invalid message' });
        return;
      }
      if (msg.data.type === 'ping') return;
      if (msg.data.type === 'snapshot.request') {
        const session = msg.data.callId === callId ? registry.get(callId) : undefined;
        if (session) hub.sendAgentMessage(socket, session.snapshot());
        else if (msg.data.callId === callId) void options.remote?.snapshot(callId).then((s) => s && hub.sendAgentMessage(socket, s), () => undefined);
        return;
      }
      log.warn({ type: msg.data.type }, 'refused: a supervisor watches a call read-only');
      hub.sendAgentMessage(socket, { v: AGENT_UI_PROTOCOL_VERSION, type: 'error', code: 'EARPIECE_SUPERVISOR_READ_ONLY', message: 'this view of the call is read-only' });
    });
    socket.on('close', () => ((closed = true), detach()));
  });
}
