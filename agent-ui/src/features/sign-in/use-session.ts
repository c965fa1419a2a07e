import { useCallback, useEffect, useState } from 'react';
import type { SignedInUser } from '@earpiece/assist-server/protocol';
import { fetchMe, signOut } from './auth-api.ts';

export type SessionState = { kind: 'loading' } | { kind: 'signed-out' } | { kind: 'signed-in'; user: SignedInUser } | { kind: 'failed'; message: string };

/** Who is signed in (asked once at start from the session cookie), with sign-in and sign-out. */
export function useSession(fetchImpl?: typeof fetch) {
  const [state, setState] = useState<SessionState>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    fetchMe(fetchImpl, controller.signal).then(
      (user) => setState(user ? { kind: 'signed-in', user } : { kind: 'signed-out' }),
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ kind: 'failed', message: error instanceof Error ? error.message : 'Could not reach the assist server.' });
      },
    );
    return () => controller.abort();
  }, [fetchImpl, attempt]);

  const signedIn = useCallback((user: SignedInUser) => setState({ kind: 'signed-in', user }), []);
  const signOutNow = useCallback(async () => {
    await signOut(fetchImpl);
    setState({ kind: 'signed-out' });
  }, [fetchImpl]);
  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return { state, signedIn, signOut: signOutNow, retry };
}
