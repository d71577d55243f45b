/**
 * twinbox forecast: reads a long CSV `series,t,value`, forecasts every series with the
 * production forecaster and writes `series,step,forecast,lo80,hi80,lo95,hi95`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { forecast } from '../models/forecast/index.ts';
import { parseOptions, positiveInt, requireString, runCommand, UsageError } from './args.ts';

export const summary = 'forecast time series from a CSV (series,t,value) with 80/95 % intervals';

const USAGE = `usage: twinbox forecast --input IN.csv --horizon H --season M[,M2] [--out OUT.csv]

  --input    long CSV with header series,t,value; t an ordered integer or ISO 8601 timestamp,
             an empty value (or NA, NaN) marks a gap
  --horizon  steps to forecast
  --season   seasonal period(s) in steps, e.g. 24,168 for hourly data; 1 for none
  --out      output CSV (default: stdout)`;

/** Gap filling would allocate beyond this many points: a timestamp typo, not a real series. */
const MAX_POINTS = 5_000_000;

class InputError extends Error {
  readonly userFacing = true;
}

interface Row {
  line: number;
  t: number;
  value: number;
}

/** ISO 8601 date or date-time (what Date.parse reads reliably across engines). */
const ISO = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const INTEGER = /^[+-]?\d+$/;

function parseValue(cell: string, line: number): number {
  const s = cell.trim();
  if (s === '' || s === 'NA' || s === 'NaN' || s === 'nan' || s === 'null') return Number.NaN;
  const v = Number(s);
  if (!Number.isFinite(v)) throw new InputError(`line ${line}: value '${s}' is not a number`);
  return v;
}

/** Splits one CSV line; fields may be double-quoted. */
function splitCsv(text: string): string[] {
  if (!text.includes('"')) return text.split(',');
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** Parses the long CSV into series of regularly spaced values, NaN in the gaps. */
export function parseLongCsv(text: string): Map<string, Float64Array> {
  const lines = text.split(/\r?\n/);
  const bySeries = new Map<string, Row[]>();
  const kinds = new Map<string, 'integer' | 'iso'>();
  let start = 0;
  const header = lines[0]?.trim().toLowerCase().replace(/"/g, '');
  if (header === 'series,t,value') start = 1;
  else if (
    header !== undefined &&
    /[a-z]/.test(header.split(',')[1] ?? '') &&
    !ISO.test(header.split(',')[1] ?? '')
  ) {
    throw new InputError(`line 1: expected the header 'series,t,value', got '${lines[0].trim()}'`);
  }
  for (let i = start; i < lines.length; i++) {
    const raw = lines[i];
    const line = i + 1;
    if (raw.trim() === '') continue;
    const cells = splitCsv(raw);
    if (cells.length !== 3)
      throw new InputError(`line ${line}: expected 3 fields (series,t,value), got ${cells.length}`);
    const id = cells[0].trim();
    if (id === '') throw new InputError(`line ${line}: empty series name`);
    const tText = cells[1].trim();
    let t: number;
    let rowKind: 'integer' | 'iso';
    if (INTEGER.test(tText)) {
      t = Number(tText);
      rowKind = 'integer';
    } else if (ISO.test(tText) && Number.isFinite(Date.parse(tText))) {
      t = Date.parse(tText);
      rowKind = 'iso';
    } else {
      throw new InputError(`line ${line}: t '${tText}' is neither an integer nor an ISO 8601 timestamp`);
    }
    const kind = kinds.get(id) ?? rowKind;
    kinds.set(id, kind);
    if (rowKind !== kind) {
      throw new InputError(`line ${line}: t '${tText}' mixes integer and timestamp times in series '${id}'`);
    }
    const value = parseValue(cells[2], line);
    let rows = bySeries.get(id);
    if (!rows) {
      rows = [];
      bySeries.set(id, rows);
    }
    const prev = rows[rows.length - 1];
    if (prev && t === prev.t) throw new InputError(`line ${line}: duplicate t '${tText}' for series '${id}'`);
    if (prev && t < prev.t)
      throw new InputError(`line ${line}: t '${tText}' is earlier than the row before for series '${id}'`);
    rows.push({ line, t, value });
  }
  if (bySeries.size === 0) throw new InputError('no data rows');
  const out = new Map<string, Float64Array>();
  for (const [id, rows] of bySeries) out.set(id, regularise(id, rows));
  return out;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Places the rows on a regular grid whose step is the gcd of the time differences. */
function regularise(id: string, rows: Row[]): Float64Array {
  if (rows.length === 1) return Float64Array.of(rows[0].value);
  let step = 0;
  for (let i = 1; i < rows.length; i++) step = gcd(rows[i].t - rows[i - 1].t, step);
  const length = (rows[rows.length - 1].t - rows[0].t) / step + 1;
  if (length > MAX_POINTS) {
    throw new InputError(
      `series '${id}': its times span ${length} steps of the common spacing (more than ${MAX_POINTS}); check line ${rows[rows.length - 1].line}`,
    );
  }
  const values = new Float64Array(length).fill(Number.NaN);
  for (const r of rows) values[(r.t - rows[0].t) / step] = r.value;
  return values;
}

function parseSeasons(value: unknown): number[] {
  const text = requireStringValue(value, 'season');
  return text.split(',').map((s) => positiveInt(s.trim(), 'season'));
}

function requireStringValue(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

function fmt(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(10))) : '';
}

export async function run(argv: string[]): Promise<number> {
  return runCommand('forecast', async () => {
    const opts = parseOptions(argv, {
      input: { type: 'string' },
      horizon: { type: 'string' },
      season: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    });
    if (opts.help) {
      console.log(USAGE);
      return 0;
    }
    const input = requireString(opts, 'input');
    const horizon = positiveInt(opts.horizon, 'horizon');
    const seasons = parseSeasons(opts.season);
    let text: string;
    try {
      text = readFileSync(input, 'utf8');
    } catch (err) {
      throw new InputError(
        `cannot read ${input}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      );
    }
    const series = parseLongCsv(text);
    const lines = ['series,step,forecast,lo80,hi80,lo95,hi95'];
    for (const [id, values] of series) {
      let finite = 0;
      for (const v of values) if (Number.isFinite(v)) finite++;
      if (finite === 0) throw new InputError(`series '${id}': no numeric value`);
      const r = forecast(values, { horizon, seasonalPeriods: seasons, levels: [80, 95] });
      const [i80, i95] = r.intervals;
      const name = /[",\n]/.test(id) ? `"${id.replace(/"/g, '""')}"` : id;
      for (let h = 0; h < horizon; h++) {
        lines.push(
          `${name},${h + 1},${fmt(r.mean[h])},${fmt(i80.lower[h])},${fmt(i80.upper[h])},${fmt(i95.lower[h])},${fmt(i95.upper[h])}`,
        );
      }
    }
    const csv = `${lines.join('\n')}\n`;
    if (typeof opts.out === 'string' && opts.out !== '') writeFileSync(opts.out, csv);
    else process.stdout.write(csv);
    return 0;
  });
}
