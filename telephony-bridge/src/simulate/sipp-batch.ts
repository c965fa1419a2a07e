/**
 * Runs one SIPp process (Debian `sip-tester`, binary `sipp`) for a batch of calls: `-m N -l N`
 * (all N at once) at `-r ratePerS`, from a free SIP port and media port on the local address
 * that reaches the target. A call counts as held when it logs its last step (the scenario ends
 * with a `<log>` of "earpiece-call-done [call_number]"); a failed one takes its reason from
 * SIPp's error file (the SIP status received, a timeout, …).
 */
import { spawn } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { BridgeError } from '../core/errors.ts';
import type { BridgeLogger } from '../core/logger.ts';
import type { SimulationTarget } from './simulation-types.ts';

export const SIPP_DONE_LOG = 'earpiece-call-done';

export interface SippBatchOptions {
  /** Working directory holding the scenario and its pcaps (play_pcap_audio paths are relative to it). */
  dir: string;
  /** Scenario file name inside `dir`; also names the batch's log files. */
  scenario: string;
  target: SimulationTarget;
  localIp: string;
  calls: number;
  ratePerS: number;
  /** SIPp's global -timeout, seconds. */
  timeoutS: number;
  logger: BridgeLogger;
  signal?: AbortSignal | undefined;
}

export interface SippBatchResult {
  exitCode: number | null;
  /** SIPp call numbers (1-based) that reached their last step. */
  done: Set<number>;
  /** SIPp call number → first error SIPp reported for it. */
  errors: Map<number, string>;
  /** SIPp's own last words when it failed as a whole (bad scenario, port in use…). */
  fatal: string | undefined;
}

export async function runSippBatch(o: SippBatchOptions): Promise<SippBatchResult> {
  const base = o.scenario.replace(/\.xml$/, '');
  const logFile = join(o.dir, `${base}.log`);
  const errorFile = join(o.dir, `${base}.errors.log`);
  const sipPort = (await freeUdpPorts(o.localIp, 1, false))[0]!;
  const mediaPort = (await freeUdpPorts(o.localIp, 4, true))[0]!;
  const args = [
    `${o.target.host}:${o.target.port}`,
    ...['-sf', o.scenario, '-m', String(o.calls), '-l', String(o.calls), '-r', String(o.ratePerS), '-rp', '1000'],
    ...['-i', o.localIp, '-p', String(sipPort), '-mp', String(mediaPort), '-timeout', `${o.timeoutS}s`, '-nostdin'],
    ...['-trace_err', '-error_file', errorFile, '-trace_logs', '-log_file', logFile],
  ];
  o.logger.debug({ scenario: o.scenario, calls: o.calls, sipPort, mediaPort }, 'starting SIPp');
  const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn('sipp', args, { cwd: o.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (d: Buffer) => (output = (output + d.toString()).slice(-4000));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const onAbort = () => {
      child.kill('SIGUSR1'); // SIPp: stop placing calls and quit
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    };
    o.signal?.addEventListener('abort', onAbort, { once: true });
    child.once('error', (err: NodeJS.ErrnoException) => {
      o.signal?.removeEventListener('abort', onAbort);
      reject(
        err.code === 'ENOENT'
          ? new BridgeError('EARPIECE_SIMULATE_NO_SIPP', 'sipp is not installed: install it (Debian/Ubuntu: apt-get install sip-tester) or use --via audiosocket|twilio')
          : err,
      );
    });
    child.once('exit', (c) => {
      o.signal?.removeEventListener('abort', onAbort);
      resolve({ code: c, output });
    });
  });
  const done = new Set<number>();
  const doneLine = new RegExp(`${SIPP_DONE_LOG} (\\d+)`, 'g');
  for (const m of readIfThere(logFile).matchAll(doneLine)) done.add(Number(m[1]));
  const errors = parseSippErrors(readIfThere(errorFile));
  const fatal = code !== 0 && done.size === 0 && errors.size === 0 ? output.trim().split('\n').slice(-3).join(' ').slice(0, 300) : undefined;
  return { exitCode: code, done, errors, fatal };
}

