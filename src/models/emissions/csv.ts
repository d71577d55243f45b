/**
 * RFC 4180 CSV, as the EEA, IPCC and KBA tables are published: comma separated, fields with
 * commas quoted ("Rigid 7,5 - 12 t"), doubled quotes inside quotes, LF or CRLF line ends.
 */
/** Bad or inconsistent input data; `userFacing` lets the CLI print it as one line. */
export class EmissionDataError extends Error {
  readonly userFacing = true;
}

export interface CsvTable {
  header: string[];
  /** Data rows; `line` is the 1-based line in the text, for error messages. */
  rows: { fields: string[]; line: number }[];
}

/**
 * Parses CSV text with a header line.
 *
 * @example parseCsv('a,b\n1,"x,y"\n').rows[0].fields // ['1', 'x,y']
 */
export function parseCsv(text: string, source = 'csv'): CsvTable {
  const records: { fields: string[]; line: number }[] = [];
  let fields: string[] = [];
  let field = '';
  let inQuotes = false;
  let line = 1;
  let recordLine = 1;
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (inQuotes) {
      if (c === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"') inQuotes = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      fields.push(field);
      if (!(fields.length === 1 && fields[0] === '')) records.push({ fields, line: recordLine });
      fields = [];
      field = '';
      line++;
      recordLine = line;
    } else field += c;
  }
  if (inQuotes)
    throw new EmissionDataError(`${source}: unterminated quoted field starting on line ${recordLine}`);
  if (field !== '' || fields.length > 0) {
    fields.push(field);
    records.push({ fields, line: recordLine });
  }
  if (records.length === 0) throw new EmissionDataError(`${source}: empty file, expected a header line`);
  const header = records[0].fields.map((h) => h.trim());
  const rows = records.slice(1);
  for (const r of rows) {
    if (r.fields.length !== header.length) {
      throw new EmissionDataError(
        `${source}: line ${r.line}: expected ${header.length} fields, got ${r.fields.length}`,
      );
    }
  }
  return { header, rows };
}

/** Index of each required column, or an error naming the missing ones. */
export function columnIndex(
  table: CsvTable,
  required: readonly string[],
  source: string,
): Record<string, number> {
  const idx: Record<string, number> = {};
  const missing: string[] = [];
  for (const name of required) {
    const i = table.header.indexOf(name);
    if (i < 0) missing.push(name);
    idx[name] = i;
  }
  if (missing.length > 0) throw new EmissionDataError(`${source}: missing column(s) ${missing.join(', ')}`);
  return idx;
}
