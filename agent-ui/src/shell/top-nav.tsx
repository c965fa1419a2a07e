import type { MouseEvent } from 'react';
import type { SignedInUser } from '@earpiece/assist-server/protocol';
import type { Screen } from './hash-route.ts';
import { screensFor } from './screen-access.ts';

const LINKS: Array<{ screen: Screen; href: string; label: string }> = [
  { screen: 'desk', href: '#/', label: 'Agent desk' },
  { screen: 'review', href: '#/review', label: 'Review' },
  { screen: 'supervisor', href: '#/supervisor', label: 'Supervisor' },
  { screen: 'admin', href: '#/admin', label: 'Admin' },
];

export interface TopNavProps {
  current: Screen;
  /** Signed in: links to the screens the role may use, who is signed in and sign-out. */
  user?: SignedInUser | null;
  onSignOut?: () => void;
}

/** The product bar: a skip link, the product name, one link per screen the user may use (current one marked), sign-out. */
export function TopNav({ current, user, onSignOut }: TopNavProps) {
  const allowed = user ? screensFor(user.role) : [];
  const links = LINKS.filter((l) => allowed.includes(l.screen));
  return (
    <div className="top-bar">
      <a className="skip-link" href="#main-content" onClick={skipToContent}>
        Skip to content
      </a>
      <span className="brand" aria-hidden="true">
        Earpiece
      </span>
      {links.length > 1 && (
        <nav aria-label="Screens">
          <ul className="top-nav">
            {links.map((link) => (
              <li key={link.screen}>
                <a className="top-nav-link" href={link.href} aria-current={link.screen === current ? 'page' : undefined}>
                  {link.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      )}
      {user && (
        <div className="signed-in-as">
          <span>
            Signed in as <strong data-testid="signed-in-user">{user.displayName}</strong> <span className="signed-in-role">({user.role})</span>
          </span>
          <button type="button" className="button button-quiet" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      )}
    </div>
  );
}

// Hash routing owns the URL fragment, so the skip link moves focus itself instead of navigating.
function skipToContent(event: MouseEvent<HTMLAnchorElement>) {
  event.preventDefault();
  document.getElementById('main-content')?.focus();
}