/**
 * SIPp's error file → call number → reason: "SIP 503 Service Unavailable (EARPIECE_BRIDGE_CAPACITY)"
 * (the status received, with the EARPIECE_* code from the bridge's Warning header), a timeout, …
 * An event is a timestamped line, followed by the message it quotes when there is one.
 */
export function parseSippErrors(text: string): Map<number, string> {
  const errors = new Map<number, string>();
  for (const event of text.split(/\n'?(?=\d{4}-\d\d-\d\d\s)/)) {
    const id = /Call-Id '(\d+)-/i.exec(event);
    if (!id || errors.has(Number(id[1]))) continue;
    const status = /received 'SIP\/2\.0 (\d{3}[^\r\n']*)/.exec(event);
    const code = /(EARPIECE_[A-Z0-9_]+)/.exec(event)?.[1];
    const expecting = /while expecting '([^']+)'/.exec(event);
    const firstLine = event.split('\n')[0]!;
    let reason: string;
    if (status) reason = `SIP ${status[1]!.trim()}${code ? ` (${code})` : ''}`;
    else if (/timeout/i.test(firstLine)) reason = expecting ? `timeout waiting for ${expecting[1]}` : 'sipp timeout';
    else reason = `sipp: ${firstLine.replace(/^.*?Call-Id '[^']*'[:,]?\s*/i, '').slice(0, 120)}`;
    errors.set(Number(id[1]), reason);
  }
  return errors;
}

function readIfThere(path: string): string {
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}

/** The local address the OS would use to reach `host` (127.0.0.1 for loopback). */
export function localAddressFor(host: string): Promise<string> {
  const socket = createSocket(isIP(host) === 6 ? 'udp6' : 'udp4');
  return new Promise((resolve, reject) => {
    socket.once('error', (err) => (socket.close(), reject(new BridgeError('EARPIECE_SIMULATE_UNREACHABLE', `no route to ${host}: ${err.message}`, { cause: err }))));
    socket.connect(9, host, () => {
      const { address } = socket.address();
      socket.close();
      resolve(address);
    });
  });
}

/** `count` consecutive free UDP ports on `ip` (starting even when asked), in 40000-59999 (clear of the bridge's RTP range). */
export async function freeUdpPorts(ip: string, count: number, even: boolean): Promise<number[]> {
  for (let attempt = 0; attempt < 100; attempt++) {
    let first = 40000 + Math.floor(Math.random() * (20000 - count));
    if (even) first -= first % 2;
    const bound: Socket[] = [];
    for (let p = first; p < first + count; p++) {
      const s = await tryBind(ip, p);
      if (!s) break;
      bound.push(s);
    }
    await Promise.all(bound.map((s) => new Promise<void>((r) => s.close(() => r()))));
    if (bound.length === count) return Array.from({ length: count }, (_, i) => first + i);
  }
  throw new BridgeError('EARPIECE_SIMULATE_NO_PORTS', `no ${count} free UDP ports on ${ip} in 40000-59999 for SIPp`);
}

function tryBind(ip: string, port: number): Promise<Socket | null> {
  const s = createSocket(isIP(ip) === 6 ? 'udp6' : 'udp4');
  return new Promise((resolve) => {
    s.once('error', () => (s.close(), resolve(null)));
    s.bind({ port, address: ip, exclusive: true }, () => resolve(s));
  });
}

/** A call made of one SIPp call per batch (e.g. its agent and customer dialogs): held when every part is. */
export function sippCallOutcome(results: readonly SippBatchResult[], callNumber: number): { ok: boolean; reason?: string } {
  for (const r of results) {
    if (r.done.has(callNumber)) continue;
    return { ok: false, reason: r.errors.get(callNumber) ?? (r.fatal ? `sipp failed: ${r.fatal}` : 'sipp: call did not finish (no error reported)') };
  }
  return { ok: true };
}
