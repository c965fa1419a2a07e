/**
 * Another process's CPU and memory, read from Linux /proc (the load bench's server runs in a child
 * process; its private redis-server is that child's child). CPU: utime + stime of all threads, in
 * seconds; RSS: resident pages × page size. Linux only (the bench says so when /proc is missing).
 */
import { readdirSync, readFileSync } from 'node:fs';

const CLOCK_TICKS_PER_S = 100; // USER_HZ: 100 on every Linux ABI Node supports
const PAGE_BYTES = 4096;

export interface ProcSample {
  pid: number;
  /** Executable name (comm), e.g. `node`, `redis-server`, `sipp`. */
  name: string;
  ppid: number;
  cpuS: number;
  /** CPU of its children that exited and were waited for (cutime + cstime), seconds. */
  reapedChildrenCpuS: number;
  rssMB: number;
}

/** One /proc/PID/stat + statm reading; undefined once the process is gone. */
export function readProc(pid: number): ProcSample | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm is in parentheses and may hold spaces: fields after it are split from the last ')'.
    const close = stat.lastIndexOf(')');
    const name = stat.slice(stat.indexOf('(') + 1, close);
    const f = stat.slice(close + 2).split(' ');
    const ppid = Number(f[1]);
    const cpuS = (Number(f[11]) + Number(f[12])) / CLOCK_TICKS_PER_S; // utime, stime
    const statm = readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ');
    const reapedChildrenCpuS = (Number(f[13]) + Number(f[14])) / CLOCK_TICKS_PER_S;
    return { pid, name, ppid, cpuS, reapedChildrenCpuS, rssMB: (Number(statm[1]) * PAGE_BYTES) / 1e6 };
  } catch {
    return undefined;
  }
}

/** CPU seconds of one thread (`tid` = `pid`: the main thread, where a Node process runs its event loop). */
export function readThreadCpuS(pid: number, tid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / CLOCK_TICKS_PER_S;
  } catch {
    return undefined;
  }
}

/** Every living descendant of `pid` (children, their children…). */
export function descendantsOf(pid: number): ProcSample[] {
  let all: ProcSample[];
  try {
    all = readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .map((d) => readProc(Number(d)))
      .filter((p): p is ProcSample => p !== undefined);
  } catch {
    return [];
  }
  const out: ProcSample[] = [];
  const parents = new Set([pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of all) {
      if (parents.has(p.ppid) && !parents.has(p.pid)) {
        parents.add(p.pid);
        out.push(p);
        grew = true;
      }
    }
  }
  return out;
}

export function procAvailable(): boolean {
  return readProc(process.pid) !== undefined;
}
