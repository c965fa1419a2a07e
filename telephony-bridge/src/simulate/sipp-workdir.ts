/**
 * The scratch directory of a SIPp-driven simulation: scenario XML and one pcap per leg and audio
 * file (µ-law, 20 ms RTP packets, for play_pcap_audio). Kept (and logged) when calls failed, so
 * the SIPp logs can be read; removed otherwise.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LegRole } from '@earpiece/assist-server/protocol';
import type { BridgeLogger } from '../core/logger.ts';
import { g711RtpPackets, writeRtpPcap } from '../sources/sip/rtp-test-packets.ts';
import type { SimulationAudio } from './simulation-audio.ts';

export class SippWorkdir {
  readonly path = mkdtempSync(join(tmpdir(), 'earpiece-simulate-'));

  file(name: string, content: string): string {
    writeFileSync(join(this.path, name), content);
    return name;
  }

  /** Writes `<prefix>-<role>.pcap` of one leg; returns its name and how long it plays (ms). */
  pcap(prefix: string, audio: SimulationAudio, role: LegRole, ssrc: number): { name: string; ms: number } {
    const pcm = audio.leg(role, 8000)!;
    const packets = g711RtpPackets(pcm, { pt: 0, ssrc, firstSeq: ssrc & 0x7fff, firstTimestamp: (ssrc * 160) >>> 0 });
    const name = `${prefix}-${role}.pcap`;
    writeRtpPcap(join(this.path, name), packets);
    return { name, ms: packets.length * 20 };
  }

  finish(failed: boolean, logger: BridgeLogger): void {
    if (failed) logger.warn({ dir: this.path }, 'some simulated calls failed: SIPp scenario, pcaps and logs kept here');
    else rmSync(this.path, { recursive: true, force: true });
  }
}

/** Files → which calls play them: call i takes file i mod n; its SIPp call number in that file's batch is floor(i / n) + 1. */
export function batchesByFile(calls: number, files: number): Array<{ file: number; indexes: number[] }> {
  const out = Array.from({ length: Math.min(files, calls) }, (_, file) => ({ file, indexes: [] as number[] }));
  for (let i = 0; i < calls; i++) out[i % files]!.indexes.push(i);
  return out;
}
