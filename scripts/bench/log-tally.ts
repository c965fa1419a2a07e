/**
 * Counts pino JSON log lines (warn and above) by message (numbers in it masked), for the load bench's "what went wrong"
 * figures: e.g. "audio frames missing from the bridge", "recognition fell too far behind…",
 * "agent socket too far behind…". Lines are echoed to stderr (the first few of each message, so a
 * flood does not bury the JSON result); lines that are not JSON are echoed as they are.
 */
import type { DestinationStream } from 'pino';

const ECHO_PER_MESSAGE = 5;

export class LogTally implements DestinationStream {
  readonly counts: Record<string, number> = {};
  #partial = '';

  /** `onEntry`: sees every warn+ entry parsed (e.g. to pick a field out of it). */
  constructor(
    private readonly label: string,
    private readonly onEntry?: (entry: Record<string, unknown>) => void,
  ) {}

  /** pino destination (one or more whole lines per call) and child-process stderr chunks alike. */
  write(chunk: string | Buffer): void {
    const text = this.#partial + chunk.toString();
    const lines = text.split('\n');
    this.#partial = lines.pop() ?? '';
    for (const line of lines) this.#line(line);
  }

  #line(line: string): void {
    if (!line.trim()) return;
    let entry: { level?: number; msg?: string } | undefined;
    try {
      entry = JSON.parse(line) as { level?: number; msg?: string };
    } catch {
      process.stderr.write(`[${this.label}] ${line}\n`);
      return;
    }
    if ((entry.level ?? 0) < 40) return;
    this.onEntry?.(entry);
    // Numbers are masked so one kind of message is one count ("… 1 of 1 calls (0.856 …)" → "… # of # calls (# …)").
    const msg = (entry.msg ?? '(no message)').replace(/\d+(\.\d+)?/g, '#');
    const n = (this.counts[msg] = (this.counts[msg] ?? 0) + 1);
    if (n <= ECHO_PER_MESSAGE) process.stderr.write(`[${this.label}] ${line}\n`);
    else if (n === ECHO_PER_MESSAGE + 1) process.stderr.write(`[${this.label}] (further "${msg}" lines counted, not shown)\n`);
  }
}
