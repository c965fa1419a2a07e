/**
 * Keyboard shortcuts of the agent desk, one table for the handlers, the `aria-keyshortcuts`
 * attributes and the visible help. Alt+letter/digit by physical key (`event.code`), so they work on
 * any keyboard layout. Alt+D is left alone: browsers use it for the address bar.
 */
export type DeskShortcut =
  | { kind: 'use'; index: number }
  | { kind: 'copy'; index: number }
  | { kind: 'dismiss' }
  | { kind: 'article' }
  | { kind: 'summary' };

/** How many suggestions have number shortcuts. */
export const NUMBERED_SUGGESTIONS = 3;

export const SHORTCUT_KEYS = {
  use: (n: number) => `Alt+${n}`,
  copy: (n: number) => `Alt+Shift+${n}`,
  dismiss: 'Alt+X',
  article: 'Alt+O',
  summary: 'Alt+S',
} as const;

export const SHORTCUT_HELP: Array<{ keys: string; does: string }> = [
  { keys: `Alt+1 … Alt+${NUMBERED_SUGGESTIONS}`, does: 'Mark suggested answer 1–3 as used' },
  { keys: `Alt+Shift+1 … Alt+Shift+${NUMBERED_SUGGESTIONS}`, does: 'Copy suggested answer 1–3' },
  { keys: SHORTCUT_KEYS.dismiss, does: 'Dismiss the top suggested answer' },
  { keys: SHORTCUT_KEYS.article, does: 'Show or hide the top suggestion’s article' },
  { keys: SHORTCUT_KEYS.summary, does: 'Open the summary for transfer' },
];

type KeyLike = Pick<KeyboardEvent, 'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'code' | 'target'>;

function isEditable(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || typeof el.tagName !== 'string') return false;
  return el.isContentEditable || el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT';
}

/** The shortcut a keydown means, or null. Ignores typing in fields and Ctrl/Meta chords. */
export function deskShortcut(event: KeyLike): DeskShortcut | null {
  if (!event.altKey || event.ctrlKey || event.metaKey || isEditable(event.target)) return null;
  const digit = /^(?:Digit|Numpad)([1-9])$/.exec(event.code);
  if (digit) {
    const index = Number(digit[1]) - 1;
    if (index >= NUMBERED_SUGGESTIONS) return null;
    return event.shiftKey ? { kind: 'copy', index } : { kind: 'use', index };
  }
  if (event.shiftKey) return null;
  if (event.code === 'KeyX') return { kind: 'dismiss' };
  if (event.code === 'KeyO') return { kind: 'article' };
  if (event.code === 'KeyS') return { kind: 'summary' };
  return null;
}
