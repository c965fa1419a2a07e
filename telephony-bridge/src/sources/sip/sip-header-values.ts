/**
 * Readers for the structured SIP header values the bridge needs: comma lists, `;param` lists,
 * Via, name-addr (From/To/Contact), SIP URIs and Content-Type. Lenient: unknown parts are kept
 * or ignored, never thrown on.
 */

/** Splits a comma list, ignoring commas inside quotes and <...>. */
export function splitHeaderList(value: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch === '\\' && quoted) i++;
    else if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === '<') depth++;
    else if (!quoted && ch === '>') depth = Math.max(0, depth - 1);
    else if (!quoted && depth === 0 && ch === ',') {
      out.push(value.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(value.slice(start).trim());
  return out.filter(Boolean);
}

/** `;a=b;c` → Map { a → 'b', c → '' } (names lower-cased, quotes removed). */
export function parseParams(text: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    const name = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
    if (!name) continue;
    params.set(name, eq < 0 ? '' : part.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1'));
  }
  return params;
}

export interface Via {
  transport: string;
  host: string;
  port: number | undefined;
  params: Map<string, string>;
}

export function parseVia(value: string): Via | undefined {
  const m = /^SIP\s*\/\s*2\.0\s*\/\s*([A-Za-z]+)\s+(\[[^\]]+\]|[^\s;:]+)(?:\s*:\s*(\d+))?\s*(;.*)?$/i.exec(value.trim());
  if (!m) return undefined;
  return { transport: m[1]!.toUpperCase(), host: m[2]!.replace(/^\[|\]$/g, ''), port: m[3] ? Number(m[3]) : undefined, params: parseParams(m[4] ?? '') };
}

export interface NameAddr {
  display: string | undefined;
  uri: string;
  params: Map<string, string>;
}

/** `"Bob" <sip:bob@x>;tag=1` or `sip:bob@x;tag=1` (params after a bare URI belong to the header). */
export function parseNameAddr(value: string): NameAddr {
  const v = value.trim();
  const lt = v.indexOf('<');
  if (lt >= 0) {
    const gt = v.indexOf('>', lt);
    const display = v.slice(0, lt).trim().replace(/^"(.*)"$/, '$1') || undefined;
    const uri = v.slice(lt + 1, gt < 0 ? undefined : gt).trim();
    return { display, uri, params: parseParams(gt < 0 ? '' : v.slice(gt + 1)) };
  }
  const semi = v.indexOf(';');
  return { display: undefined, uri: semi < 0 ? v : v.slice(0, semi), params: parseParams(semi < 0 ? '' : v.slice(semi)) };
}

export interface SipUri {
  scheme: string;
  user: string | undefined;
  host: string;
  port: number | undefined;
  params: Map<string, string>;
}

export function parseSipUri(uri: string): SipUri | undefined {
  const m = /^(sips?|tel):(?:([^@;]*)@)?(\[[^\]]+\]|[^:;?]*)(?::(\d+))?([^?]*)/i.exec(uri.trim());
  if (!m) return undefined;
  const scheme = m[1]!.toLowerCase();
  if (scheme === 'tel') return { scheme, user: safeDecode(m[3]!), host: '', port: undefined, params: parseParams(m[5] ?? '') };
  const user = m[2] === undefined ? undefined : safeDecode(m[2].split(':')[0]!);
  return { scheme, user, host: m[3]!.replace(/^\[|\]$/g, ''), port: m[4] ? Number(m[4]) : undefined, params: parseParams(m[5] ?? '') };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export interface ContentType {
  /** Lower-case `type/subtype`. */
  type: string;
  params: Map<string, string>;
}

export function parseContentType(value: string | undefined): ContentType | undefined {
  if (!value) return undefined;
  const semi = value.indexOf(';');
  const type = (semi < 0 ? value : value.slice(0, semi)).trim().toLowerCase();
  if (!/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(type)) return undefined;
  return { type, params: parseParamsQuoted(semi < 0 ? '' : value.slice(semi)) };
}

/** Like parseParams, but a quoted value may contain `;`. */
function parseParamsQuoted(text: string): Map<string, string> {
  const params = new Map<string, string>();
  const re = /;\s*([^=;\s]+)\s*(?:=\s*("(?:[^"\\]|\\.)*"|[^;]*))?/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const raw = (m[2] ?? '').trim();
    params.set(m[1]!.toLowerCase(), raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw);
  }
  return params;
}
