/**
 * multipart/mixed bodies (RFC 2046 §5.1) as SIPREC clients send them: SDP plus recording
 * metadata. Accepts CRLF or bare-LF line endings, a quoted boundary, a preamble and epilogue,
 * a missing close delimiter, and parts with no headers (typed text/plain per RFC 2046).
 */
import { BridgeError } from '../../core/errors.ts';
import { parseContentType } from '../sip/sip-header-values.ts';

export interface BodyPart {
  /** Lower-case header name → value. */
  headers: Map<string, string>;
  /** Lower-case `type/subtype`. */
  contentType: string;
  body: Buffer;
}

/** Splits a multipart body. Throws EARPIECE_SIP_BAD_MULTIPART when the boundary never appears. */
export function parseMultipart(body: Buffer, boundary: string): BodyPart[] {
  if (!boundary || boundary.length > 200) throw new BridgeError('EARPIECE_SIP_BAD_MULTIPART', 'multipart Content-Type has no usable boundary parameter');
  const text = body.toString('latin1');
  const delimiter = `--${boundary}`;
  const parts: BodyPart[] = [];
  // A delimiter line starts the body or follows a line break; the break before it belongs to it.
  const re = new RegExp(`(?:^|\\r?\\n)${escapeRegExp(delimiter)}(--)?[ \\t]*(?=\\r?\\n|$)`, 'g');
  let previousEnd = -1;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (previousEnd >= 0) parts.push(parsePart(body.subarray(previousEnd, m.index)));
    if (m[1] === '--') {
      previousEnd = -1;
      break;
    }
    const after = m.index + m[0].length;
    previousEnd = text.startsWith('\r\n', after) ? after + 2 : text.startsWith('\n', after) ? after + 1 : after;
  }
  if (previousEnd >= 0 && previousEnd < body.length) parts.push(parsePart(body.subarray(previousEnd)));
  if (parts.length === 0) throw new BridgeError('EARPIECE_SIP_BAD_MULTIPART', `multipart body has no part delimited by "${delimiter}"`);
  return parts;
}

function parsePart(raw: Buffer): BodyPart {
  const text = raw.toString('latin1');
  const headers = new Map<string, string>();
  let bodyStart = 0;
  const blank = /\r?\n\r?\n/.exec(text);
  const startsBlank = /^\r?\n/.exec(text);
  if (startsBlank) {
    bodyStart = startsBlank[0].length;
  } else if (blank && /^[A-Za-z0-9-]+[ \t]*:/.test(text)) {
    const lines = text.slice(0, blank.index).split(/\r?\n/);
    let last = '';
    for (const line of lines) {
      if (/^[ \t]/.test(line) && last) headers.set(last, `${headers.get(last)} ${line.trim()}`);
      else {
        const colon = line.indexOf(':');
        if (colon <= 0) continue;
        last = line.slice(0, colon).trim().toLowerCase();
        headers.set(last, line.slice(colon + 1).trim());
      }
    }
    bodyStart = blank.index + blank[0].length;
  }
  const contentType = parseContentType(headers.get('content-type'))?.type ?? 'text/plain';
  return { headers, contentType, body: Buffer.from(raw.subarray(bodyStart)) };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
