/** Staffing forecast: Erlang C agents per hour of an average day for the service-level target. */
import type { StaffingReport } from '@earpiece/assist-server/protocol';

const hhmm = (min: number) => `${String(Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}`;

export function StaffingTable({ staffing }: { staffing: StaffingReport }) {
  const slots = staffing.slots.filter((s) => s.historyCalls > 0);
  const { target } = staffing;
  return (
    <div className="analytics-block" data-testid="staffing">
      <h3>
        Staffing for {Math.round(target.serviceLevel * 100)}/{target.targetAnswerSec} <span className="muted">(peak {staffing.peakAgents} agents)</span>
      </h3>
      {slots.length === 0 ? (
        <p className="muted">No calls in this period.</p>
      ) : (
        <div className="analytics-scroll">
          <table className="analytics-table">
            <thead>
              <tr>
                <th scope="col">From</th>
                <th scope="col">Calls</th>
                <th scope="col">AHT</th>
                <th scope="col">Erlangs</th>
                <th scope="col">Agents</th>
                <th scope="col">Service level</th>
              </tr>
            </thead>
            <tbody>
              {slots.map((s) => (
                <tr key={s.slotStartMin} data-slot={s.slotStartMin}>
                  <th scope="row">{hhmm(s.slotStartMin)}</th>
                  <td className="num">{s.callsPerInterval.toFixed(1)}</td>
                  <td className="num">{Math.round(s.ahtSec)} s</td>
                  <td className="num">{s.erlangs.toFixed(2)}</td>
                  <td className="num">{s.scheduledAgents}</td>
                  <td className="num">{Math.round(s.serviceLevel * 100)}%</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
