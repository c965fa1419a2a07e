import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import type { AgentsReport, DemandHeat, KeywordsReport, SentimentReport, StaffingReport } from '@earpiece/assist-server/protocol';
import AnalyticsSection from './analytics-section.tsx';

afterEach(cleanup);

const NOW = Date.UTC(2026, 11, 1);
const DAY = 86_400_000;
const hours = (at: Record<number, number>) => Array.from({ length: 24 }, (_, h) => at[h] ?? 0);

// The server's answers (formats of assist-server protocol/analytics.ts), small enough to check by eye.
const demand: DemandHeat = {
  fromMs: NOW - 30 * DAY,
  toMs: NOW,
  interval: 'day',
  calls: 12,
  intents: [
    { intent: 'fraud_report', count: 8, previousCount: 2 },
    { intent: 'card_lost', count: 4, previousCount: 4 },
  ],
  byHour: { fraud_report: hours({ 9: 6, 10: 2 }), card_lost: hours({ 10: 1, 12: 3 }) },
  buckets: [],
  rising: [{ intent: 'fraud_report', count: 8, previousCount: 2, growth: 3 }],
};
const keywords: KeywordsReport = { fromMs: 0, toMs: 0, utterances: 5, keywords: [{ word: 'card', count: 9, calls: 4 }, { word: '冻结', count: 1, calls: 1 }] };
const agents: AgentsReport = {
  fromMs: 0,
  toMs: 0,
  agents: [
    { agentId: 'a9', calls: 5, meanHandleMs: 540_000, resolutionRate: 0.4, transferRate: 0.2, meanComplianceScore: 65, meanSentimentChange: -0.25, tier: 'support', score: -3 },
    { agentId: 'a1', calls: 7, meanHandleMs: 240_000, resolutionRate: 0.9, transferRate: 0, meanComplianceScore: 96, meanSentimentChange: 0.5, tier: 'top', score: 3 },
  ],
  tiers: [],
  method: { k: 2, features: [], weights: [], restarts: 10 },
};
const sentiment: SentimentReport = { fromMs: 0, toMs: 0, interval: 'day', buckets: [{ startMs: NOW - DAY, calls: 3, scored: 3, meanStart: -0.2, meanEnd: 0.3, meanChange: 0.5, improvedShare: 1 }] };
const slot = (slotStartMin: number, historyCalls: number, scheduledAgents: number) => ({ slotStartMin, historyCalls, callsPerInterval: historyCalls / 30, ahtSec: 380, erlangs: 0.42, agents: scheduledAgents, scheduledAgents, serviceLevel: 0.87, asaSec: 5, occupancy: 0.2 });
const staffing: StaffingReport = {
  fromMs: 0,
  toMs: 0,
  intervalMin: 60,
  weekday: null,
  target: { serviceLevel: 0.8, targetAnswerSec: 20, shrinkage: 0 },
  days: 30,
  slots: [slot(0, 0, 0), slot(540, 120, 2), slot(600, 60, 1)],
  peakAgents: 2,
};

function stubFetch(answers: Record<string, unknown>, status = 200) {
  const urls: string[] = [];
  const fetchImpl = (async (input: RequestInfo | URL) => {
    const url = String(input);
    urls.push(url);
    const path = url.split('?')[0]!;
    return new Response(JSON.stringify(status === 200 ? answers[path] : { code: 'X', message: 'analytics is for supervisors' }), { status, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
  return { fetchImpl, urls };
}

const ANSWERS = { '/api/analytics/demand': demand, '/api/analytics/keywords': keywords, '/api/analytics/agents': agents, '/api/analytics/sentiment': sentiment, '/api/analytics/staffing': staffing };
const names = (id: string) => ({ a1: 'Ada', a9: 'Nine' })[id] ?? id;

describe('AnalyticsSection', () => {
  it('asks for the last 30 days in the viewer offset and shows the heat table, word cloud, tiers and staffing', async () => {
    const { fetchImpl, urls } = stubFetch(ANSWERS);
    render(<AnalyticsSection agentName={names} fetchImpl={fetchImpl} now={() => NOW} tzOffsetMin={480} />);
    const heat = await screen.findByTestId('demand-heat');
    expect(urls).toHaveLength(5);
    for (const u of urls) expect(u).toContain(`from=${NOW - 30 * DAY}&to=${NOW}&tzOffsetMin=480`);
    // hours 09-12 shown (the active span), fraud_report first, cells hold the counts
    expect(within(heat).getAllByRole('columnheader').map((c) => c.textContent)).toEqual(['Intent', '09', '10', '11', '12', 'Calls']);
    const fraud = heat.querySelector('tr[data-intent="fraud_report"]')!;
    expect([...fraud.querySelectorAll('td')].map((td) => td.textContent)).toEqual(['6', '2', '', '', '8']);
    expect(screen.getByTestId('rising-topics').textContent).toBe('Rising: fraud report 2 → 8');
    // word cloud: the most frequent word is the largest
    const cloud = screen.getByTestId('word-cloud');
    expect((within(cloud).getByText('card') as HTMLElement).style.fontSize).toBe('2.4rem');
    expect((within(cloud).getByText('冻结') as HTMLElement).style.fontSize).toBe('1.33rem'); // 0.8 + 1.6 × √(1/9)
    // tiers: top first, with names
    const rows = within(screen.getByTestId('agent-tiers')).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.querySelector('th')!.textContent)).toEqual(['Ada', 'Nine']);
    expect(rows[0]!.textContent).toContain('Top');
    expect(rows[1]!.textContent).toContain('-0.25');
    // staffing: only hours with history, agents per slot
    const staffRows = within(screen.getByTestId('staffing')).getAllByRole('row').slice(1);
    expect(staffRows.map((r) => [r.querySelector('th')!.textContent, r.querySelectorAll('td')[3]!.textContent])).toEqual([
      ['09:00', '2'],
      ['10:00', '1'],
    ]);
    expect(screen.getByTestId('staffing').querySelector('h3')!.textContent).toBe('Staffing for 80/20 (peak 2 agents)');
  });

  it('asks again for another period', async () => {
    const { fetchImpl, urls } = stubFetch(ANSWERS);
    render(<AnalyticsSection agentName={names} fetchImpl={fetchImpl} now={() => NOW} tzOffsetMin={0} />);
    await screen.findByTestId('demand-heat');
    fireEvent.change(screen.getByLabelText('Analytics period'), { target: { value: '7' } });
    await screen.findByTestId('demand-heat');
    expect(urls.slice(5).every((u) => u.includes(`from=${NOW - 7 * DAY}&`))).toBe(true);
    expect(urls).toHaveLength(10);
  });

  it('says so when there are no analysed calls, and shows the server error when refused', async () => {
    const empty = stubFetch({ ...ANSWERS, '/api/analytics/demand': { ...demand, calls: 0, intents: [], byHour: {}, rising: [] } });
    render(<AnalyticsSection agentName={names} fetchImpl={empty.fetchImpl} now={() => NOW} tzOffsetMin={0} />);
    expect((await screen.findByTestId('analytics-empty')).textContent).toContain('No analysed calls in the last 30 days');
    cleanup();
    const refused = stubFetch(ANSWERS, 403);
    render(<AnalyticsSection agentName={names} fetchImpl={refused.fetchImpl} now={() => NOW} tzOffsetMin={0} />);
    expect((await screen.findByRole('alert')).textContent).toBe('Analytics unavailable: analytics is for supervisors');
  });
});
