/** Demand heat: customer intents × local hour of day, shaded by count; rising topics under it. */
import type { DemandHeat } from '@earpiece/assist-server/protocol';
import { heatBackground, heatLevel } from './heat-scale.ts';

const MAX_ROWS = 8;

export function DemandHeatTable({ demand }: { demand: DemandHeat }) {
  const rows = demand.intents.slice(0, MAX_ROWS);
  const hours = new Array<number>(24).fill(0);
  for (const r of rows) demand.byHour[r.intent]?.forEach((n, h) => (hours[h]! += n));
  const active = hours.map((n, h) => (n > 0 ? h : -1)).filter((h) => h >= 0);
  const first = active[0] ?? 0;
  const last = active[active.length - 1] ?? 23;
  const shown = Array.from({ length: last - first + 1 }, (_, i) => first + i);
  const max = Math.max(0, ...rows.flatMap((r) => demand.byHour[r.intent] ?? []));
  return (
    <div className="analytics-block" data-testid="demand-heat">
      <h3>Demand by hour</h3>
      {rows.length === 0 ? (
        <p className="muted">No calls in this period.</p>
      ) : (
        <div className="analytics-scroll">
          <table className="heat-table">
            <thead>
              <tr>
                <th scope="col">Intent</th>
                {shown.map((h) => (
                  <th key={h} scope="col" className="heat-hour">
                    {String(h).padStart(2, '0')}
                  </th>
                ))}
                <th scope="col">Calls</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.intent} data-intent={r.intent}>
                  <th scope="row">{r.intent.replaceAll('_', ' ')}</th>
                  {shown.map((h) => {
                    const n = demand.byHour[r.intent]?.[h] ?? 0;
                    return (
                      <td key={h} className="heat-cell" style={{ background: heatBackground(heatLevel(n, max)) }} title={`${r.intent} ${String(h).padStart(2, '0')}:00 · ${n}`}>
                        {n || ''}
                      </td>
                    );
                  })}
                  <td className="num">{r.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {demand.rising.length > 0 && (
        <p className="rising" data-testid="rising-topics">
          Rising:{' '}
          {demand.rising.slice(0, 5).map((r, i) => (
            <span key={r.intent}>
              {i > 0 && ', '}
              <strong>{r.intent.replaceAll('_', ' ')}</strong> {r.previousCount} → {r.count}
            </span>
          ))}
        </p>
      )}
    </div>
  );
}
