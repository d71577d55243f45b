/**
 * `twinbox detect`: anomaly scores for a `timestamp,value` CSV, or a whole NAB corpus written in
 * NAB's results layout so NAB's own tooling (and ours) can score it. Reading and writing happen
 * here; the scoring is the pure engine of models/anomaly.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import {
  DETECTOR_NAMES,
  type DetectorName,
  diagnose,
  isDetectorName,
  nabProbation,
  nabWindowRows,
  scoreSeries,
} from '../models/anomaly/index.ts';
import { parseOptions, positiveInt, runCommand, UsageError } from './args.ts';

export const summary = 'anomaly scores and sensor faults of a time series, or of a NAB corpus';

const HELP = `usage: twinbox detect --input IN.csv [--out OUT.csv] [--faults FAULTS.csv] [--detector NAME] [--warmup ROWS]
       twinbox detect --nab DATA_DIR --out RESULTS_DIR [--labels WINDOWS.json] [--detector NAME]

  --input     CSV with header timestamp,value; writes timestamp,value,anomaly_score (stdout without --out)
  --faults    also diagnose the series and write type,start,end,severity,explanation
  --nab       NAB data folder (<category>/<file>.csv); writes RESULTS_DIR/<detector>/<category>/<detector>_<file>.csv
  --labels    NAB combined_windows.json for the label column (default DATA_DIR/../labels/combined_windows.json)
  --detector  ${DETECTOR_NAMES.join(' | ')} (default ${DETECTOR_NAMES[0]})
  --warmup    rows learnt before scoring (default 15% of the rows, at most 750)`;

/** A problem with the user's files: printed as one line, exit code 1. */
class InputError extends Error {
  readonly userFacing = true;
}

export interface Series {
  readonly timestamps: string[];
  readonly values: Float64Array;
}

/**
 * Parses `timestamp,value` CSV text. An empty value is a missing reading (NaN); anything else
 * that is not a finite number is an error naming the line.
 */
export function parseSeriesCsv(text: string, source: string): Series {
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const header = (lines[0] ?? '').split(',').map((h) => h.trim());
  if (header[0] !== 'timestamp' || header[1] !== 'value') {
    throw new InputError(`${source} line 1: expected the header 'timestamp,value', got '${lines[0] ?? ''}'`);
  }
  const timestamps: string[] = [];
  const values = new Float64Array(lines.length - 1);
  for (let i = 1; i < lines.length; i++) {
    const cells = lines[i].split(',');
    if (cells.length < 2)
      throw new InputError(`${source} line ${i + 1}: expected 2 fields, got ${cells.length}`);
    const t = cells[0].trim();
    if (t === '') throw new InputError(`${source} line ${i + 1}: empty timestamp`);
    const raw = cells[1].trim();
    const v = raw === '' ? Number.NaN : Number(raw);
    if (raw !== '' && !Number.isFinite(v))
      throw new InputError(`${source} line ${i + 1}: value '${raw}' is not a number`);
    timestamps.push(t);
    values[i - 1] = v;
  }
  return { timestamps, values };
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new InputError(
      `${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`,
    );
  }
}

/** Milliseconds since the epoch; a zone-less `YYYY-MM-DD HH:MM:SS` is read as UTC (only differences matter). */
function timeOf(timestamp: string, source: string, row: number): number {
  const iso = timestamp.includes('T') ? timestamp : timestamp.replace(' ', 'T');
  let ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : `${iso}Z`);
  if (Number.isNaN(ms)) ms = Number(timestamp);
  if (!Number.isFinite(ms))
    throw new InputError(
      `${source} line ${row + 2}: timestamp '${timestamp}' is neither ISO 8601 nor a number`,
    );
  return ms;
}

