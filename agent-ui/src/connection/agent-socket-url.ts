import { AGENT_SOCKET_PATH } from '@earpiece/assist-server/protocol';

/** `ws(s)://<host>/ws/agent?agentId=<id>` for the page's own origin. */
export function agentSocketUrl(location: Pick<Location, 'protocol' | 'host'>, agentId: string): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}${AGENT_SOCKET_PATH}?agentId=${encodeURIComponent(agentId)}`;
}
