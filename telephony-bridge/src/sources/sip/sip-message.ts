/**
 * SIP message parser and serializer (RFC 3261 §7, §18.3, §20).
 *
 * Hand-written on purpose: the npm `sip` package is unmaintained (no release since 2019), parses
 * only whole datagrams (no TCP stream framing) and throws untyped errors on malformed input. A
 * recording server sits on the edge of a call center network and must turn every malformed
 * message into a coded error: the transport answers 400 when the request can be answered (it has
 * Via, From, To, Call-ID and CSeq) and drops it otherwise.
 *
 * Handles: requests and responses, compact header names (`v`, `f`, `t`, `i`, `l`, `c`, `m`, `k`,
 * `x`...), case-insensitive names, folded (continuation) lines, several Via lines or a comma list,
 * CRLF or bare-LF line endings, leading CRLF keep-alives, a Content-Length that is wrong (longer
 * than the body → error; shorter → the body is cut, RFC 3261 §18.3), and a size limit.
 */
import { splitHeaderList } from './sip-header-values.ts';

export interface SipHeader {
  /** Lower-case long form (`via`, `call-id`, `content-length`). */
  name: string;
  value: string;
}

interface SipMessageBase {
  headers: SipHeader[];
  body: Buffer;
}
export interface SipRequest extends SipMessageBase {
  kind: 'request';
  method: string;
  uri: string;
}
export interface SipResponse extends SipMessageBase {
  kind: 'response';
  status: number;
  reason: string;
}
export type SipMessage = SipRequest | SipResponse;

export type SipParseErrorCode =
  | 'EARPIECE_SIP_BAD_START_LINE'
  | 'EARPIECE_SIP_BAD_HEADER'
  | 'EARPIECE_SIP_MISSING_HEADER'
  | 'EARPIECE_SIP_BAD_CSEQ'
  | 'EARPIECE_SIP_BAD_CONTENT_LENGTH'
  | 'EARPIECE_SIP_TRUNCATED'
  | 'EARPIECE_SIP_TOO_LARGE';

/** A malformed message. `request` holds what could be read, so a 400 can still be routed back. */
export class SipParseError extends Error {
  override readonly name = 'SipParseError';
  constructor(
    readonly code: SipParseErrorCode,
    message: string,
    readonly request?: SipRequest,
  ) {
    super(message);
  }
}

