/**
 * Sign-in REST calls (assist-server routes/auth-routes.ts). The session lives in an HttpOnly,
 * SameSite=Strict cookie the page never reads: same-origin fetches and WebSockets carry it.
 */
import { AUTH_ME_PATH, AUTH_SIGN_IN_PATH, AUTH_SIGN_OUT_PATH, type SignedInUser } from '@earpiece/assist-server/protocol';

export type SignInResult = { ok: true; user: SignedInUser } | { ok: false; message: string };

/** The signed-in user, or null when there is no session (401). Throws when the server cannot be reached. */
export async function fetchMe(fetchImpl: typeof fetch = fetch, signal?: AbortSignal): Promise<SignedInUser | null> {
  const response = await fetchImpl(AUTH_ME_PATH, { headers: { accept: 'application/json' }, signal: signal ?? null });
  if (response.status === 401) return null;
  if (!response.ok) throw new Error(`GET ${AUTH_ME_PATH} answered ${response.status}; check the assist server logs.`);
  return ((await response.json()) as { user: SignedInUser }).user;
}

export async function signIn(username: string, password: string, fetchImpl: typeof fetch = fetch): Promise<SignInResult> {
  let response: Response;
  try {
    response = await fetchImpl(AUTH_SIGN_IN_PATH, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify({ username, password }) });
  } catch {
    return { ok: false, message: 'Could not reach the assist server; check that it is running.' };
  }
  if (response.status === 401) return { ok: false, message: 'Wrong username or password.' };
  if (!response.ok) return { ok: false, message: `Sign-in failed (${response.status}); try again.` };
  return { ok: true, user: ((await response.json()) as { user: SignedInUser }).user };
}

export async function signOut(fetchImpl: typeof fetch = fetch): Promise<void> {
  await fetchImpl(AUTH_SIGN_OUT_PATH, { method: 'POST' }).catch(() => undefined);
}
