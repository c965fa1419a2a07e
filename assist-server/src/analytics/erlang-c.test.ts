import assert from 'node:assert/strict';
import { test } from 'node:test';
import { agentsNeeded, averageSpeedOfAnswerSec, erlangC, serviceLevel } from './erlang-c.ts';

/*
 * Published worked example: Call Centre Helper, "Erlang C Formula – Made Simple With an Easy Worked
 * Example" (https://www.callcentrehelper.com/erlang-c-formula-example-121281.htm; text as stored in the
 * search corpus under https://huggingface.co/datasets/nvidia/Nemotron-CC-Math-v1): 100 calls per
 * 30 minutes, AHT 180 s, target 80% answered in 20 s, shrinkage 30%, max occupancy 85%.
 * 200 calls/hour × 3 min = 10 erlangs; the search starts at N = A + 1 = 11 and raises N until the
 * service level is met. Pw(11) = 68.2% (39.0% in 20 s), 12 → 64.0%, 13 → 79.6% (just short of 80%),
 * 14 → 88.8%: 14 agents at 71.4% occupancy (under the 85% cap); 14 / (1 − 0.30) → 20 scheduled.
 * (The stored excerpt confirms the inputs, A = 10 erlangs and the start at N = 11; the figures after
 * that are the formula's, as the article's steps compute them.)
 */
test('Erlang C: the Call Centre Helper worked example (100 calls / 30 min, AHT 180 s, 80/20) needs 14 agents, 20 with 30% shrinkage', () => {
  const r = agentsNeeded(100, 30 * 60, 180, { serviceLevel: 0.8, targetAnswerSec: 20, maxOccupancy: 0.85, shrinkage: 0.3 });
  assert.equal(r.erlangs, 10);
  assert.equal(r.agents, 14);
  assert.equal(r.scheduledAgents, 20);
  assert.ok(Math.abs(r.serviceLevel - 0.888) < 5e-4, `service level ${r.serviceLevel}`);
  assert.ok(Math.abs(r.occupancy - 10 / 14) < 1e-12);
  // the steps on the way: N = 11, 12, 13 miss 80% in 20 s
  assert.ok(Math.abs(erlangC(10, 11) - 0.6821) < 5e-4, `Pw(11) ${erlangC(10, 11)}`);
  assert.ok(Math.abs(serviceLevel(10, 11, 20, 180) - 0.390) < 5e-4);
  assert.ok(Math.abs(serviceLevel(10, 12, 20, 180) - 0.640) < 5e-4);
  assert.ok(Math.abs(serviceLevel(10, 13, 20, 180) - 0.796) < 5e-4);
});

test('Erlang C: closed forms for one and two agents', () => {
  // M/M/1: P(wait) = ρ; M/M/2 with A = 1: C = A²/(2 + A) ... = 1/3 (B(2,1) = 1/5, C = 2·(1/5)/(2 − 4/5))
  assert.ok(Math.abs(erlangC(0.5, 1) - 0.5) < 1e-12);
  assert.ok(Math.abs(erlangC(1, 2) - 1 / 3) < 1e-12);
  // M/M/1 ASA = ρ·AHT/(1 − ρ)
  assert.ok(Math.abs(averageSpeedOfAnswerSec(0.5, 1, 100) - 100) < 1e-9);
  assert.equal(erlangC(5, 5), 1, 'overloaded: everyone waits');
  assert.equal(serviceLevel(5, 4, 20, 180), 0);
});

test('Erlang C: no calls need no agents; large centres stay finite', () => {
  assert.equal(agentsNeeded(0, 1800, 180, { serviceLevel: 0.8, targetAnswerSec: 20 }).agents, 0);
  const big = agentsNeeded(3000, 1800, 300, { serviceLevel: 0.9, targetAnswerSec: 15 });
  assert.ok(big.agents > big.erlangs && big.agents < big.erlangs * 1.2, JSON.stringify(big));
  assert.ok(Number.isFinite(big.probabilityWait) && big.serviceLevel >= 0.9);
});
