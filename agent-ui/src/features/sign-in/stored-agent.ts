const STORAGE_KEY = 'earpiece.agentId';

/** The agent id chosen on this desk, kept in localStorage (storage may be disabled: then nothing is kept). */
export const storedAgent = {
  read(storage: Storage | undefined = safeLocalStorage()): string | null {
    try {
      const value = storage?.getItem(STORAGE_KEY);
      return value && value.trim() ? value : null;
    } catch {
      // Storage blocked by browser policy: behave as if nothing was stored.
      return null;
    }
  },
  write(agentId: string, storage: Storage | undefined = safeLocalStorage()): void {
    try {
      storage?.setItem(STORAGE_KEY, agentId);
    } catch {
      // Storage full or blocked: the choice lasts for this page only.
    }
  },
  clear(storage: Storage | undefined = safeLocalStorage()): void {
    try {
      storage?.removeItem(STORAGE_KEY);
    } catch {
      // Storage blocked: nothing was stored to clear.
    }
  },
};

function safeLocalStorage(): Storage | undefined {
  try {
    return typeof window === 'undefined' ? undefined : window.localStorage;
  } catch {
    return undefined;
  }
}
