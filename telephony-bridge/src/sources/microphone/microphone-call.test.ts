/**
 * This machine has no sound card, so only the failure path is tested: the recorder cannot open
 * the device (or is not installed) and the call fails with EARPIECE_BRIDGE_MIC_UNAVAILABLE before
 * any call is opened on the server. Streaming from a working microphone is NOT tested here.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IngestStandIn } from '../../testing/ingest-stand-in.ts';
import { microphoneCall } from './microphone-call.ts';
import { openMicrophone } from './open-microphone.ts';

test('a device sox cannot open is EARPIECE_BRIDGE_MIC_UNAVAILABLE, with the recorder\'s reason, and no call is opened', async () => {
  const server = await IngestStandIn.start();
  try {
    await assert.rejects(
      microphoneCall({ serverUrl: server.url, agentId: 'agent-5', device: 'earpiece-no-such-device', openTimeoutMs: 10_000 }),
      (err: Error & { code?: string }) => {
        assert.equal(err.code, 'EARPIECE_BRIDGE_MIC_UNAVAILABLE');
        assert.match(err.message, /earpiece-no-such-device/);
        assert.match(err.message, /sound card/);
        return true;
      },
    );
    assert.equal(server.connections.length, 0, 'the server was never contacted');
    await noChildProcesses();
  } finally {
    await server.close();
  }
});

test('a recorder that is not installed is EARPIECE_BRIDGE_MIC_UNAVAILABLE too, and leaves no process behind', async () => {
  await assert.rejects(openMicrophone({ recorder: 'arecord', device: 'hw:99,0' }), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'EARPIECE_BRIDGE_MIC_UNAVAILABLE');
    assert.match(err.message, /arecord/);
    return true;
  });
  await noChildProcesses();
});

/** Node releases an exited child's handle a loop turn after its 'close' event: wait for it, bounded. */
async function noChildProcesses(timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (process.getActiveResourcesInfo().includes('ProcessWrap')) {
    if (Date.now() > deadline) assert.fail('a recorder process was left running');
    await new Promise((r) => setImmediate(r));
  }
}
