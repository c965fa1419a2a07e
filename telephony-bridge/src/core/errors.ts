/** Errors raised by the bridge. Every error carries a `code` (EARPIECE_BRIDGE_* or the server's) and `retryable`. */
export class BridgeError extends Error {
  readonly code: string;
  readonly retryable: boolean;

  constructor(code: string, message: string, options: { retryable?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BridgeError';
    this.code = code;
    this.retryable = options.retryable ?? false;
  }
}
