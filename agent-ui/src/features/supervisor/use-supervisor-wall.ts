import { useEffect, useReducer, useState } from 'react';
import { SUPERVISOR_PROTOCOL_VERSION, SUPERVISOR_SOCKET_PATH } from '@earpiece/assist-server/protocol';
import type { SupervisorServerMessage } from '@earpiece/assist-server/protocol';
import type { ConnectionStatus } from '../../connection/assist-socket.ts';
import { backoffDelay, DEFAULT_BACKOFF } from '../../connection/backoff-delay.ts';
import { initialWallState, wallReducer } from './wall-state.ts';
import type { WallState } from './wall-state.ts';

const WALL_TYPES = new Set<string>(['wall.ready', 'wall.call', 'wall.alert', 'wall.call.ended', 'error']);

/** One frame from `/ws/supervisor`, or null when it is not a message of this protocol version. */
export function parseWallMessage(data: unknown): SupervisorServerMessage | null {
  if (typeof data !== 'string') return null;
  try {
    const value = JSON.parse(data) as { v?: unknown; type?: unknown } | null;
    if (!value || value.v !== SUPERVISOR_PROTOCOL_VERSION || typeof value.type !== 'string' || !WALL_TYPES.has(value.type)) return null;
    return value as SupervisorServerMessage;
  } catch {
    return null;
  }
}

export function wallSocketUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${SUPERVISOR_SOCKET_PATH}`;
}

export interface SupervisorWall {
  state: WallState;
  status: ConnectionStatus;
  /** Server clock minus browser clock (ms), from `wall.ready`. */
  clockOffsetMs: number;
}

/** Opens the wall socket, reconnects with backoff after a drop (the server resends the whole wall), closes on unmount. */
export function useSupervisorWall(): SupervisorWall {
  const [state, dispatch] = useReducer(wallReducer, initialWallState);
  const [status, setStatus] = useState<ConnectionStatus>('connecting');
  const [clockOffsetMs, setClockOffsetMs] = useState(0);

  useEffect(() => {
    let socket: WebSocket | null = null;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let attempt = 0;
    let everLive = false;
    let closed = false;
    const connect = () => {
      const ws = new WebSocket(wallSocketUrl(window.location));
      socket = ws;
      ws.onopen = () => {
        everLive = true;
        setStatus('live');
      };
      ws.onmessage = (event: MessageEvent) => {
        const message = parseWallMessage(event.data);
        if (!message) return;
        if (message.type === 'wall.ready') {
          attempt = 0;
          setClockOffsetMs(message.serverTimeMs - Date.now());
        }
        dispatch(message);
      };
      ws.onclose = () => {
        if (closed || socket !== ws) return;
        setStatus(everLive ? 'reconnecting' : 'connecting');
        timer = setTimeout(connect, backoffDelay(attempt++, DEFAULT_BACKOFF));
      };
    };
    connect();
    return () => {
      closed = true;
      if (timer) clearTimeout(timer);
      socket?.close(1000, 'client closed');
    };
  }, []);

  return { state, status, clockOffsetMs };
}
