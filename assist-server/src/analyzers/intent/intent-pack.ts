/**
 * Domain packs: the labelled utterances an intent model is trained (and evaluated) on.
 *
 * A pack is one of:
 * - `*.csv`: header row, then `text,label` rows (text column first, label second; BANKING77's own
 *   `text,category` file works as is);
 * - `*.yaml` / `*.yml`: `intents: [{ name, examples: [text, …] }, …]`;
 * - `pack.json`: a name and lists of sources for `train` (and optionally `eval`): CSV/YAML files
 *   (relative to the pack), or data assets from models/manifest.json, e.g. CLINC150 lists.
 *
 * The label `oos` means out of scope: utterances the site does not handle.
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, resolve } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';
import { CsvError, parseCsv } from './csv-table.ts';

export const OOS_LABEL = 'oos';

export interface Utterance {
  text: string;
  label: string;
  /** Which file or asset list it came from (for per-source scores). */
  source?: string;
}

export interface IntentPack {
  name: string;
  description: string;
  train: Utterance[];
  /** Utterances `intent eval --data pack.json` scores (empty when the pack names none). */
  eval: Utterance[];
  /**
   * Share of in-scope utterances the out-of-scope threshold may turn away (default: the training
   * settings'). Higher catches more out-of-scope requests at the cost of in-scope ones.
   */
  oosRejectRate?: number;
}

export class PackError extends Error {
  readonly code = 'EARPIECE_PACK_INVALID';
}

/** Finds the file of a data asset (installing it from the mirror or upstream if needed). */
export type AssetResolver = (assetId: string) => Promise<string>;

const clincOptions = {
  /** CLINC150 lists to read: train, val, oos_train, oos_val. */
  lists: z.array(z.enum(['train', 'val', 'oos_train', 'oos_val'])).min(1),
  /** Asset id of CLINC150's domains.json; needed for includeDomains / excludeDomains. */
  domainsAsset: z.string().optional(),
  includeDomains: z.array(z.string()).optional(),
  excludeDomains: z.array(z.string()).optional(),
  excludeIntents: z.array(z.string()).optional(),
  /** Keep at most this many utterances per CLINC intent (the first ones, in file order). */
  perIntent: z.number().int().positive().optional(),
};

const sourceSchema = z
  .object({
    file: z.string().optional(),
    asset: z.string().optional(),
    format: z.enum(['csv', 'yaml', 'clinc150']).optional(),
    /** Every utterance of this source gets this label (e.g. "oos"). */
    label: z.string().min(1).optional(),
    ...clincOptions,
    lists: clincOptions.lists.optional(),
  })
  .strict()
  .refine((s) => (s.file ? 1 : 0) + (s.asset ? 1 : 0) === 1, { message: 'a source names exactly one of "file" or "asset"' })
  .refine((s) => s.format !== 'clinc150' || s.lists, { message: 'a clinc150 source names its "lists"' });

const packSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'lowercase letters, digits, - and _'),
    description: z.string().default(''),
    train: z.array(sourceSchema).min(1),
    eval: z.array(sourceSchema).default([]),
    oosRejectRate: z.number().min(0).max(0.5).optional(),
  })
  .strict();

const yamlSchema = z.object({
  intents: z
    .array(z.object({ name: z.string().min(1), examples: z.array(z.string()).min(1) }).strict())
    .min(1),
});

type Source = z.infer<typeof sourceSchema>;

function zodMessage(file: string, err: z.ZodError): string {
  return `${file}: ` + err.issues.map((i) => `${i.path.length ? i.path.join('.') + ': ' : ''}${i.message}`).join('; ');
}

/** Utterances of a `text,label` CSV (first row is a header). */
export function parseUtteranceCsv(text: string, file = 'csv'): Utterance[] {
  let parsed: ReturnType<typeof parseCsv>;
  try {
    parsed = parseCsv(text);
  } catch (err) {
    if (err instanceof CsvError) throw new PackError(`${file}: ${err.message}`);
    throw err;
  }
  const { rows, lines } = parsed;
  if (rows.length === 0) throw new PackError(`${file}: the file is empty; expected a header row (text,label) and then one utterance per row`);
  if (rows[0]!.length < 2) throw new PackError(`${file} line 1: the header has ${rows[0]!.length} column; expected two: text,label`);
  if (rows.length === 1) throw new PackError(`${file}: no utterances after the header row`);
  return rows.slice(1).map((row, i) => {
    const line = lines[i + 1]!;
    if (row.length !== 2) throw new PackError(`${file} line ${line}: ${row.length} fields, expected 2 (text,label); put a text that holds commas in double quotes`);
    const [t, label] = row.map((f) => f.trim()) as [string, string];
    if (!t) throw new PackError(`${file} line ${line}: the text is empty`);
    if (!label) throw new PackError(`${file} line ${line}: the label is empty`);
    return { text: t, label };
  });
}

