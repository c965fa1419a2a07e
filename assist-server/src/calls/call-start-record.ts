/**
 * The `call.start` a call was opened with, kept in its spool directory, so that a node can resume
 * the call without its bridge (an orphaned call whose owner died and whose bridge never came back,
 * cluster/orphan-sweep.ts): the legs' sample rates are known nowhere else. The caller's number is
 * left out (PII; nothing after the call needs it).
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CallStartMessage } from '../protocol/index.ts';

const FILE = 'call-start.json';

export async function writeCallStart(spoolDir: string, start: CallStartMessage): Promise<void> {
  const { callerNumber: _pii, ...kept } = start;
  await mkdir(spoolDir, { recursive: true });
  const path = join(spoolDir, FILE);
  await writeFile(`${path}.tmp`, JSON.stringify(kept));
  await rename(`${path}.tmp`, path);
}

/** The call's `call.start`, or undefined when none was kept (or it is unreadable). */
export async function readCallStart(spoolDir: string): Promise<CallStartMessage | undefined> {
  try {
    const parsed = CallStartMessage.safeParse(JSON.parse(await readFile(join(spoolDir, FILE), 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
