/** Builds responses to a request (RFC 3261 §8.2.6) and the random tokens SIP needs. */
import { randomBytes } from 'node:crypto';
import { getHeader, type SipHeader, type SipRequest, type SipResponse } from './sip-message.ts';
import { parseNameAddr } from './sip-header-values.ts';

export const REASONS: Record<number, string> = {
  100: 'Trying', 180: 'Ringing', 200: 'OK', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found',
  405: 'Method Not Allowed', 415: 'Unsupported Media Type', 420: 'Bad Extension', 422: 'Session Interval Too Small',
  480: 'Temporarily Unavailable', 481: 'Call/Transaction Does Not Exist', 486: 'Busy Here', 487: 'Request Terminated',
  488: 'Not Acceptable Here', 491: 'Request Pending', 500: 'Server Internal Error', 501: 'Not Implemented',
  503: 'Service Unavailable', 513: 'Message Too Large',
};

export const SERVER_NAME = 'Earpiece-Bridge';

export function randomToken(bytes = 8): string {
  return randomBytes(bytes).toString('hex');
}

/** A Via branch with the RFC 3261 magic cookie. */
export function newBranch(): string {
  return `z9hG4bK${randomToken(10)}`;
}

export interface ResponseOptions {
  /** Added to To when the request's To has no tag (every final response that creates or lives in a dialog). */
  toTag?: string | undefined;
  headers?: Array<[string, string]>;
  body?: Buffer | string;
  contentType?: string;
  reason?: string;
}

export function buildResponse(request: SipRequest, status: number, options: ResponseOptions = {}): SipResponse {
  const headers: SipHeader[] = [];
  for (const h of request.headers) {
    if (h.name === 'via' || h.name === 'from' || h.name === 'call-id' || h.name === 'cseq') headers.push({ ...h });
    if (h.name === 'record-route' && status > 100 && status < 300) headers.push({ ...h });
  }
  let to = getHeader(request, 'to') ?? '';
  if (options.toTag && status > 100 && !parseNameAddr(to).params.has('tag')) to = `${to};tag=${options.toTag}`;
  headers.splice(headers.findIndex((h) => h.name === 'call-id'), 0, { name: 'to', value: to });
  headers.push({ name: 'server', value: SERVER_NAME });
  for (const [name, value] of options.headers ?? []) headers.push({ name: name.toLowerCase(), value });
  const body = options.body === undefined ? Buffer.alloc(0) : Buffer.from(options.body);
  if (body.length > 0) headers.push({ name: 'content-type', value: options.contentType ?? 'application/sdp' });
  return { kind: 'response', status, reason: options.reason ?? REASONS[status] ?? 'Unknown', headers, body };
}
