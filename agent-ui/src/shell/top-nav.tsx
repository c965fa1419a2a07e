import type { MouseEvent } from 'react';
import type { Screen } from './hash-route.ts';

const LINKS: Array<{ screen: Screen; href: string; label: string }> = [
  { screen: 'desk', href: '#/', label: 'Agent desk' },
  { screen: 'review', href: '#/review', label: 'Review' },
  { screen: 'supervisor', href: '#/supervisor', label: 'Supervisor' },
  { screen: 'admin', href: '#/admin', label: 'Admin' },
];

/** The product bar: a skip link, the product name and one link per screen (current one marked). */
export function TopNav({ current }: { current: Screen }) {
  return (
    <div className="top-bar">
      <a className="skip-link" href="#main-content" onClick={skipToContent}>
        Skip to content
      </a>
      <span className="brand" aria-hidden="true">
        Earpiece
      </span>
      <nav aria-label="Screens">
        <ul className="top-nav">
          {LINKS.map((link) => (
            <li key={link.screen}>
              <a className="top-nav-link" href={link.href} aria-current={link.screen === current ? 'page' : undefined}>
                {link.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
    </div>
  );
}

// Hash routing owns the URL fragment, so the skip link moves focus itself instead of navigating.
function skipToContent(event: MouseEvent<HTMLAnchorElement>) {
  event.preventDefault();
  document.getElementById('main-content')?.focus();
}
