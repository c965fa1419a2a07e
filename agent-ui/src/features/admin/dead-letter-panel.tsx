/**
 * Post-call jobs that failed every attempt (`GET /api/admin/post-call/dead-letters`): which call, why,
 * when; Retry sends one back to the pipeline (`POST …/:id/retry`), which resumes after its done steps.
 */
import { useCallback, useEffect, useState } from 'react';
import type { DeadLetter } from '@earpiece/assist-server/protocol';

const BASE = '/api/admin/post-call/dead-letters';

export function DeadLetterPanel({ fetchImpl = fetch }: { fetchImpl?: typeof fetch }) {
  const [letters, setLetters] = useState<DeadLetter[] | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const res = await fetchImpl(BASE, { headers: { accept: 'application/json' } });
      if (!res.ok) throw new Error(`the server answered ${res.status}`);
      setLetters(((await res.json()) as { deadLetters: DeadLetter[] }).deadLetters);
    } catch (err) {
      setMessage(`Cannot load failed post-call jobs: ${(err as Error).message}`);
    }
  }, [fetchImpl]);

  useEffect(() => {
    void load();
  }, [load]);

  async function retry(id: string) {
    setBusy(id);
    try {
      const res = await fetchImpl(`${BASE}/${encodeURIComponent(id)}/retry`, { method: 'POST' });
      setMessage(res.ok ? `Sent ${id} back to the pipeline.` : `Retry of ${id} refused (${res.status}).`);
      await load();
    } finally {
      setBusy(null);
    }
  }

  return (
    <section className="admin-section" aria-labelledby="dead-letters-title">
      <div className="admin-section-top">
        <h2 id="dead-letters-title">Failed post-call jobs</h2>
        <button type="button" className="button button-quiet" onClick={() => void load()}>
          Refresh
        </button>
      </div>
      {message && <p role="status">{message}</p>}
      {letters === null ? (
        <p>Loading…</p>
      ) : letters.length === 0 ? (
        <p>None: every ended call went through the pipeline.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Call</th>
              <th scope="col">Failed</th>
              <th scope="col">Attempts</th>
              <th scope="col">Error</th>
              <th scope="col">
                <span className="visually-hidden">Action</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {letters.map((l) => (
              <tr key={l.id}>
                <td>{l.callId ?? l.jobName}</td>
                <td>{new Date(l.failedAtMs).toLocaleString()}</td>
                <td>{l.attemptsMade}</td>
                <td>{l.failedReason}</td>
                <td>
                  <button type="button" className="button" disabled={busy === l.id} onClick={() => void retry(l.id)} aria-label={`Retry ${l.callId ?? l.id}`}>
                    Retry
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
