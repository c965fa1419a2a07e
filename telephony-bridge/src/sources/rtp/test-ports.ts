/** Test support: finds a run of UDP port pairs that are free right now on 127.0.0.1. */
import { createSocket, type Socket } from 'node:dgram';

function tryBind(port: number): Promise<Socket | null> {
  const s = createSocket('udp4');
  return new Promise((resolve) => {
    s.once('error', () => {
      s.close();
      resolve(null);
    });
    s.bind({ port, address: '127.0.0.1', exclusive: true }, () => resolve(s));
  });
}

/** An even base port such that base .. base + 2*pairs - 1 could all be bound just now. */
export async function findFreePortRange(pairs: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20000 + 2 * Math.floor(Math.random() * 18000);
    const bound: Socket[] = [];
    let ok = true;
    for (let p = base; p < base + 2 * pairs && ok; p++) {
      const s = await tryBind(p);
      if (s) bound.push(s);
      else ok = false;
    }
    await Promise.all(bound.map((s) => new Promise<void>((r) => s.close(() => r()))));
    if (ok) return base;
  }
  throw new Error('no free UDP port range found on 127.0.0.1');
}

/** Waits until `check()` is true, polling every 5 ms; rejects after `timeoutMs`. */
export async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 3000): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
