/**
 * The node's active compliance rules: read from the rules file at start, re-read when the file
 * changes (fs.watch on its folder, debounced, so editors that replace the file are seen too) and
 * replaced over REST (validated, written atomically, version bumped when left unchanged). A file
 * that fails validation is logged and ignored: the rules before it stay active. Live calls read
 * `current` at each utterance, so a change applies from the next utterance on.
 */
import { watch, type FSWatcher } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Logger } from 'pino';
import { isMap, parseDocument, stringify } from 'yaml';
import { compileRules, emptyRuleSet, type RuleSet } from './rule-set.ts';
import { parseRulesYaml, RulesValidationError, validateRules, type ComplianceRulesFile } from './rules-schema.ts';

export interface ComplianceRulesOptions {
  path: string;
  log: Logger;
  /** Re-read the file when it changes. Default true. */
  watch?: boolean;
  /** Quiet time after the last change event before re-reading. Default 150 ms. */
  debounceMs?: number;
}

export type ReloadResult =
  | { ok: true; version: string; changed: boolean }
  | { ok: false; problems: string[] };

export interface RulesStatus {
  path: string;
  version: string;
  loadedAtMs: number;
  /** Why the last file read was rejected (the active rules are older), or null. */
  lastError: { atMs: number; problems: string[] } | null;
  rules: ComplianceRulesFile;
}

export class ComplianceRules {
  private active: RuleSet = emptyRuleSet();
  /** Text of the file the active rules came from. */
  private activeText: string | null = null;
  private loadedAtMs = 0;
  private lastError: RulesStatus['lastError'] = null;
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<(result: ReloadResult) => void>();

  private constructor(private readonly options: ComplianceRulesOptions) {}

  /** Loads the file (a missing or bad file leaves no rules active, logged) and starts watching it. */
  static async open(options: ComplianceRulesOptions): Promise<ComplianceRules> {
    const rules = new ComplianceRules(options);
    await rules.reload();
    if (options.watch !== false) rules.startWatching();
    return rules;
  }

  get path(): string {
    return this.options.path;
  }

  /** The rules in force now. */
  get current(): RuleSet {
    return this.active;
  }

  /** The text of the rules in force (the file as written, comments kept), or null before any loaded. */
  get text(): string | null {
    return this.activeText;
  }

  status(): RulesStatus {
    return { path: this.options.path, version: this.active.version, loadedAtMs: this.loadedAtMs, lastError: this.lastError, rules: this.active.file };
  }

  /** Calls `listener` after every reload attempt (file change or API), with its result. */
  onReload(listener: (result: ReloadResult) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Re-reads the file; a bad file keeps the active rules. */
  reload(): Promise<ReloadResult> {
    return this.serial(async () => {
      const { log, path } = this.options;
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (err) {
        return this.rejected([`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`]);
      }
      if (text === this.activeText) return this.announce({ ok: true, version: this.active.version, changed: false });
      let file: ComplianceRulesFile;
      try {
        file = parseRulesYaml(text, path);
      } catch (err) {
        if (err instanceof RulesValidationError) return this.rejected(err.problems);
        throw err;
      }
      if (this.activeText !== null && file.version === this.active.version && canonical(file) !== canonical(this.active.file)) {
        log.warn({ path, version: file.version }, 'compliance rules changed without a new version: hits will name a version that no longer says which rules fired');
      }
      this.adopt(file, text);
      return this.announce({ ok: true, version: file.version, changed: true });
    });
  }

  /**
   * Replaces the rules (REST): `input` is YAML text or a parsed document. Validated first (throws
   * RulesValidationError); when its version equals the active one but the rules differ, the
   * version is bumped. Written atomically (temp file + rename), then active at once.
   */
  replace(input: string | unknown): Promise<{ version: string; bumped: boolean; changed: boolean }> {
    return this.serial(async () => {
      const source = 'request';
      const file = typeof input === 'string' ? parseRulesYaml(input, source) : validateRules(input, source);
      const changed = canonical(file) !== canonical(this.active.file);
      const bumped = changed && file.version === this.active.version;
      if (bumped) file.version = bumpVersion(file.version);
      let text: string;
      if (typeof input === 'string') {
        const doc = parseDocument(input);
        if (bumped && isMap(doc.contents)) doc.set('version', file.version);
        text = doc.toString();
      } else {
        text = stringify({ ...(input as object), version: file.version });
      }
      await writeAtomically(this.options.path, text);
      this.adopt(file, text);
      this.options.log.info({ version: file.version, bumped, rules: file.rules.length }, 'compliance rules replaced over the API');
      this.announce({ ok: true, version: file.version, changed });
      return { version: file.version, bumped, changed };
    });
  }

  close(): void {
    clearTimeout(this.timer);
    this.watcher?.close();
    this.watcher = undefined;
  }

  private startWatching(): void {
    const { path, log } = this.options;
    const name = basename(path);
    try {
      // the folder, not the file: an atomic replace (rename over it) leaves a file watcher on the old inode
      this.watcher = watch(dirname(path), { persistent: false }, (_event, filename) => {
        if (filename !== null && filename.toString() !== name) return;
        clearTimeout(this.timer);
        this.timer = setTimeout(() => void this.reload().catch((err: Error) => log.error({ err: err.message }, 'compliance rules reload failed')), this.options.debounceMs ?? 150);
      });
      this.watcher.on('error', (err) => log.warn({ err: err.message, path }, 'watching the compliance rules file failed: changes need the API or a restart'));
    } catch (err) {
      log.warn({ err: (err as Error).message, path }, 'cannot watch the compliance rules file: changes need the API or a restart');
    }
  }

  private adopt(file: ComplianceRulesFile, text: string): void {
    this.active = compileRules(file);
    this.activeText = text;
    this.loadedAtMs = Date.now();
    this.lastError = null;
    this.options.log.info({ version: file.version, rules: this.active.rules.length, path: this.options.path }, 'compliance rules active');
  }

  private rejected(problems: string[]): ReloadResult {
    this.lastError = { atMs: Date.now(), problems };
    this.options.log.error({ path: this.options.path, problems, activeVersion: this.active.version }, 'compliance rules file rejected: the previous rules stay active');
    return this.announce({ ok: false, problems });
  }

  private announce(result: ReloadResult): ReloadResult {
    for (const l of [...this.listeners]) l(result);
    return result;
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.chain.then(work, work);
    this.chain = next.catch(() => undefined);
    return next;
  }
}

/** "3" → "4", "2026-11-24.1" → "2026-11-24.2", "draft" → "draft.1". */
export function bumpVersion(version: string): string {
  const m = /^(.*?)(\d+)(\D*)$/.exec(version);
  if (!m) return `${version}.1`;
  return `${m[1]}${String(Number(m[2]) + 1).padStart(m[2]!.length, '0')}${m[3]}`;
}

function canonical(file: ComplianceRulesFile): string {
  const { version: _v, ...rest } = file;
  return JSON.stringify(rest);
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    await writeFile(tmp, text, 'utf8');
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
