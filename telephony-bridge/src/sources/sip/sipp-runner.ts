/**
 * Test support: runs the real SIPp (Debian `sip-tester`) from a temp directory whose `pcap`
 * links to the shipped pcaps (/usr/share/sip-tester), so built-in scenarios find
 * `pcap/g711a.pcap`; test-built pcaps and scenario files go in the same directory.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePortRange } from '../rtp/test-ports.ts';

export const SIPP_PCAP_DIR = '/usr/share/sip-tester';

export interface SippResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export class SippDir {
  readonly path = mkdtempSync(join(tmpdir(), 'earpiece-sipp-'));

  constructor() {
    symlinkSync(SIPP_PCAP_DIR, join(this.path, 'pcap'));
  }

  file(name: string, content: string | Buffer): string {
    const p = join(this.path, name);
    writeFileSync(p, content);
    return p;
  }

  /** Runs sipp against `target` with one call; resolves when it exits (killed after timeoutMs). */
  async run(target: string, args: string[], timeoutMs = 60_000): Promise<SippResult> {
    const base = await findFreePortRange(3);
    const full = [target, '-m', '1', '-nostdin', '-i', '127.0.0.1', '-p', String(base), '-mp', String(base + 2), '-timeout', `${Math.ceil(timeoutMs / 1000)}s`, '-trace_err', ...args];
    return new Promise((resolve, reject) => {
      const child = spawn('sipp', full, { cwd: this.path, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout = (stdout + d.toString()).slice(-20000)));
      child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-20000)));
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs + 5000);
      child.on('error', (err) => (clearTimeout(timer), reject(err)));
      child.on('exit', (code) => (clearTimeout(timer), resolve({ code, stdout, stderr })));
    });
  }
}
