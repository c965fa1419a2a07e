/**
 * Erlang C (M/M/N queue: Poisson arrivals, exponential handle times, callers wait, nobody abandons):
 * probability a call waits, service level (share answered within a target wait), average speed of
 * answer, and the fewest agents that meet a service-level target. Erlang B by its recurrence
 * (B(0) = 1, B(n) = A·B(n−1) / (n + A·B(n−1))) then C = N·B / (N − A·(1 − B)): no factorials or powers,
 * so it stays exact for hundreds of agents.
 */

/** Probability that an arriving call has to wait, for `agents` serving `erlangs` of traffic (1 when overloaded). */
export function erlangC(erlangs: number, agents: number): number {
  if (erlangs <= 0) return 0;
  if (agents <= erlangs) return 1;
  let b = 1;
  for (let n = 1; n <= agents; n++) b = (erlangs * b) / (n + erlangs * b);
  return (agents * b) / (agents - erlangs * (1 - b));
}

/** Share of calls answered within `targetAnswerSec`: 1 − C·e^(−(N − A)·t / AHT). */
export function serviceLevel(erlangs: number, agents: number, targetAnswerSec: number, ahtSec: number): number {
  if (erlangs <= 0) return 1;
  if (agents <= erlangs) return 0;
  return 1 - erlangC(erlangs, agents) * Math.exp((-(agents - erlangs) * targetAnswerSec) / ahtSec);
}

/** Average speed of answer in seconds: C·AHT / (N − A). */
export function averageSpeedOfAnswerSec(erlangs: number, agents: number, ahtSec: number): number {
  if (erlangs <= 0) return 0;
  if (agents <= erlangs) return Infinity;
  return (erlangC(erlangs, agents) * ahtSec) / (agents - erlangs);
}

export interface StaffingTarget {
  /** e.g. 0.8 for 80% … */
  serviceLevel: number;
  /** … answered within this many seconds (20). */
  targetAnswerSec: number;
  /** Optional ceiling on occupancy A/N (e.g. 0.85); undefined: none. */
  maxOccupancy?: number | undefined;
  /** Share of paid time agents are not available (breaks, training), 0..<1; scheduled = ceil(N / (1 − shrinkage)). */
  shrinkage?: number | undefined;
}

export interface StaffingResult {
  /** Traffic intensity A = calls per second × AHT (erlangs). */
  erlangs: number;
  /** Agents answering calls (Erlang C). */
  agents: number;
  /** Agents to schedule once shrinkage is added. */
  scheduledAgents: number;
  serviceLevel: number;
  probabilityWait: number;
  asaSec: number;
  occupancy: number;
}

/** The fewest agents meeting the target for `calls` arriving over `intervalSec` with mean handle time `ahtSec`. */
export function agentsNeeded(calls: number, intervalSec: number, ahtSec: number, target: StaffingTarget): StaffingResult {
  const erlangs = calls > 0 && ahtSec > 0 ? (calls / intervalSec) * ahtSec : 0;
  if (erlangs === 0) return { erlangs: 0, agents: 0, scheduledAgents: 0, serviceLevel: 1, probabilityWait: 0, asaSec: 0, occupancy: 0 };
  let agents = Math.floor(erlangs) + 1;
  const meets = (n: number) =>
    serviceLevel(erlangs, n, target.targetAnswerSec, ahtSec) >= target.serviceLevel && (target.maxOccupancy === undefined || erlangs / n <= target.maxOccupancy);
  while (!meets(agents)) agents++;
  const shrinkage = target.shrinkage ?? 0;
  return {
    erlangs,
    agents,
    scheduledAgents: Math.ceil(agents / (1 - shrinkage) - 1e-9),
    serviceLevel: serviceLevel(erlangs, agents, target.targetAnswerSec, ahtSec),
    probabilityWait: erlangC(erlangs, agents),
    asaSec: averageSpeedOfAnswerSec(erlangs, agents, ahtSec),
    occupancy: erlangs / agents,
  };
}