const COMPACT: Record<string, string> = {
  i: 'call-id', m: 'contact', e: 'content-encoding', l: 'content-length', c: 'content-type', f: 'from', s: 'subject',
  k: 'supported', t: 'to', v: 'via', o: 'event', r: 'refer-to', b: 'referred-by', u: 'allow-events', x: 'session-expires',
  a: 'accept-contact', j: 'reject-contact', d: 'request-disposition', y: 'identity', n: 'identity-info',
};
const DISPLAY: Record<string, string> = {
  'call-id': 'Call-ID', cseq: 'CSeq', 'www-authenticate': 'WWW-Authenticate', 'min-se': 'Min-SE', 'mime-version': 'MIME-Version',
};
const REQUIRED = ['via', 'from', 'to', 'call-id', 'cseq'];
const TOKEN = /^[A-Za-z0-9.!%*_+`'~-]+$/;

export function canonicalHeaderName(name: string): string {
  const lower = name.trim().toLowerCase();
  return COMPACT[lower] ?? lower;
}

export function displayHeaderName(name: string): string {
  return DISPLAY[name] ?? name.replace(/(^|-)([a-z])/g, (_, dash: string, ch: string) => dash + ch.toUpperCase());
}

export interface ParseOptions {
  /** Bytes a message may have; more is EARPIECE_SIP_TOO_LARGE. Default 65535. */
  maxBytes?: number;
  /** Datagram (UDP): no Content-Length means the rest of the datagram is the body. Default true. */
  datagram?: boolean;
}

/** Index just past the blank line that ends the headers, and where the blank line starts; -1 when none. */
export function findHeaderEnd(buf: Buffer, from = 0): { headerEnd: number; bodyStart: number } | undefined {
  for (let i = buf.indexOf(0x0a, from); i >= 0; i = buf.indexOf(0x0a, i + 1)) {
    let j = i + 1;
    if (buf[j] === 0x0d) j++;
    if (buf[j] === 0x0a) return { headerEnd: buf[i - 1] === 0x0d ? i - 1 : i, bodyStart: j + 1 };
  }
  return undefined;
}

/** Count of leading CR/LF bytes (keep-alives, RFC 3261 §7.5 / RFC 5626 §4.4.1). */
export function leadingBlankBytes(buf: Buffer): number {
  let i = 0;
  while (i < buf.length && (buf[i] === 0x0d || buf[i] === 0x0a)) i++;
  return i;
}

/** Parses one message; `undefined` for a keep-alive (only CR/LF bytes). Throws SipParseError. */
export function parseSipMessage(input: Buffer, options: ParseOptions = {}): SipMessage | undefined {
  const maxBytes = options.maxBytes ?? 65535;
  if (input.length > maxBytes) throw new SipParseError('EARPIECE_SIP_TOO_LARGE', `message of ${input.length} bytes is over the ${maxBytes}-byte limit`);
  const buf = input.subarray(leadingBlankBytes(input));
  if (buf.length === 0) return undefined;
  const end = findHeaderEnd(buf);
  const headText = buf.subarray(0, end ? end.headerEnd : buf.length).toString('utf8');
  const lines = headText.split(/\r?\n/);
  while (!end && lines.length > 1 && lines.at(-1) === '') lines.pop();
  const message = parseStartLine(lines[0]!);
  const partial = (): SipRequest | undefined => (message.kind === 'request' ? message : undefined);
  message.headers = parseHeaderLines(lines.slice(1), partial);
  if (!end) throw new SipParseError('EARPIECE_SIP_TRUNCATED', 'no blank line after the headers: the message is truncated', partial());
  for (const name of REQUIRED) {
    if (!message.headers.some((h) => h.name === name)) throw new SipParseError('EARPIECE_SIP_MISSING_HEADER', `missing ${displayHeaderName(name)} header`, partial());
  }
  const cseq = /^\s*(\d{1,10})\s+([A-Za-z]+)\s*$/.exec(getHeader(message, 'cseq')!);
  if (!cseq || Number(cseq[1]) > 2 ** 31 - 1 || (message.kind === 'request' && cseq[2] !== message.method)) {
    throw new SipParseError('EARPIECE_SIP_BAD_CSEQ', 'CSeq must be "<number> <method>" with the request method', partial());
  }
  const available = buf.length - end.bodyStart;
  const lengthText = getHeader(message, 'content-length');
  let bodyLength = available;
  if (lengthText !== undefined) {
    if (!/^\s*\d{1,9}\s*$/.test(lengthText)) throw new SipParseError('EARPIECE_SIP_BAD_CONTENT_LENGTH', `Content-Length "${lengthText}" is not a number`, partial());
    bodyLength = Number(lengthText);
    if (bodyLength > available) {
      throw new SipParseError('EARPIECE_SIP_BAD_CONTENT_LENGTH', `Content-Length ${bodyLength} is larger than the ${available}-byte body`, partial());
    }
  } else if (options.datagram === false) {
    bodyLength = 0;
  }
  message.body = Buffer.from(buf.subarray(end.bodyStart, end.bodyStart + bodyLength));
  return message;
}

function parseStartLine(line: string): SipMessage {
  const res = /^SIP\/2\.0 ([1-6]\d\d) ?(.*)$/.exec(line);
  if (res) return { kind: 'response', status: Number(res[1]), reason: res[2]!, headers: [], body: Buffer.alloc(0) };
  const req = /^([A-Za-z0-9.!%*_+`'~-]+) (\S+) SIP\/2\.0$/.exec(line);
  if (!req) throw new SipParseError('EARPIECE_SIP_BAD_START_LINE', 'the first line is neither "METHOD uri SIP/2.0" nor "SIP/2.0 code reason"');
  return { kind: 'request', method: req[1]!.toUpperCase(), uri: req[2]!, headers: [], body: Buffer.alloc(0) };
}

function parseHeaderLines(lines: string[], partial: () => SipRequest | undefined): SipHeader[] {
  const headers: SipHeader[] = [];
  for (const line of lines) {
    if (/^[ \t]/.test(line)) {
      const last = headers.at(-1);
      if (!last) throw new SipParseError('EARPIECE_SIP_BAD_HEADER', 'a continuation line comes before any header', partial());
      last.value = `${last.value} ${line.trim()}`.trim();
      continue;
    }
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim() : '';
    if (!TOKEN.test(name)) throw new SipParseError('EARPIECE_SIP_BAD_HEADER', `header line without a "Name:" (${JSON.stringify(line.slice(0, 40))})`, partial());
    headers.push({ name: canonicalHeaderName(name), value: line.slice(colon + 1).trim() });
  }
  return headers;
}

/** The first value of a header (by any of its names). */
export function getHeader(message: { headers: SipHeader[] }, name: string): string | undefined {
  const key = canonicalHeaderName(name);
  return message.headers.find((h) => h.name === key)?.value;
}

/** Every element of a list header (Via, Route, Supported...), across lines and commas, in order. */
export function getHeaderList(message: { headers: SipHeader[] }, name: string): string[] {
  const key = canonicalHeaderName(name);
  return message.headers.filter((h) => h.name === key).flatMap((h) => splitHeaderList(h.value));
}

/** Option tags of Require/Supported/Proxy-Require/Unsupported, lower-case. */
export function getOptionTags(message: { headers: SipHeader[] }, name: string): string[] {
  return getHeaderList(message, name).map((t) => t.trim().toLowerCase()).filter(Boolean);
}

export function serializeSipMessage(message: SipMessage): Buffer {
  const start = message.kind === 'request' ? `${message.method} ${message.uri} SIP/2.0` : `SIP/2.0 ${message.status} ${message.reason}`;
  const lines = [start];
  for (const h of message.headers) if (h.name !== 'content-length') lines.push(`${displayHeaderName(h.name)}: ${h.value}`);
  lines.push(`Content-Length: ${message.body.length}`, '', '');
  return Buffer.concat([Buffer.from(lines.join('\r\n'), 'utf8'), message.body]);
}
