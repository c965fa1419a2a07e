/**
 * The routing table (YAML, models/packs/banking/routing.yaml by default): which skill queue
 * handles which customer intent, which intents the customer can do themselves, and where an
 * upset customer asking for a manager goes. Validated with zod. The file is re-read at the start
 * of a call when it changed since the last read; a file that fails validation is logged and the
 * table before it stays in force.
 */
import { readFileSync, statSync } from 'node:fs';
import type { Logger } from 'pino';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { phraseWords } from './text-similarity.ts';

const Intent = z.string().trim().min(1).max(128);
const QueueId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'queue ids are letters, digits, ".", "_" or "-" (at most 64)');
const Confidence = z.number().min(0).max(1);

export const RoutingFile = z
  .strictObject({
    version: z.union([z.string(), z.number()]).transform(String),
    homeQueue: QueueId,
    transferMinConfidence: Confidence.default(0.6),
    selfServiceMinConfidence: Confidence.default(0.6),
    queues: z.record(QueueId, z.strictObject({ title: z.string().trim().min(1).max(120), intents: z.array(Intent).min(1) })).default({}),
    selfService: z.array(z.strictObject({ intent: Intent, message: z.string().trim().min(1).max(300) })).default([]),
    escalation: z
      .strictObject({
        queue: QueueId,
        title: z.string().trim().min(1).max(120),
        phrases: z.array(z.string().trim().min(1).max(120)).min(1),
      })
      .optional(),
  })
  .superRefine((file, ctx) => {
    if (file.queues[file.homeQueue]) ctx.addIssue({ code: 'custom', path: ['queues', file.homeQueue], message: 'the home queue handles every intent not listed: do not list it' });
    const owner = new Map<string, string>();
    for (const [queue, spec] of Object.entries(file.queues)) {
      for (const intent of spec.intents) {
        const other = owner.get(intent);
        if (other) ctx.addIssue({ code: 'custom', path: ['queues', queue, 'intents'], message: `${intent} is already routed to ${other}` });
        owner.set(intent, queue);
      }
    }
  });
export type RoutingFile = z.infer<typeof RoutingFile>;

export class RoutingValidationError extends Error {
  readonly code = 'EARPIECE_ROUTING_INVALID';
  constructor(readonly problems: string[]) {
    super(`routing table rejected: ${problems.join('; ')}`);
  }
}

/** A validated routing table, indexed for lookups. */
export class RoutingTable {
  private readonly queueOf = new Map<string, { queue: string; title: string }>();
  private readonly selfServiceOf = new Map<string, string>();
  /** Manager-request phrases as word lists (normalized, stemmed). */
  readonly escalationPhrases: string[][];

  constructor(readonly file: RoutingFile) {
    for (const [queue, spec] of Object.entries(file.queues)) for (const intent of spec.intents) this.queueOf.set(intent, { queue, title: spec.title });
    for (const s of file.selfService) this.selfServiceOf.set(s.intent, s.message);
    this.escalationPhrases = (file.escalation?.phrases ?? []).map(phraseWords).filter((w) => w.length > 0);
  }

  static parse(text: string): RoutingTable {
    let raw: unknown;
    try {
      raw = parseYaml(text);
    } catch (err) {
      throw new RoutingValidationError([`(file): not YAML: ${(err as Error).message}`]);
    }
    const parsed = RoutingFile.safeParse(raw);
    if (!parsed.success) throw new RoutingValidationError(parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`));
    return new RoutingTable(parsed.data);
  }

  get version(): string {
    return this.file.version;
  }

  get homeQueue(): string {
    return this.file.homeQueue;
  }

  /** The queue that handles an intent other than the home queue, or undefined. */
  transferFor(intent: string): { queue: string; title: string } | undefined {
    return this.queueOf.get(intent);
  }

  /** What to tell a customer who can do this themselves, or undefined. */
  selfServiceFor(intent: string): string | undefined {
    return this.selfServiceOf.get(intent);
  }
}

/**
 * The routing table file as the node uses it: `current` re-reads the file when its modification
 * time or size changed (analyzers take it once per call, so a change applies from the next call).
 */
export class RoutingTableFile {
  private table: RoutingTable;
  private stamp: string;

  private constructor(
    readonly path: string,
    private readonly log: Logger,
    table: RoutingTable,
    stamp: string,
  ) {
    this.table = table;
    this.stamp = stamp;
  }

  /** Reads the file; a missing or invalid file at start is an error (the node does not start on a broken table). */
  static open(path: string, log: Logger): RoutingTableFile {
    const stamp = fileStamp(path);
    return new RoutingTableFile(path, log, RoutingTable.parse(readFileSync(path, 'utf8')), stamp);
  }

  get current(): RoutingTable {
    let stamp: string;
    try {
      stamp = fileStamp(this.path);
    } catch (err) {
      if (this.stamp !== 'missing') this.log.warn({ path: this.path, err: (err as Error).message }, 'routing table file unreadable: the table before it stays in force');
      this.stamp = 'missing';
      return this.table;
    }
    if (stamp === this.stamp) return this.table;
    this.stamp = stamp;
    try {
      this.table = RoutingTable.parse(readFileSync(this.path, 'utf8'));
      this.log.info({ path: this.path, version: this.table.version }, 'routing table reloaded');
    } catch (err) {
      const problems = err instanceof RoutingValidationError ? err.problems : [(err as Error).message];
      this.log.error({ path: this.path, problems }, 'routing table file rejected: the table before it stays in force');
    }
    return this.table;
  }
}

function fileStamp(path: string): string {
  const st = statSync(path);
  return `${st.mtimeMs}:${st.size}`;
}
