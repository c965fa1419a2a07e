/**
 * Whether a database error may pass if the same write is tried again later: the server is down,
 * restarting or refusing connections, the connection dropped, a lock or serialization conflict, a
 * full disk (SQLite). Not: a constraint, type or syntax error, which fails the same way every time.
 */
const NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
/** SQLSTATE: admin/crash shutdown, cannot connect now, too many connections, serialization failure, deadlock. */
const PG_CODES = new Set(['57P01', '57P02', '57P03', '53300', '40001', '40P01']);
const SQLITE_CODES = /^SQLITE_(BUSY|LOCKED|FULL|IOERR)/;
const MESSAGES = /Connection terminated|connection error|timeout exceeded when trying to connect|the database system is (starting up|shutting down)/i;

export function isTransientDbError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (NODE_CODES.has(code) || PG_CODES.has(code) || code.startsWith('08') || SQLITE_CODES.test(code)) return true;
  }
  if (err instanceof AggregateError && err.errors.some(isTransientDbError)) return true; // pg connecting to localhost tries ::1 and 127.0.0.1
  return MESSAGES.test(err.message);
}
