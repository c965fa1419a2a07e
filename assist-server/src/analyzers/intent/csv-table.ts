/**
 * RFC 4180 CSV: comma-separated fields, optionally in double quotes (a quote inside is doubled;
 * quoted fields may hold commas and newlines), LF or CRLF line ends, optional UTF-8 BOM.
 */
export class CsvError extends Error {
  readonly code = 'EARPIECE_PACK_CSV';
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/** Rows of fields; `lines[i]` is the 1-based line where row i starts. Blank lines are skipped. */
export function parseCsv(text: string): { rows: string[][]; lines: number[] } {
  const rows: string[][] = [];
  const lines: number[] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let fieldStarted = false;
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const endRow = () => {
    row.push(field);
    if (row.length > 1 || row[0] !== '') {
      rows.push(row);
      lines.push(rowLine);
    }
    row = [];
    field = '';
    fieldStarted = false;
  };
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (quoted) {
      if (ch === '"') {
        if (s[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"') {
      if (fieldStarted && field !== '') throw new CsvError(`line ${line}: a quote in the middle of an unquoted field (quote the whole field and double the quote)`, line);
      quoted = true;
      fieldStarted = true;
    } else if (ch === ',') {
      row.push(field);
      field = '';
      fieldStarted = false;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && s[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else {
      field += ch;
      fieldStarted = true;
    }
  }
  if (quoted) throw new CsvError(`line ${rowLine}: a quoted field is never closed`, rowLine);
  if (field !== '' || row.length > 0) endRow();
  return { rows, lines };
}
