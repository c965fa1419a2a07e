import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { AgentDesk } from './features/desk/agent-desk.tsx';
import { SignIn } from './features/sign-in/sign-in.tsx';
import { storedAgent } from './features/sign-in/stored-agent.ts';
import { useHashRoute } from './shell/hash-route.ts';
import type { Route } from './shell/hash-route.ts';
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

/** The top bar and the screen the URL hash names (`#/`, `#/review[/id]`, `#/supervisor[/id]`, `#/admin`). */
export function App() {
  const route = useHashRoute();
  const mainRef = useRef<HTMLElement>(null);
  const firstRoute = useRef(true);

  useEffect(() => {
    document.title = `Earpiece · ${TITLES[route.screen]}`;
    // After an in-app navigation, move focus to the new screen so keyboard and screen-reader users start there.
    if (firstRoute.current) firstRoute.current = false;
    else mainRef.current?.focus();
  }, [route.screen]);

  return (
    <div className="app-shell">
      <TopNav current={route.screen} />
      <main id="main-content" className="app-main" ref={mainRef} tabIndex={-1} aria-label={TITLES[route.screen]}>
        <Suspense fallback={<p className="screen-loading muted">Loading {TITLES[route.screen]}…</p>}>
          <Screen route={route} />
        </Suspense>
      </main>
    </div>
  );
}

function Screen({ route }: { route: Route }) {
  switch (route.screen) {
    case 'desk':
      return <DeskWithSignIn />;
    case 'review':
      return <ReviewScreen callId={route.callId} />;
    case 'supervisor':
      // route.callId (#/supervisor/<callId>) is there for a read-only call view when the wall takes one.
      return <SupervisorScreen />;
    case 'admin':
      return <AdminScreen />;
  }
}

/** Sign-in until an agent is chosen, then that agent's live desk. */
function DeskWithSignIn() {
  const [agentId, setAgentId] = useState<string | null>(() => storedAgent.read());

  const signIn = useCallback((id: string) => {
    storedAgent.write(id);
    setAgentId(id);
  }, []);
  const switchAgent = useCallback(() => {
    storedAgent.clear();
    setAgentId(null);
  }, []);

  if (agentId === null) return <SignIn onSignIn={signIn} />;
  // Keyed by agent so a switch starts from a fresh socket and empty state.
  return <AgentDesk key={agentId} agentId={agentId} onSwitchAgent={switchAgent} />;
}
