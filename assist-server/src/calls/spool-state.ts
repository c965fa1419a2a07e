/**
 * What survives a restart of assist-server for a live call's leg: the spool (settled audio) and a
 * small sidecar saying which frame seq that audio reaches. The server acknowledges a frame to the
 * bridge only once its audio is settled in the spool, so after a crash the bridge still holds
 * (and resends) everything the spool lacks: nothing is lost.
 */
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LegRole } from '../protocol/index.ts';

export interface LegSpoolState {
  /** Highest frame seq whose audio is entirely in the spool; -1 when none. */
  durableSeq: number;
  /** Samples in the spool file. */
  settledSamples: number;
}

export function spoolPaths(spoolDir: string, role: LegRole): { pcm: string; state: string } {
  return { pcm: join(spoolDir, `${role}.pcm`), state: join(spoolDir, `${role}.json`) };
}

/** Reads a leg's spool state after a restart; undefined when the leg was never spooled. */
export function readLegSpoolState(spoolDir: string, role: LegRole): LegSpoolState | undefined {
  const paths = spoolPaths(spoolDir, role);
  if (!existsSync(paths.state)) return undefined;
  try {
    const state = JSON.parse(readFileSync(paths.state, 'utf8')) as LegSpoolState;
    // The sidecar is written after the audio, so the spool holds at least what it says; trust the file for the sample count.
    const settledSamples = existsSync(paths.pcm) ? Math.floor(statSync(paths.pcm).size / 2) : 0;
    return { durableSeq: Number.isInteger(state.durableSeq) ? state.durableSeq : -1, settledSamples };
  } catch {
    return undefined; // a torn sidecar: treat the leg as new; the bridge resends from seq 0 and the recorder skips audio it already has
  }
}

export function writeLegSpoolState(spoolDir: string, role: LegRole, state: LegSpoolState): void {
  const { state: path } = spoolPaths(spoolDir, role);
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, JSON.stringify(state));
  renameSync(tmp, path);
}
