import { INGEST_PATH } from '@earpiece/assist-server/protocol';
import { BridgeError } from '../core/errors.ts';

/**
 * `ws://host:port` → `ws://host:port/ingest`. Accepts http(s) as ws(s); a URL that already ends in
 * /ingest is kept; another path is treated as a prefix (a reverse proxy's mount point).
 */
export function ingestUrl(serverUrl: string): string {
  let url: URL;
  try {
    url = new URL(serverUrl);
  } catch {
    throw new BridgeError('EARPIECE_BRIDGE_BAD_SERVER_URL', `server URL "${serverUrl}" is not a URL; give ws://host:port (e.g. ws://127.0.0.1:8080)`);
  }
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new BridgeError('EARPIECE_BRIDGE_BAD_SERVER_URL', `server URL "${serverUrl}" must start with ws:// or wss://`);
  }
  if (!url.pathname.endsWith(INGEST_PATH)) url.pathname = url.pathname.replace(/\/+$/, '') + INGEST_PATH;
  return url.toString();
}

/**
 * A comma-separated list of assist-server nodes (`ws://a:8080,ws://b:8080`) → their ingest URLs, in
 * order: a call goes to the first that accepts it and fails over along the list (IngestClient).
 */
export function ingestUrls(serverUrls: string): string[] {
  const urls = serverUrls.split(',').map((u) => u.trim()).filter((u) => u.length > 0);
  if (urls.length === 0) throw new BridgeError('EARPIECE_BRIDGE_BAD_SERVER_URL', 'no server URL given; give ws://host:port, or several separated by commas');
  return urls.map(ingestUrl);
}