function csvField(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export interface NabDataFile {
  /** `<category>/<file>.csv`, the key of NAB's label files */
  readonly key: string;
  readonly series: Series;
  readonly windows: Array<[number, number]>;
}

/** Reads every `<category>/<file>.csv` under a NAB data folder with its label windows (if given). */
export function readNabCorpus(dataDir: string, labelsPath?: string): NabDataFile[] {
  let labels: Record<string, Array<[string, string]>> = {};
  if (labelsPath) {
    try {
      labels = JSON.parse(readText(labelsPath));
    } catch (err) {
      if (err instanceof InputError) throw err;
      throw new InputError(`${labelsPath}: not JSON (${(err as Error).message})`);
    }
  }
  const files: NabDataFile[] = [];
  let categories: string[];
  try {
    categories = readdirSync(dataDir).filter((c) => statSync(join(dataDir, c)).isDirectory());
  } catch {
    throw new InputError(`${dataDir}: not a readable folder`);
  }
  for (const category of categories.sort()) {
    for (const name of readdirSync(join(dataDir, category)).sort()) {
      if (!name.endsWith('.csv')) continue;
      const key = `${category}/${name}`;
      const path = join(dataDir, category, name);
      const series = parseSeriesCsv(readText(path), path);
      const rows = nabWindowRows(series.timestamps, labels[key] ?? []);
      if (!rows.ok)
        throw new InputError(
          `${labelsPath}: window time '${rows.missing}' of ${key} is not a row of the file`,
        );
      files.push({ key, series, windows: rows.value });
    }
  }
  if (files.length === 0) throw new InputError(`${dataDir}: no <category>/<file>.csv files`);
  return files;
}

/** Scores each NAB file with its NAB probation as warm-up, as NAB runs its detectors. */
export function scoreNabFiles(files: readonly NabDataFile[], detector: DetectorName): Float64Array[] {
  return files.map((f) =>
    scoreSeries(f.series.values, { detector, warmup: nabProbation(f.series.values.length) }),
  );
}

function runSingle(values: Record<string, unknown>, detector: DetectorName): number {
  const input = values.input as string;
  const series = parseSeriesCsv(readText(input), input);
  const warmup = values.warmup === undefined ? undefined : positiveInt(values.warmup, 'warmup');
  const scores = scoreSeries(series.values, { detector, warmup });
  const lines = ['timestamp,value,anomaly_score'];
  for (let i = 0; i < scores.length; i++) {
    const v = series.values[i];
    lines.push(`${csvField(series.timestamps[i])},${Number.isNaN(v) ? '' : v},${scores[i]}`);
  }
  const out = `${lines.join('\n')}\n`;
  if (typeof values.out === 'string') writeFileSync(values.out, out);
  else process.stdout.write(out);
  if (typeof values.faults === 'string') {
    const times = series.timestamps.map((t, i) => timeOf(t, input, i));
    const order = times.map((_, i) => i).sort((a, b) => times[a] - times[b] || a - b);
    const faults = diagnose(
      order.map((i) => times[i]),
      order.map((i) => series.values[i]),
    );
    const rows = ['type,start,end,severity,explanation'];
    for (const f of faults) {
      rows.push(
        [
          f.type,
          series.timestamps[order[f.startIndex]],
          series.timestamps[order[f.endIndex]],
          f.severity.toFixed(3),
          f.explanation,
        ]
          .map(csvField)
          .join(','),
      );
    }
    writeFileSync(values.faults, `${rows.join('\n')}\n`);
  }
  return 0;
}

function runNab(values: Record<string, unknown>, detector: DetectorName): number {
  const dataDir = values.nab as string;
  if (typeof values.out !== 'string') throw new UsageError('--nab needs --out RESULTS_DIR');
  let labelsPath = values.labels as string | undefined;
  if (labelsPath === undefined) {
    const guess = join(dirname(dataDir.replace(/\/+$/, '')), 'labels', 'combined_windows.json');
    try {
      if (statSync(guess).isFile()) labelsPath = guess;
    } catch {
      // No labels beside the data: the label column is 0 throughout.
    }
  }
  const files = readNabCorpus(dataDir, labelsPath);
  const scores = scoreNabFiles(files, detector);
  files.forEach((f, k) => {
    const [category, name] = f.key.split('/');
    const dir = join(values.out as string, detector, category);
    mkdirSync(dir, { recursive: true });
    const label = new Uint8Array(f.series.values.length);
    for (const [l, r] of f.windows) label.fill(1, l, r + 1);
    const lines = ['timestamp,value,anomaly_score,label'];
    for (let i = 0; i < label.length; i++) {
      lines.push(`${f.series.timestamps[i]},${f.series.values[i]},${scores[k][i]},${label[i]}`);
    }
    writeFileSync(join(dir, `${detector}_${basename(name)}`), `${lines.join('\n')}\n`);
  });
  console.error(
    `twinbox detect: ${files.length} files scored with ${detector} into ${join(values.out, detector)}`,
  );
  return 0;
}

export async function run(argv: string[]): Promise<number> {
  return runCommand('detect', async () => {
    const values = parseOptions(argv, {
      input: { type: 'string' },
      out: { type: 'string' },
      faults: { type: 'string' },
      nab: { type: 'string' },
      labels: { type: 'string' },
      detector: { type: 'string' },
      warmup: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    const detector = (values.detector as string | undefined) ?? DETECTOR_NAMES[0];
    if (!isDetectorName(detector))
      throw new UsageError(`--detector: expected one of ${DETECTOR_NAMES.join(', ')}, got '${detector}'`);
    if (typeof values.input === 'string' && typeof values.nab === 'string')
      throw new UsageError('give --input or --nab, not both');
    if (typeof values.input === 'string') return runSingle(values, detector);
    if (typeof values.nab === 'string') return runNab(values, detector);
    throw new UsageError(`--input or --nab is required\n${HELP}`);
  });
}
