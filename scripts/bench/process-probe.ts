/**
 * What every benchmark measures of its own process over a run: wall time, CPU seconds (all
 * threads, so the libuv pool's recognition work counts), peak RSS (sampled every 250 ms) and the
 * event loop's delay (perf_hooks, 1 ms resolution).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface ProcessProbeResult {
  wallS: number;
  cpuS: number;
  rssMaxMB: number;
  /** ms */
  eventLoopDelay: { p50: number; p99: number; max: number };
}

export function startProcessProbe(): { stop(): ProcessProbeResult } {
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  let maxRss = process.memoryUsage().rss;
  const rssTimer = setInterval(() => (maxRss = Math.max(maxRss, process.memoryUsage().rss)), 250);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  return {
    stop() {
      const wallS = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      clearInterval(rssTimer);
      loop.disable();
      const ms = (ns: number) => Math.round(ns / 1e5) / 10;
      return {
        wallS,
        cpuS: (cpu.user + cpu.system) / 1e6,
        rssMaxMB: Math.round(Math.max(maxRss, process.memoryUsage().rss) / 1e6),
        eventLoopDelay: { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max) },
      };
    },
  };
}
