/**
 * The bridge commands run in a child process (they own stdout, stderr and SIGINT), replaying real
 * synthesized speech into IngestStandIn, a real `ws` server standing in for assist-server's
 * ingest route.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { synthesizeCall, synthesizeSpeech } from '../../../assist-server/src/testing/speech-audio.ts';
import { IngestStandIn } from '../testing/ingest-stand-in.ts';
import { bridgeCommands } from './index.ts';

const CLI = fileURLToPath(new URL('./index.ts', import.meta.url));

function runCommand(name: string, args: string[], timeoutMs = 30_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const script = `import { bridgeCommands } from ${JSON.stringify(CLI)}; process.exitCode = await bridgeCommands[${JSON.stringify(name)}].run(process.argv.slice(1));`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, '--', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`${name} did not finish within ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

test('bridgeCommands has replay and mic with usage lines', () => {
  for (const name of ['bridge', 'mic', 'replay']) assert.ok(name in bridgeCommands, `${name} command`);
  assert.match(bridgeCommands.replay!.usage, /--agent A\.wav --customer C\.wav/);
  assert.match(bridgeCommands.mic!.usage, /--agent-id/);
});

test('replay FILE.wav --speed max --swap streams the call and prints the result on stdout; logs go to stderr', async () => {
  const call = await synthesizeCall([
    { role: 'agent', text: 'how can I help' },
    { role: 'customer', text: 'my card was stolen' },
  ]);
  const server = await IngestStandIn.start();
  try {
    const r = await runCommand('replay', [call.path, '--server', server.url, '--agent-id', 'agent-9', '--call-id', 'cli-1', '--caller', '+14155550142', '--speed', 'max', '--swap']);
    assert.equal(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout.trim()) as { callId: string; framesSent: number; stopReason: string };
    assert.deepEqual([result.callId, result.stopReason], ['cli-1', 'end-of-media']);
    const conn = server.connections[0]!;
    assert.equal(result.framesSent, conn.frames.length);
    assert.deepEqual([conn.start!.agentId, conn.start!.callerNumber], ['agent-9', '+14155550142']);
    const agentPcm = Int16Array.from(conn.frames.filter((f) => f.role === 'agent').flatMap((f) => [...f.pcm]));
    assert.deepEqual(agentPcm, call.audio.channels[1], '--swap: channel 1 became the agent leg');
    const logLines = r.stderr.split('\n').filter((l) => l.startsWith('{'));
    assert.ok(logLines.some((l) => JSON.parse(l).msg === 'replay finished'), 'pino JSON logs on stderr');
    assert.ok(!r.stderr.includes('+14155550142'), 'the caller number is not logged');
  } finally {
    await server.close();
  }
});

test('replay --agent/--customer mono files; usage errors exit 2', async () => {
  const agent = await synthesizeSpeech('good morning', { sampleRateHz: 8000 });
  const server = await IngestStandIn.start();
  try {
    const ok = await runCommand('replay', ['--agent', agent.path, '--server', server.url, '--speed', 'max']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.deepEqual(server.connections[0]!.start!.legs.map((l) => l.role), ['agent']);
    const bad = await runCommand('replay', ['--speed', '2', agent.path]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--speed must be 1 or max[\s\S]*usage: earpiece replay/);
    const none = await runCommand('replay', []);
    assert.equal(none.code, 2);
    const unknown = await runCommand('mic', ['--volume', '11']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /--volume/);
  } finally {
    await server.close();
  }
});
