import { useEffect, useReducer, useState } from 'react';
import { SUPERVISOR_CALL_SOCKET_PATH } from '@earpiece/assist-server/protocol';
import { AssistSocket } from '../../connection/assist-socket.ts';
import type { ConnectionStatus } from '../../connection/assist-socket.ts';
import { callReducer, initialAgentState } from '../../state/call-reducer.ts';
import type { AgentState } from '../../state/call-reducer.ts';

export function watchSocketUrl(location: Pick<Location, 'protocol' | 'host'>, callId: string): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${SUPERVISOR_CALL_SOCKET_PATH}?callId=${encodeURIComponent(callId)}`;
}

export interface WatchedCall {
  state: AgentState;
  status: ConnectionStatus;
  clockOffsetMs: number;
  /** The server's first message arrived (until then "not live" cannot be told from "not yet known"). */
  ready: boolean;
}

/**
 * One live call, read-only: the same socket client and reducer as the agent desk (the server speaks
 * the agent protocol for this call: snapshot, events, snapshot on a seq gap), but nothing is sent
 * beyond snapshot requests and pings.
 */
export function useWatchedCall(callId: string): WatchedCall {
  const [state, dispatch] = useReducer(callReducer, initialAgentState);
  const [status, setStatus] = useState<ConnectionStatus>('connecting');
  const [clockOffsetMs, setClockOffsetMs] = useState(0);
  const [ready, setReady] = useState(false);

  useEffect(() => {
    const socket = new AssistSocket({ url: watchSocketUrl(window.location, callId) });
    socket.onStatus(setStatus);
    socket.onMessage((message) => {
      if (message.type === 'session.ready') {
        setClockOffsetMs(message.serverTimeMs - Date.now());
        setReady(true);
      }
      dispatch(message);
    });
    socket.start();
    return () => socket.close();
  }, [callId]);

  return { state, status, clockOffsetMs, ready };
}
