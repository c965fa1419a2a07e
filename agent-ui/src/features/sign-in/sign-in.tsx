import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { SignedInUser } from '@earpiece/assist-server/protocol';
import { signIn } from './auth-api.ts';

export interface SignInProps {
  onSignedIn: (user: SignedInUser) => void;
  fetchImpl?: typeof fetch;
}

/** Username and password; on success the server has set the session cookie. */
export function SignIn({ onSignedIn, fetchImpl }: SignInProps) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const userId = useId();
  const passwordId = useId();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!username.trim() || !password || busy) return;
    setBusy(true);
    setError(null);
    const result = await signIn(username.trim(), password, fetchImpl);
    setBusy(false);
    if (result.ok) onSignedIn(result.user);
    else {
      setPassword('');
      setError(result.message);
    }
  };

  return (
    <section className="sign-in" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">Sign in to Earpiece</h1>
      <form className="sign-in-form" onSubmit={submit}>
        <label htmlFor={userId}>Username</label>
        <input id={userId} className="input" value={username} maxLength={128} autoComplete="username" spellCheck={false} autoFocus onChange={(e) => setUsername(e.target.value)} />
        <label htmlFor={passwordId}>Password</label>
        <input id={passwordId} className="input" type="password" value={password} maxLength={1024} autoComplete="current-password" onChange={(e) => setPassword(e.target.value)} />
        {error && (
          <p className="notice notice-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button" disabled={busy || !username.trim() || !password}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p className="muted small">Ask your administrator for an account.</p>
      </form>
    </section>
  );
}
