/**
 * RFC 7865 recording metadata (`application/rs-metadata+xml`, RFC 9806; and the older
 * `application/rs-metadata`). Reads what leg mapping needs: participants (id, nameID aor, name),
 * streams (id, label) and who sends/receives which stream, from `<participantstreamassoc>`
 * (RFC 7865 §6.8) or the older-draft style with `<send>/<recv>` inside `<participant>` and `id=`
 * attributes. Namespace prefixes (`tns:`) are ignored. Unknown elements (vendor extensions such
 * as Sonus `callData`) are skipped.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { BridgeError } from '../../core/errors.ts';

export const METADATA_CONTENT_TYPES = ['application/rs-metadata+xml', 'application/rs-metadata'];

export interface MetadataParticipant {
  id: string;
  /** `sip:1001@pbx.example.com`, `tel:+1...` as given. */
  aor: string | undefined;
  name: string | undefined;
  /** stream ids this participant's voice is on */
  send: string[];
  recv: string[];
}

export interface MetadataStream {
  id: string;
  label: string | undefined;
}

export interface RecordingMetadata {
  participants: MetadataParticipant[];
  streams: MetadataStream[];
}

type Node = Record<string, unknown>;

const ARRAYS = new Set(['participant', 'stream', 'participantstreamassoc', 'send', 'recv', 'nameID', 'aor']);
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  isArray: (name) => ARRAYS.has(name),
});

/** Parses the metadata XML. Throws EARPIECE_SIPREC_BAD_METADATA when it is not well-formed RFC 7865. */
export function parseRecordingMetadata(xml: string): RecordingMetadata {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw bad('a DOCTYPE/ENTITY declaration is not allowed in recording metadata');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw bad(`the XML is not well-formed (${valid.err.msg}, line ${valid.err.line})`);
  let doc: Node;
  try {
    doc = parser.parse(xml) as Node;
  } catch (err) {
    // The validator passes some input the parser then rejects (an unclosed <?pi inside the document).
    throw bad(`the XML cannot be read (${(err as Error).message})`);
  }
  if (!Object.hasOwn(doc, 'recording')) throw bad('the root element is not <recording>');
  const root = typeof doc['recording'] === 'object' && doc['recording'] !== null ? (doc['recording'] as Node) : {};
  const streams = list(root['stream']).map((s): MetadataStream => ({ id: attr(s, 'stream_id') ?? attr(s, 'id') ?? '', label: text(s['label']) }));
  const participants = list(root['participant']).map((p): MetadataParticipant => {
    const nameIds = list(p['nameID']);
    const aor = nameIds.map((n) => attr(n, 'aor')).find(Boolean) ?? list(p['aor']).map(text).find(Boolean) ?? text(p['aor']);
    const name = nameIds.map((n) => text(n['name'])).find(Boolean) ?? text(p['name']);
    return { id: attr(p, 'participant_id') ?? attr(p, 'id') ?? '', aor, name, send: ids(p['send']), recv: ids(p['recv']) };
  });
  for (const assoc of list(root['participantstreamassoc'])) {
    const owner = participants.find((p) => p.id === (attr(assoc, 'participant_id') ?? attr(assoc, 'id')));
    if (!owner) continue;
    owner.send.push(...ids(assoc['send']).filter((id) => !owner.send.includes(id)));
    owner.recv.push(...ids(assoc['recv']).filter((id) => !owner.recv.includes(id)));
  }
  return { participants: participants.filter((p) => p.id), streams: streams.filter((s) => s.id) };
}

function bad(message: string): BridgeError {
  return new BridgeError('EARPIECE_SIPREC_BAD_METADATA', `recording metadata: ${message}`);
}

function list(value: unknown): Node[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map((v) => (typeof v === 'object' && v !== null ? (v as Node) : { '#text': String(v) }));
}

function attr(node: Node, name: string): string | undefined {
  const v = node[`@_${name}`];
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

function text(value: unknown): string | undefined {
  if (Array.isArray(value)) return text(value[0]);
  if (typeof value === 'string') return value.trim() || undefined;
  if (typeof value === 'object' && value !== null) return text((value as Node)['#text']);
  return undefined;
}

function ids(value: unknown): string[] {
  return list(value).map(text).filter((v): v is string => !!v);
}
