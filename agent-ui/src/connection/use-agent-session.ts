import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import type { AgentClientMessage } from '@earpiece/assist-server/protocol';
import { callReducer, initialAgentState } from '../state/call-reducer.ts';
import type { AgentState } from '../state/call-reducer.ts';
import { agentSocketUrl } from './agent-socket-url.ts';
import { AssistSocket } from './assist-socket.ts';
import type { ConnectionStatus } from './assist-socket.ts';

export interface AgentSession {
  state: AgentState;
  status: ConnectionStatus;
  /** Server clock minus browser clock (ms), measured at `session.ready`; 0 until then. */
  clockOffsetMs: number;
  /** Sends a client message (e.g. `assist.feedback`) over the agent socket; false when it is not open. */
  send: SendClientMessage;
}

export type SendClientMessage = (message: AgentClientMessage) => boolean;

/** Opens the agent's socket for `agentId` and folds its messages into state; closes on unmount. */
export function useAgentSession(agentId: string): AgentSession {
  const [state, dispatch] = useReducer(callReducer, initialAgentState);
  const [status, setStatus] = useState<ConnectionStatus>('connecting');
  const [clockOffsetMs, setClockOffsetMs] = useState(0);
  const socketRef = useRef<AssistSocket | null>(null);
  const send = useCallback<SendClientMessage>((message) => socketRef.current?.send(message) ?? false, []);

  useEffect(() => {
    const socket = new AssistSocket({ url: agentSocketUrl(window.location, agentId) });
    socketRef.current = socket;
    socket.onStatus(setStatus);
    socket.onMessage((message) => {
      if (message.type === 'session.ready') setClockOffsetMs(message.serverTimeMs - Date.now());
      dispatch(message);
    });
    setStatus(socket.status);
    socket.start();
    return () => {
      if (socketRef.current === socket) socketRef.current = null;
      socket.close();
    };
  }, [agentId]);

  return { state, status, clockOffsetMs, send };
}
