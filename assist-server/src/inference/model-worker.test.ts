import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { ModelWorker } from './model-worker.ts';

const logger = pino({ level: 'silent' });
const module = new URL('./testing/echo-model-worker.ts', import.meta.url);

test('a worker loads once, answers calls in order, and reports handler errors per call', async () => {
  const w = new ModelWorker<{ loaded: string }>({ module, init: { prefix: '>' }, logger });
  try {
    assert.deepEqual(await w.start(), { loaded: '>' });
    assert.deepEqual(await Promise.all([w.call('echo', ['a']), w.call('echo', ['b', 'c'])]), [['>a'], ['>b', '>c']]);
    await assert.rejects(w.call('fail', null), /bad input/);
    await assert.rejects(w.call('nope', null), /unknown method nope/);
    assert.deepEqual(await w.call('echo', ['still alive']), ['>still alive']);
  } finally {
    await w.close();
  }
});

test('work in the worker does not block the main event loop', async () => {
  const w = new ModelWorker({ module, init: { prefix: '' }, logger });
  try {
    await w.start();
    // the main loop keeps turning while the worker is busy (a blocked loop would see no ticks at all)
    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 5);
    assert.equal(await w.call('spin', 300), 300);
    clearInterval(timer);
    assert.ok(ticks >= 5, `${ticks} main-loop ticks during 300 ms of worker work`);
  } finally {
    await w.close();
  }
});

test('a crashed worker fails its pending call clearly and the next call starts a fresh one; a failed load is an error', async () => {
  const w = new ModelWorker({ module, init: { prefix: '#' }, logger });
  try {
    await assert.rejects(w.call('crash', null), /exited \(code 3\)/);
    assert.deepEqual(await w.call('echo', ['x']), ['#x']);
  } finally {
    await w.close();
  }
  const broken = new ModelWorker({ module, init: { prefix: '', failLoad: true }, logger });
  await assert.rejects(broken.start(), /models failed to load: no model here/);
  await broken.close();
});
