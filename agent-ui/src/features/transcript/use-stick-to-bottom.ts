import { useCallback, useLayoutEffect, useRef, useState } from 'react';

/** How close (px) to the bottom still counts as "following the live end". */
export const STICK_THRESHOLD_PX = 48;

/**
 * Keeps a scroll container pinned to its newest content while the user is at the bottom, and
 * leaves it alone once they scroll up to read back. `contentKey` changes whenever content changes.
 */
export function useStickToBottom<T extends HTMLElement>(contentKey: unknown) {
  const ref = useRef<T>(null);
  const pinnedRef = useRef(true);
  const [pinned, setPinned] = useState(true);

  const onScroll = useCallback(() => {
    const el = ref.current;
    if (!el) return;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight <= STICK_THRESHOLD_PX;
    pinnedRef.current = atBottom;
    setPinned(atBottom);
  }, []);

  useLayoutEffect(() => {
    const el = ref.current;
    if (el && pinnedRef.current) el.scrollTop = el.scrollHeight;
  }, [contentKey]);

  const jumpToLatest = useCallback(() => {
    const el = ref.current;
    pinnedRef.current = true;
    setPinned(true);
    if (el) el.scrollTop = el.scrollHeight;
  }, []);

  return { ref, onScroll, pinned, jumpToLatest };
}
