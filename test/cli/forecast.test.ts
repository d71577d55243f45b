import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

function twinbox(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['bin/twinbox.js', 'forecast', ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function withDir(body: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'twinbox-forecast-'));
  try {
    body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function hourlyCsv(): string {
  const lines = ['series,t,value'];
  for (let t = 0; t < 24 * 7 * 5; t++) {
    const v = 50 + 20 * Math.sin((2 * Math.PI * t) / 24) + (t % 7);
    const ts = new Date(Date.UTC(2024, 0, 1) + t * 3_600_000).toISOString();
    lines.push(`sensor-1,${ts},${t === 100 ? '' : v.toFixed(3)}`);
  }
  for (let t = 0; t < 60; t++) lines.push(`sensor-2,${t},${10 + (t % 5)}`);
  return `${lines.join('\n')}\n`;
}

test('forecasts every series of a long CSV and writes the documented columns', () => {
  withDir((dir) => {
    const input = join(dir, 'in.csv');
    const out = join(dir, 'out.csv');
    writeFileSync(input, hourlyCsv());
    const r = twinbox(['--input', input, '--horizon', '6', '--season', '24,168', '--out', out]);
    assert.equal(r.status, 0, r.stderr);
    const rows = readFileSync(out, 'utf8').trim().split('\n');
    assert.equal(rows[0], 'series,step,forecast,lo80,hi80,lo95,hi95');
    assert.equal(rows.length, 1 + 2 * 6);
    const first = rows[1].split(',');
    assert.equal(first[0], 'sensor-1');
    assert.equal(first[1], '1');
    const [f, lo80, hi80, lo95, hi95] = first.slice(2).map(Number);
    assert.ok(lo95 <= lo80 && lo80 <= f && f <= hi80 && hi80 <= hi95);
    // The next hour after the history (t = 840 ≡ 0 mod 24) is near the sine's zero crossing.
    assert.ok(Math.abs(f - (50 + (840 % 7))) < 5, `forecast ${f}`);
    assert.equal(rows.filter((l) => l.startsWith('sensor-2,')).length, 6);
  });
});

test('writes to stdout without --out', () => {
  withDir((dir) => {
    const input = join(dir, 'in.csv');
    writeFileSync(input, 'series,t,value\na,1,5\na,2,6\na,3,7\n');
    const r = twinbox(['--input', input, '--horizon', '2', '--season', '1']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^series,step,forecast,lo80,hi80,lo95,hi95\na,1,/);
  });
});

test('a malformed file gives one line naming the line and the problem, exit 1', () => {
  withDir((dir) => {
    const cases: [string, RegExp][] = [
      ['series,t,value\na,1,5\na,2,abc\n', /^twinbox forecast: line 3: value 'abc' is not a number\n$/],
      ['series,t,value\na,1,5\na,1,6\n', /^twinbox forecast: line 3: duplicate t '1' for series 'a'\n$/],
      ['series,t,value\na,2,5\na,1,6\n', /^twinbox forecast: line 3: t '1' is earlier than the row before/],
      ['series,t,value\na,1\n', /^twinbox forecast: line 2: expected 3 fields \(series,t,value\), got 2\n$/],
      [
        'series,t,value\na,yesterday,1\n',
        /^twinbox forecast: line 2: t 'yesterday' is neither an integer nor an ISO 8601/,
      ],
    ];
    for (const [text, message] of cases) {
      const input = join(dir, 'bad.csv');
      writeFileSync(input, text);
      const r = twinbox(['--input', input, '--horizon', '2', '--season', '24']);
      assert.equal(r.status, 1, text);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    }
  });
});

test('bad arguments are usage errors (exit 2)', () => {
  const r = twinbox(['--input', 'x.csv', '--horizon', 'soon', '--season', '24']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--horizon: expected a positive integer, got 'soon'/);
  const missing = twinbox(['--input', 'does-not-exist.csv', '--horizon', '2', '--season', '24']);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /cannot read does-not-exist\.csv: ENOENT/);
});
