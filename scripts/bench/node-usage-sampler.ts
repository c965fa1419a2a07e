/**
 * Samples the load bench's processes at a fixed interval: the assist-server child and its
 * descendants (its private redis-server), read from /proc, and this process (the bridge). Keeps
 * each one's peak RSS and, for the soak, the RSS timeline, and gives each one's CPU seconds over
 * the window (start → stop), and this process's event-loop delay measured as the server measures
 * its own (PipelineMetrics: sampled every 10 ms, the delay past the interval).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { descendantsOf, readProc, readThreadCpuS, type ProcSample } from './proc-usage.ts';

export interface RssSample {
  /** Seconds since the sampler started. */
  tS: number;
  /** MB per process name: assistServer, bridge, and each server descendant by its executable name. */
  rssMB: Record<string, number>;
}

export interface NodeUsage {
  wallS: number;
  /** CPU seconds in the window per process name; `assistServerMainThread`: the server's event-loop thread alone (the rest: decoders on the libuv pool, worker threads, GC). */
  cpuS: Record<string, number>;
  rssMaxMB: Record<string, number>;
  /** CPU of this process's children that exited in the window (the SIPp processes). */
  reapedChildrenCpuS: number;
  samples: RssSample[];
  /** This process's, ms. */
  eventLoopDelayMs: { p50: number; p99: number; max: number };
}

const LOOP_SAMPLE_MS = 10;

export function startNodeUsageSampler(serverPid: number, intervalMs: number): { stop(): NodeUsage } {
  const t0 = performance.now();
  const self0 = readProc(process.pid);
  const cpu0 = new Map<number, number>(); // pid → CPU seconds at start (0 for processes born later)
  const names = new Map<number, string>(); // pid → reported name
  const last = new Map<number, number>(); // pid → latest CPU seconds seen (a process that exits keeps its last reading)
  const rssMax: Record<string, number> = {};
  const samples: RssSample[] = [];

  // The server's descendants are found by a scan of /proc every 10th sample (a scan reads every process's stat; this process pays for it).
  let descendants: number[] = [];
  let sampleNo = 0;
  const group = (): Array<[string, ProcSample]> => {
    if (sampleNo++ % 10 === 0) descendants = descendantsOf(serverPid).map((p) => p.pid);
    return [['assistServer', serverPid] as const, ...descendants.map((pid) => ['', pid] as const)].flatMap(([label, pid]) => {
      const p = readProc(pid);
      return p ? [[label || p.name, p] as [string, ProcSample]] : [];
    });
  };
  const take = (first: boolean) => {
    const rssMB: Record<string, number> = { bridge: process.memoryUsage().rss / 1e6 };
    for (const [name, p] of group()) {
      if (first) cpu0.set(p.pid, p.cpuS);
      else if (!cpu0.has(p.pid)) cpu0.set(p.pid, 0);
      names.set(p.pid, name);
      last.set(p.pid, p.cpuS);
      rssMB[name] = (rssMB[name] ?? 0) + p.rssMB;
    }
    for (const [name, mb] of Object.entries(rssMB)) rssMax[name] = Math.max(rssMax[name] ?? 0, mb);
    samples.push({ tS: (performance.now() - t0) / 1000, rssMB });
  };
  take(true);
  const mainThread0 = readThreadCpuS(serverPid, serverPid);
  let mainThreadLast = mainThread0;
  const loop = monitorEventLoopDelay({ resolution: LOOP_SAMPLE_MS });
  loop.enable();
  const selfCpu0 = process.cpuUsage();
  const timer = setInterval(() => {
    take(false);
    mainThreadLast = readThreadCpuS(serverPid, serverPid) ?? mainThreadLast;
  }, intervalMs);

  return {
    stop() {
      clearInterval(timer);
      loop.disable();
      take(false);
      const delay = (ns: number) => Math.max(0, Math.round((ns / 1e6 - LOOP_SAMPLE_MS) * 10) / 10);
      const cpuS: Record<string, number> = {};
      for (const [pid, name] of names) cpuS[name] = (cpuS[name] ?? 0) + (last.get(pid)! - cpu0.get(pid)!);
      mainThreadLast = readThreadCpuS(serverPid, serverPid) ?? mainThreadLast;
      if (mainThread0 !== undefined && mainThreadLast !== undefined) cpuS.assistServerMainThread = mainThreadLast - mainThread0;
      const selfCpu = process.cpuUsage(selfCpu0);
      cpuS.bridge = (selfCpu.user + selfCpu.system) / 1e6;
      const self1 = readProc(process.pid);
      return {
        wallS: (performance.now() - t0) / 1000,
        cpuS,
        rssMaxMB: rssMax,
        reapedChildrenCpuS: self0 && self1 ? self1.reapedChildrenCpuS - self0.reapedChildrenCpuS : 0,
        samples,
        eventLoopDelayMs: { p50: delay(loop.percentile(50)), p99: delay(loop.percentile(99)), max: delay(loop.max) },
      };
    },
  };
}

/** Least-squares slope of RSS (MB) over time, in MB per hour, per process name; samples before `fromS` are left out (warm-up). */
export function rssGrowthMBPerHour(samples: RssSample[], fromS: number): Record<string, number | null> {
  const kept = samples.filter((s) => s.tS >= fromS);
  const names = new Set(kept.flatMap((s) => Object.keys(s.rssMB)));
  const out: Record<string, number | null> = {};
  for (const name of names) {
    const pts = kept.filter((s) => s.rssMB[name] !== undefined).map((s) => [s.tS / 3600, s.rssMB[name]!] as const);
    if (pts.length < 3) {
      out[name] = null;
      continue;
    }
    const mx = pts.reduce((a, p) => a + p[0], 0) / pts.length;
    const my = pts.reduce((a, p) => a + p[1], 0) / pts.length;
    const sxy = pts.reduce((a, p) => a + (p[0] - mx) * (p[1] - my), 0);
    const sxx = pts.reduce((a, p) => a + (p[0] - mx) ** 2, 0);
    out[name] = sxx > 0 ? Math.round((sxy / sxx) * 10) / 10 : null;
  }
  return out;
}
