/** The slice of a pino logger the bridge uses; pino's `Logger` fits it. Logs carry ids and counts, never words. */
export interface BridgeLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

const noop = (): void => {};
export const silentLogger: BridgeLogger = { debug: noop, info: noop, warn: noop, error: noop };
