import { lazy, Suspense, useEffect, useRef } from 'react';
import type { SignedInUser } from '@earpiece/assist-server/protocol';
import { AgentDesk } from './features/desk/agent-desk.tsx';
import { SignIn } from './features/sign-in/sign-in.tsx';
import { useSession } from './features/sign-in/use-session.ts';
import { useHashRoute } from './shell/hash-route.ts';
import type { Route } from './shell/hash-route.ts';
import { homeScreen, screensFor } from './shell/screen-access.ts';
import { TopNav } from './shell/top-nav.tsx';

// The desk is what agents load all day: the other screens (and their chart/audio libraries) are
// split into chunks fetched only when opened, so the desk's initial JS stays small.
const ReviewScreen = lazy(() => import('./features/review/review-screen.tsx').then((m) => ({ default: m.ReviewScreen })));
const SupervisorScreen = lazy(() => import('./features/supervisor/supervisor-screen.tsx').then((m) => ({ default: m.SupervisorScreen })));
const AdminScreen = lazy(() => import('./features/admin/admin-screen.tsx').then((m) => ({ default: m.AdminScreen })));

const TITLES: Record<Route['screen'], string> = {
  desk: 'Agent desk',
  review: 'Review',
  supervisor: 'Supervisor',
  admin: 'Admin',
};

/**
 * Sign-in, then the top bar and the screen the URL hash names (`#/`, `#/review[/id]`,
 * `#/supervisor[/id]`, `#/admin`) when the user's role may use it, else the role's home screen.
 */
export function App({ fetchImpl }: { fetchImpl?: typeof fetch } = {}) {
  const hashRoute = useHashRoute();
  const session = useSession(fetchImpl);
  const mainRef = useRef<HTMLElement>(null);
  const firstRoute = useRef(true);
  const user = session.state.kind === 'signed-in' ? session.state.user : null;
  const route: Route = !user || screensFor(user.role).includes(hashRoute.screen) ? hashRoute : homeRoute(user);
  const title = user ? TITLES[route.screen] : 'Sign in';

  useEffect(() => {
    document.title = `Earpiece · ${title}`;
    // After an in-app navigation, move focus to the new screen so keyboard and screen-reader users start there.
    if (firstRoute.current) firstRoute.current = false;
    else mainRef.current?.focus();
  }, [title]);

  return (
    <div className="app-shell">
      <TopNav current={route.screen} user={user} onSignOut={() => void session.signOut()} />
      <main id="main-content" className="app-main" ref={mainRef} tabIndex={-1} aria-label={title}>
        {session.state.kind === 'loading' && <p className="screen-loading muted">Loading…</p>}
        {session.state.kind === 'failed' && (
          <div className="notice notice-error" role="alert">
            <p>{session.state.message}</p>
            <button type="button" className="button" onClick={session.retry}>
              Try again
            </button>
          </div>
        )}
        {session.state.kind === 'signed-out' && <SignIn onSignedIn={session.signedIn} fetchImpl={fetchImpl} />}
        {user && (
          <Suspense fallback={<p className="screen-loading muted">Loading {TITLES[route.screen]}…</p>}>
            <Screen route={route} user={user} />
          </Suspense>
        )}
      </main>
    </div>
  );
}

function homeRoute(user: SignedInUser): Route {
  const screen = homeScreen(user.role);
  return screen === 'review' || screen === 'supervisor' ? { screen, callId: null } : { screen };
}

function Screen({ route, user }: { route: Route; user: SignedInUser }) {
  switch (route.screen) {
    case 'desk':
      // Keyed by user so another sign-in starts from a fresh socket and empty state.
      return <AgentDesk key={user.userId} agentId={user.userId} />;
    case 'review':
      return <ReviewScreen callId={route.callId} reviewer={user.username} />;
    case 'supervisor':
      // route.callId (#/supervisor/<callId>) is there for a read-only call view when the wall takes one.
      return <SupervisorScreen />;
    case 'admin':
      return <AdminScreen />;
  }
}
