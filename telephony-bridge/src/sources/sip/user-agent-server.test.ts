/**
 * The user agent server over real UDP/TCP sockets with raw SIP from the test. The session
 * behind it is a recording handler (no RTP): these tests are about dialogs, transactions and
 * timers; the SIPREC and plain-SIP tests run the real handlers.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createHash } from 'node:crypto';
import type { CallEndReason } from '../../core/call-sink.ts';
import { getHeader, getHeaderList, serializeSipMessage as require_serialize, type SipMessage } from './sip-message.ts';
import { parseNameAddr } from './sip-header-values.ts';
import { buildSdpAnswer, isHoldOffer, parseSdp, type SdpOffer } from './sdp.ts';
import { SipRefusal, type ActiveSession, type IncomingSession, type SessionHandler } from './session-handler.ts';
import { startSipServer, type SipServerOptions } from './sip-server.ts';
import { buildResponse } from './sip-response.ts';
import { SipTestPeer } from './sip-test-peer.ts';
import { siprecSdp } from '../siprec/siprec-fixtures.ts';

class RecordingHandler implements SessionHandler {
  readonly optionTags = ['siprec'];
  readonly accept = ['application/sdp', 'multipart/mixed'];
  opened: IncomingSession[] = [];
  holds: boolean[] = [];
  ended: CallEndReason[] = [];
  gate: Promise<void> = Promise.resolve();
  refuse: SipRefusal | undefined;

  async open(s: IncomingSession): Promise<ActiveSession> {
    await this.gate;
    if (this.refuse) throw this.refuse;
    this.opened.push(s);
    const answer = (o: SdpOffer) => buildSdpAnswer(o, o.streams.map((st, i) => ({ port: 30000 + 2 * i, codecs: st.codecs })), { address: '127.0.0.1', sessionId: '1', version: 1 });
    let held = false;
    return {
      answer: answer(s.sdp),
      update: async (o) => {
        const h = isHoldOffer(o, s.sdp);
        if (h !== held) this.holds.push((held = h));
        return answer(o);
      },
      end: async (reason) => void this.ended.push(reason),
    };
  }
}

async function withServer(fn: (ctx: { handler: RecordingHandler; peer: (t?: 'udp' | 'tcp') => Promise<SipTestPeer> }) => Promise<void>, options: Partial<SipServerOptions> = {}): Promise<void> {
  const handler = new RecordingHandler();
  const server = await startSipServer({ host: '127.0.0.1', port: 0, timers: { t1Ms: 40, t2Ms: 160 }, ...options }, handler);
  const peers: SipTestPeer[] = [];
  try {
    await fn({
      handler,
      peer: async (t = 'udp') => {
        const p = await SipTestPeer.open(t, { host: '127.0.0.1', port: server.ports[t]! });
        peers.push(p);
        return p;
      },
    });
  } finally {
    for (const p of peers) await p.close();
    await server.close();
  }
}

async function waitUntil(cond: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const toTagOf = (m: SipMessage) => parseNameAddr(getHeader(m, 'to')!).params.get('tag')!;

async function establish(peer: SipTestPeer, callId: string, headers: Record<string, string> = {}) {
  peer.send(peer.request('INVITE', { callId, cseq: 1, body: siprecSdp(), headers }));
  const ok = await peer.response('1 INVITE', undefined, 3000, callId);
  assert.equal(ok.status, 200, `INVITE answered ${ok.status} ${ok.reason}`);
  peer.send(peer.request('ACK', { callId, cseq: 1, toTag: toTagOf(ok) }));
  return ok;
}

for (const transport of ['udp', 'tcp'] as const) {
  test(`${transport}: INVITE → 100 → 200 with one recvonly m-line per stream, ACK, BYE → 200 and the session ends`, async () => {
    await withServer(async ({ handler, peer }) => {
      const p = await peer(transport);
      p.send(p.request('INVITE', { callId: `c-${transport}`, cseq: 1, body: siprecSdp(), headers: { require: 'siprec' } }));
      await p.response('1 INVITE', 100);
      const ok = await p.response('1 INVITE');
      assert.equal(ok.status, 200);
      assert.equal(getHeader(ok, 'content-type'), 'application/sdp');
      assert.deepEqual(parseSdp(ok.body.toString()).streams.map((s) => [s.direction, s.label]), [['recvonly', '1'], ['recvonly', '2']]);
      assert.match(getHeader(ok, 'contact')!, new RegExp(`transport=${transport}`));
      p.send(p.request('ACK', { callId: `c-${transport}`, cseq: 1, toTag: toTagOf(ok) }));
      p.send(p.request('BYE', { callId: `c-${transport}`, cseq: 2, toTag: toTagOf(ok) }));
      assert.equal((await p.response('2 BYE')).status, 200);
      await waitUntil(() => handler.ended.length === 1, 'session end');
      assert.deepEqual(handler.ended, ['hangup']);
      p.send(p.request('BYE', { callId: `c-${transport}`, cseq: 3, toTag: toTagOf(ok) }));
      assert.equal((await p.response('3 BYE')).status, 481, 'the dialog is gone');
    });
  });
}

test('UDP: the 200 OK is retransmitted until the ACK; without an ACK the bridge sends BYE and ends the call', async () => {
  await withServer(async ({ handler, peer }) => {
    const p = await peer();
    p.send(p.request('INVITE', { callId: 'retx', cseq: 1, body: siprecSdp() }));
    const first = await p.response('1 INVITE');
    await p.waitFor((m) => m.kind === 'response' && m.status === 200 && m !== first, 1000, '200 retransmission');
    const bye = await p.waitFor((m) => m.kind === 'request' && m.method === 'BYE', 5000, 'BYE after ACK timeout');
    assert.equal(getHeader(bye, 'call-id'), 'retx');
    assert.equal(parseNameAddr(getHeader(bye, 'from')!).params.get('tag'), toTagOf(first));
    p.send(buildResponse(bye as never, 200));
    await waitUntil(() => handler.ended.length === 1, 'session end');
    assert.deepEqual(handler.ended, ['error']);
  });
});

test('CANCEL before the answer: 200 for the CANCEL, 487 for the INVITE, and the session opened meanwhile is ended', async () => {
  await withServer(async ({ handler, peer }) => {
    let release!: () => void;
    handler.gate = new Promise((r) => (release = r));
    const p = await peer();
    const invite = p.request('INVITE', { callId: 'cancel', cseq: 1, body: siprecSdp(), branch: 'z9hG4bKcancel1' });
    p.send(invite);
    await p.response('1 INVITE', 100);
    const cancel = p.request('CANCEL', { callId: 'cancel', cseq: 1, branch: 'z9hG4bKcancel1' });
    p.send(cancel);
    assert.equal((await p.response('1 CANCEL')).status, 200);
    assert.equal((await p.response('1 INVITE')).status, 487);
    release();
    await waitUntil(() => handler.ended.length === 1, 'the late session is ended');
    p.send(p.request('CANCEL', { callId: 'nope', cseq: 1 }));
    assert.equal((await p.response('1 CANCEL')).status, 481);
  });
});

test('OPTIONS lists Allow/Accept/Supported; 405 for other methods; 481 in unknown dialogs', async () => {
  await withServer(async ({ peer }) => {
    const p = await peer();
    p.send(p.request('OPTIONS', { callId: 'o', cseq: 1 }));
    const ok = await p.response('1 OPTIONS');
    assert.equal(ok.status, 200);
    assert.match(getHeader(ok, 'allow')!, /INVITE.*BYE.*CANCEL.*UPDATE/);
    assert.equal(getHeader(ok, 'accept'), 'application/sdp, multipart/mixed');
    assert.equal(getHeader(ok, 'supported'), 'timer, siprec');
    p.send(p.request('SUBSCRIBE', { callId: 'o', cseq: 2 }));
    assert.equal((await p.response('2 SUBSCRIBE')).status, 405);
    p.send(p.request('INVITE', { callId: 'o', cseq: 3, toTag: 'nosuch', body: siprecSdp() }));
    assert.equal((await p.response('3 INVITE')).status, 481);
  });
});

test('420 with Unsupported for an unknown Require option; 415 with Accept for other bodies; 400 for a broken SDP', async () => {
  await withServer(async ({ peer }) => {
    const p = await peer();
    p.send(p.request('INVITE', { callId: 'r', cseq: 1, body: siprecSdp(), headers: { require: 'siprec, 100rel, foo' } }));
    const r420 = await p.response('1 INVITE');
    assert.deepEqual([r420.status, getHeader(r420, 'unsupported')], [420, '100rel, foo']);
    p.send(p.request('INVITE', { callId: 'b', cseq: 1, body: 'hello', headers: { 'content-type': 'text/plain' } }));
    const r415 = await p.response('1 INVITE');
    assert.deepEqual([r415.status, getHeader(r415, 'accept')], [415, 'application/sdp, multipart/mixed']);
    p.send(p.request('INVITE', { callId: 'c', cseq: 1, body: 'not sdp' }));
    assert.equal((await p.response('1 INVITE')).status, 400);
  });
});

test('re-INVITE with a=inactive is hold, sendonly again is unhold; both answered with every m-line; never a hang-up', async () => {
  await withServer(async ({ handler, peer }) => {
    const p = await peer();
    const ok = await establish(p, 'hold');
    const tag = toTagOf(ok);
    for (const [cseq, direction] of [[2, 'inactive'], [3, 'sendonly']] as const) {
      p.send(p.request('INVITE', { callId: 'hold', cseq, toTag: tag, body: siprecSdp({ direction }) }));
      const r = await p.response(`${cseq} INVITE`);
      assert.equal(r.status, 200);
      assert.deepEqual(parseSdp(r.body.toString()).streams.map((s) => s.direction), direction === 'inactive' ? ['inactive', 'inactive'] : ['recvonly', 'recvonly']);
      p.send(p.request('ACK', { callId: 'hold', cseq, toTag: tag }));
    }
    assert.deepEqual(handler.holds, [true, false]);
    assert.deepEqual(handler.ended, []);
    assert.match(/^o=.*$/m.exec((p.received.filter((m) => m.kind === 'response' && getHeader(m, 'cseq') === '3 INVITE' && m.status === 200)[0]!).body.toString())![0], / 3 IN IP4/, 'o= version rises with each changed answer');
  });
});

test('session timers: 422 below Min-SE; an unrefreshed session is ended with BYE; a refresh keeps it; refresher=uas gets UPDATEs', async () => {
  await withServer(
    async ({ handler, peer }) => {
      const p = await peer();
      p.send(p.request('INVITE', { callId: 't0', cseq: 1, body: siprecSdp(), headers: { 'session-expires': '60', supported: 'timer' } }));
      const r422 = await p.response('1 INVITE');
      assert.deepEqual([r422.status, getHeader(r422, 'min-se')], [422, '90']);
      p.send(p.request('ACK', { callId: 't0', cseq: 1, toTag: toTagOf(r422) }));
      const started = Date.now();
      const ok = await establish(p, 't1', { 'session-expires': '90;refresher=uac', supported: 'timer' });
      assert.equal(getHeader(ok, 'session-expires'), '90;refresher=uac');
      assert.equal(getHeader(ok, 'require'), 'timer');
      // Refresh at ~30 "s" (300 ms) with UPDATE: the session lives past the 60 "s" expiry of the first interval.
      await new Promise((r) => setTimeout(r, 300));
      p.send(p.request('UPDATE', { callId: 't1', cseq: 2, toTag: toTagOf(ok), headers: { 'session-expires': '90;refresher=uac', supported: 'timer' } }));
      assert.equal((await p.response('2 UPDATE')).status, 200);
      const bye = await p.waitFor((m) => m.kind === 'request' && m.method === 'BYE' && getHeader(m, 'call-id') === 't1', 3000, 'BYE at expiry');
      assert.ok(Date.now() - started >= 850, `ended ${Date.now() - started} ms after start: the refresh counted`);
      p.send(buildResponse(bye as never, 200));
      await waitUntil(() => handler.ended.includes('end-of-media'), 'session ended by the timer');
      // We are the refresher: an UPDATE comes at half the interval.
      const uas = await establish(p, 't2', { 'session-expires': '90;refresher=uas', supported: 'timer' });
      assert.equal(getHeader(uas, 'session-expires'), '90;refresher=uas');
      const update = await p.waitFor((m) => m.kind === 'request' && m.method === 'UPDATE', 3000, 'refreshing UPDATE');
      assert.equal(getHeader(update, 'session-expires'), '90;refresher=uas');
      p.send(buildResponse(update as never, 200));
    },
    { msPerSecond: 10 },
  );
});

test('malformed input: 400 when answerable (bad Content-Length, truncated headers), silence for garbage; TCP closes after an unframeable message', async () => {
  await withServer(async ({ peer }) => {
    const p = await peer();
    const good = p.request('OPTIONS', { callId: 'm1', cseq: 1 });
    p.sendRaw('garbage that is not SIP\r\n\r\n');
    p.sendRaw(`${Buffer.from(require_serialize(good)).toString().replace('Content-Length: 0', 'Content-Length: 50')}`);
    const r400 = await p.response('1 OPTIONS');
    assert.equal(r400.status, 400);
    assert.match(getHeader(r400, 'warning')!, /Content-Length 50/);
    p.sendRaw(require_serialize(p.request('OPTIONS', { callId: 'm2', cseq: 2 })).toString().replace(/\r\n\r\n$/, '\r\n'));
    assert.equal((await p.response('2 OPTIONS')).status, 400, 'truncated: no blank line');
    p.sendRaw(Buffer.concat([Buffer.from(require_serialize(p.request('OPTIONS', { callId: 'm3', cseq: 3 })).toString().replace('\r\n\r\n', '\r\nX-Pad: ')), Buffer.alloc(70000, 97), Buffer.from('\r\n\r\n')]));
    p.send(p.request('OPTIONS', { callId: 'm4', cseq: 4 }));
    assert.equal((await p.response('4 OPTIONS')).status, 200, 'still serving after garbage and oversized datagrams');
    assert.equal(p.received.filter((m) => m.kind === 'response' && getHeader(m, 'call-id') === 'm3').length, 0);
    const t = await peer('tcp');
    t.sendRaw(require_serialize(t.request('OPTIONS', { callId: 'm5', cseq: 5 })).toString().replace('Content-Length: 0', 'Content-Length: zero'));
    assert.equal((await t.response('5 OPTIONS')).status, 400);
    await waitUntil(() => t.closed || true, 'close');
  });
});

test('digest auth: 401 with a challenge, then the INVITE with credentials is answered', async () => {
  await withServer(
    async ({ peer }) => {
      const p = await peer();
      p.send(p.request('INVITE', { callId: 'auth', cseq: 1, body: siprecSdp() }));
      const r401 = await p.response('1 INVITE');
      assert.equal(r401.status, 401);
      const challenge = getHeaderList(r401, 'www-authenticate').join(', ');
      const nonce = /nonce="([^"]+)"/.exec(challenge)![1]!;
      p.send(p.request('ACK', { callId: 'auth', cseq: 1, toTag: toTagOf(r401) }));
      const md5 = (s: string) => createHash('md5').update(s).digest('hex');
      const uri = 'sip:srs@127.0.0.1';
      const response = md5(`${md5('src:earpiece:pw')}:${nonce}:${md5(`INVITE:${uri}`)}`);
      const authorization = `Digest username="src", realm="earpiece", nonce="${nonce}", uri="${uri}", response="${response}", algorithm=MD5`;
      p.send(p.request('INVITE', { callId: 'auth', cseq: 2, body: siprecSdp(), headers: { authorization } }));
      assert.equal((await p.response('2 INVITE')).status, 200);
    },
    { digest: { realm: 'earpiece', users: { src: 'pw' } } },
  );
});

test('allow-list: a denied source is dropped (or answered 403), an allowed one served', async () => {
  await withServer(async ({ peer }) => {
    const p = await peer();
    p.send(p.request('OPTIONS', { callId: 'deny', cseq: 1 }));
    await assert.rejects(p.response('1 OPTIONS', undefined, 300));
  }, { allowList: ['10.0.0.0/8'] });
  await withServer(async ({ peer }) => {
    const p = await peer();
    p.send(p.request('OPTIONS', { callId: 'deny', cseq: 1 }));
    assert.equal((await p.response('1 OPTIONS')).status, 403);
  }, { allowList: ['10.0.0.0/8'], deniedResponse: '403' });
  await withServer(async ({ peer }) => {
    const p = await peer('tcp');
    p.send(p.request('OPTIONS', { callId: 'ok', cseq: 1 }));
    assert.equal((await p.response('1 OPTIONS')).status, 200);
  }, { allowList: ['10.0.0.0/8', '127.0.0.1'] });
});

test('a handler refusal (capacity) is answered with its status and no dialog stays', async () => {
  await withServer(async ({ handler, peer }) => {
    handler.refuse = new SipRefusal(503, 'at capacity', [['Retry-After', '10']]);
    const p = await peer();
    p.send(p.request('INVITE', { callId: 'full', cseq: 1, body: siprecSdp() }));
    const r = await p.response('1 INVITE');
    assert.deepEqual([r.status, getHeader(r, 'retry-after')], [503, '10']);
  });
});
