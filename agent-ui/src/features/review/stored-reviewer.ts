import { useCallback, useState } from 'react';

const STORAGE_KEY = 'earpiece.reviewer';

function storage(): Storage | undefined {
  try {
    return typeof window === 'undefined' ? undefined : window.localStorage;
  } catch {
    return undefined;
  }
}

/**
 * Who is reviewing, as typed on this browser (kept in localStorage). Taken on trust until sign-in
 * exists (issue 8); the server records it in the audit log.
 */
export function useStoredReviewer(): [string, (name: string) => void] {
  const [name, setName] = useState<string>(() => {
    try {
      return storage()?.getItem(STORAGE_KEY)?.trim() ?? '';
    } catch {
      return '';
    }
  });
  const save = useCallback((next: string) => {
    const trimmed = next.trim();
    setName(trimmed);
    try {
      if (trimmed) storage()?.setItem(STORAGE_KEY, trimmed);
      else storage()?.removeItem(STORAGE_KEY);
    } catch {
      // Storage blocked: the name lasts for this page only.
    }
  }, []);
  return [name, save];
}