/** Utterances of a YAML `intents: [{name, examples}]` file. */
export function parseIntentsYaml(text: string, file = 'yaml'): Utterance[] {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    if (err instanceof YAMLParseError) throw new PackError(`${file}: not valid YAML (${err.message.split('\n')[0]})`);
    throw err;
  }
  const res = yamlSchema.safeParse(doc);
  if (!res.success) throw new PackError(zodMessage(file, res.error) + ' (expected intents: [{ name, examples: [text, …] }, …])');
  const out: Utterance[] = [];
  for (const intent of res.data.intents) {
    for (const ex of intent.examples) {
      if (!ex.trim()) throw new PackError(`${file}: intent ${intent.name} has an empty example`);
      out.push({ text: ex.trim(), label: intent.name.trim() });
    }
  }
  return out;
}

async function readClinc(file: string, source: Source, resolveAsset: AssetResolver): Promise<Utterance[]> {
  const json = JSON.parse(await readFile(file, 'utf8')) as Record<string, [string, string][]>;
  let domainOf: Map<string, string> | undefined;
  if (source.includeDomains || source.excludeDomains) {
    if (!source.domainsAsset) throw new PackError(`a clinc150 source with includeDomains/excludeDomains names its "domainsAsset"`);
    const domains = JSON.parse(await readFile(await resolveAsset(source.domainsAsset), 'utf8')) as Record<string, string[]>;
    domainOf = new Map(Object.entries(domains).flatMap(([d, intents]) => intents.map((i) => [i, d] as [string, string])));
  }
  const perIntent = new Map<string, number>();
  const out: Utterance[] = [];
  for (const list of source.lists!) {
    const items = json[list];
    if (!Array.isArray(items)) throw new PackError(`${file} has no list "${list}"`);
    for (const [text, intent] of items) {
      if (domainOf && intent !== OOS_LABEL) {
        const domain = domainOf.get(intent);
        if (source.includeDomains && !source.includeDomains.includes(domain ?? '')) continue;
        if (source.excludeDomains?.includes(domain ?? '')) continue;
      }
      if (source.excludeIntents?.includes(intent)) continue;
      const seen = perIntent.get(intent) ?? 0;
      if (source.perIntent && seen >= source.perIntent) continue;
      perIntent.set(intent, seen + 1);
      out.push({ text, label: source.label ?? intent, source: `${source.asset ?? basename(file)}:${list}` });
    }
  }
  return out;
}

async function readSource(source: Source, packDir: string, resolveAsset: AssetResolver): Promise<Utterance[]> {
  const file = source.file ? resolve(packDir, source.file) : await resolveAsset(source.asset!);
  const format = source.format ?? formatOf(file);
  let utterances: Utterance[];
  if (format === 'clinc150') utterances = await readClinc(file, source, resolveAsset);
  else utterances = (await readUtteranceFile(file, format)).map((u) => ({ ...u, source: source.asset ?? basename(file) }));
  return source.label && format !== 'clinc150' ? utterances.map((u) => ({ ...u, label: source.label! })) : utterances;
}

function formatOf(file: string): 'csv' | 'yaml' | 'json' {
  const ext = extname(file).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  if (ext === '.json') return 'json';
  throw new PackError(`${file}: unknown pack file type "${ext}"; use .csv (text,label), .yaml (intents: [{name, examples}]) or a pack.json`);
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new PackError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

async function readUtteranceFile(file: string, format: 'csv' | 'yaml' | 'json'): Promise<Utterance[]> {
  if (format === 'json') throw new PackError(`${file}: a pack source must be a CSV or YAML file (or a clinc150 asset)`);
  const text = await readText(file);
  return format === 'csv' ? parseUtteranceCsv(text, basename(file)) : parseIntentsYaml(text, basename(file));
}

/** Reads a pack from a CSV, YAML or pack.json file. For training it must hold at least two intents. */
export async function loadPack(path: string, resolveAsset: AssetResolver, purpose: 'train' | 'eval' = 'train'): Promise<IntentPack> {
  const checked = (pack: IntentPack, file: string) => (purpose === 'train' ? checkTrainable(pack, file) : pack);
  const file = resolve(path);
  const format = formatOf(file);
  if (format !== 'json') {
    const train = await readUtteranceFile(file, format);
    return checked({ name: basename(file, extname(file)).toLowerCase().replace(/[^a-z0-9_-]+/g, '-') || 'pack', description: '', train, eval: [] }, file);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(await readText(file));
  } catch (err) {
    if (err instanceof PackError) throw err;
    throw new PackError(`${file}: not valid JSON (${(err as Error).message})`);
  }
  const res = packSchema.safeParse(raw);
  if (!res.success) throw new PackError(zodMessage(file, res.error));
  const dir = dirname(file);
  const read = async (sources: Source[]) => (await Promise.all(sources.map((s) => readSource(s, dir, resolveAsset)))).flat();
  const { name, description, oosRejectRate } = res.data;
  return checked({ name, description, train: await read(res.data.train), eval: await read(res.data.eval), ...(oosRejectRate === undefined ? {} : { oosRejectRate }) }, file);
}

function checkTrainable(pack: IntentPack, file: string): IntentPack {
  const labels = new Set(pack.train.map((u) => u.label));
  if (labels.size < 2) throw new PackError(`${file}: a pack needs at least two intents to tell apart (found ${[...labels].join(', ') || 'none'})`);
  return pack;
}
