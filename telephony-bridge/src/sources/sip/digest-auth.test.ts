import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { DigestAuth } from './digest-auth.ts';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

function nonceOf(challenge: string): string {
  return /nonce="([^"]+)"/.exec(challenge)![1]!;
}

function answer(ch: string, o: { user?: string; password?: string; qop?: boolean; h?: (s: string) => string; alg?: string } = {}): string {
  const h = o.h ?? md5;
  const user = o.user ?? 'src';
  const nonce = nonceOf(ch);
  const uri = 'sip:srs@10.0.0.5';
  const ha1 = h(`${user}:earpiece:${o.password ?? 's3cret'}`);
  const ha2 = h(`INVITE:${uri}`);
  const alg = o.alg ? `, algorithm=${o.alg}` : '';
  if (o.qop === false) return `Digest username="${user}", realm="earpiece", nonce="${nonce}", uri="${uri}", response="${h(`${ha1}:${nonce}:${ha2}`)}"${alg}`;
  return `Digest username="${user}", realm="earpiece", nonce="${nonce}", uri="${uri}", qop=auth, nc=00000001, cnonce="xyz", response="${h(`${ha1}:${nonce}:00000001:xyz:auth:${ha2}`)}"${alg}`;
}

test('challenge, then a correct response (qop=auth and RFC 2069 style) is accepted', () => {
  const auth = new DigestAuth({ realm: 'earpiece', users: { src: 's3cret' } });
  const missing = auth.verify('INVITE', undefined);
  assert.equal(missing.ok, false);
  const ch = missing.ok ? '' : missing.challenge[0]!;
  assert.match(ch, /^Digest realm="earpiece", nonce="[^"]+", algorithm=MD5, qop="auth"$/);
  assert.deepEqual(auth.verify('INVITE', answer(ch)), { ok: true, username: 'src' });
  assert.deepEqual(auth.verify('INVITE', answer(ch, { qop: false })), { ok: true, username: 'src' });
});

test('wrong password, unknown user, forged nonce, wrong method are refused', () => {
  const auth = new DigestAuth({ realm: 'earpiece', users: { src: 's3cret' } });
  const ch = auth.challenge()[0]!;
  for (const bad of [answer(ch, { password: 'x' }), answer(ch, { user: 'eve' }), answer(ch).replace(nonceOf(ch), `${nonceOf(ch).split('.')[0]}.AAAA`)]) {
    const r = auth.verify('INVITE', bad);
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.reason, 'bad');
  }
  assert.equal(auth.verify('BYE', answer(ch)).ok, false);
});

test('SHA-256 (RFC 8760) when offered; a stale nonce asks again with stale=true', () => {
  const auth = new DigestAuth({ realm: 'earpiece', users: { src: 's3cret' }, algorithms: ['SHA-256', 'MD5'], nonceTtlS: -1 });
  const [shaCh] = auth.challenge();
  assert.match(shaCh!, /algorithm=SHA-256/);
  const r = auth.verify('INVITE', answer(shaCh!, { h: sha, alg: 'SHA-256' }));
  assert.equal(!r.ok && r.reason, 'stale');
  assert.match(!r.ok ? r.challenge[0]! : '', /stale=true/);
  const fresh = new DigestAuth({ realm: 'earpiece', users: { src: 's3cret' }, algorithms: ['SHA-256'] });
  assert.equal(fresh.verify('INVITE', answer(fresh.challenge()[0]!, { h: sha, alg: 'SHA-256' })).ok, true);
});
