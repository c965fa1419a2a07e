/**
 * Cuts a SIP byte stream (TCP) into messages by Content-Length (RFC 3261 §18.3: on a stream a
 * missing Content-Length means an empty body). Leading CR/LF keep-alives are skipped. A header
 * section or body over the size limit, or a Content-Length that is not a number, cannot be
 * framed: the framer reports a fatal error and the connection has to be closed.
 */
import { findHeaderEnd, leadingBlankBytes } from './sip-message.ts';

export class SipFramingError extends Error {
  override readonly name = 'SipFramingError';
  constructor(
    readonly code: 'EARPIECE_SIP_TOO_LARGE' | 'EARPIECE_SIP_BAD_CONTENT_LENGTH',
    message: string,
    /** The header section, when it was complete (lets the transport answer 400/513 before closing). */
    readonly head?: Buffer,
  ) {
    super(message);
  }
}

export class SipStreamFramer {
  #buf: Buffer = Buffer.alloc(0);
  #failed = false;

  constructor(private readonly maxBytes = 65535) {}

  /** Adds bytes; returns every complete message. Throws SipFramingError when the stream cannot be framed. */
  push(chunk: Buffer): Buffer[] {
    if (this.#failed) return [];
    this.#buf = this.#buf.length === 0 ? chunk : Buffer.concat([this.#buf, chunk]);
    const out: Buffer[] = [];
    for (;;) {
      const skip = leadingBlankBytes(this.#buf);
      if (skip > 0) this.#buf = this.#buf.subarray(skip);
      if (this.#buf.length === 0) break;
      const end = findHeaderEnd(this.#buf);
      if (!end) {
        if (this.#buf.length > this.maxBytes) this.#fail('EARPIECE_SIP_TOO_LARGE', `header section over ${this.maxBytes} bytes`);
        break;
      }
      const head = this.#buf.subarray(0, end.headerEnd);
      const length = contentLength(head.toString('latin1'));
      if (length === undefined) this.#fail('EARPIECE_SIP_BAD_CONTENT_LENGTH', 'Content-Length is not a number: the stream cannot be framed', head);
      if (end.bodyStart + length! > this.maxBytes) this.#fail('EARPIECE_SIP_TOO_LARGE', `message of ${end.bodyStart + length!} bytes is over the ${this.maxBytes}-byte limit`, head);
      if (this.#buf.length < end.bodyStart + length!) break;
      out.push(Buffer.from(this.#buf.subarray(0, end.bodyStart + length!)));
      this.#buf = this.#buf.subarray(end.bodyStart + length!);
    }
    return out;
  }

  #fail(code: SipFramingError['code'], message: string, head?: Buffer): never {
    this.#failed = true;
    this.#buf = Buffer.alloc(0);
    throw new SipFramingError(code, message, head === undefined ? undefined : Buffer.from(head));
  }
}

/** Content-Length of a header section (compact `l:` too); 0 when absent; undefined when invalid. */
function contentLength(head: string): number | undefined {
  const m = /(?:^|\n)(?:content-length|l)[ \t]*:[ \t]*([^\r\n]*)/i.exec(head);
  if (!m) return 0;
  return /^\d{1,9}\s*$/.test(m[1]!) ? Number(m[1]) : undefined;
}
