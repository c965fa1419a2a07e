/** Runs the mask and pii-eval commands in a child process with real stdin/stdout. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const HERE = fileURLToPath(new URL('.', import.meta.url));

function runCommand(file: string, exportName: string, args: string[], stdin: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const script = `import { ${exportName} } from ${JSON.stringify(HERE + file)}; process.exitCode = await ${exportName}.run(${JSON.stringify(args)});`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill(), 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(stdin);
  });
}

test('earpiece mask prints one masked line per input line', async () => {
  const r = await runCommand('mask-command.ts', 'maskCommand', [], 'my social is one two three four five six seven eight nine\npress two for billing\n');
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.stdout.trim().split('\n'), ['my social is [SSN]', 'press two for billing']);
});

test('earpiece mask --json --lang zh gives masked indices and entities', async () => {
  const r = await runCommand('mask-command.ts', 'maskCommand', ['--json', '--lang', 'zh'], '手机 幺 三 八 零 零 两 三 四 五 六 七\n');
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim()) as { text: string; masked: number[]; entities: Array<{ type: string; start: number; end: number }> };
  assert.equal(out.text, '手机 [CN_MOBILE]');
  assert.deepEqual(out.masked, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  assert.deepEqual(out.entities, [{ type: 'CN_MOBILE', start: 1, end: 12 }]);
});

test('earpiece pii eval prints the report JSON; a missing file is a clear error', async () => {
  const data = fileURLToPath(new URL('../analyzers/pii-masker/fixtures/pii-eval.en.jsonl', import.meta.url));
  const r = await runCommand('pii-command.ts', 'piiCommand', ['eval', '--data', data, '--lang', 'en'], '');
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as { entityRecall: number; perType: Record<string, unknown>; lines: number };
  assert.ok(report.lines >= 150 && 'CREDIT_CARD' in report.perType && report.entityRecall > 0);
  const bad = await runCommand('pii-command.ts', 'piiCommand', ['eval', '--data', '/nonexistent.jsonl'], '');
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /EARPIECE_PII_EVAL_DATA/);
});
