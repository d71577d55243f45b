import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

function twinbox(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/twinbox.js', 'detect', ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'twinbox-detect-'));
}

test('detect --input writes timestamp,value,anomaly_score for every row, and --faults names faults', () => {
  const dir = scratch();
  try {
    const input = join(dir, 'in.csv');
    const rows = ['timestamp,value'];
    for (let i = 0; i < 400; i++)
      rows.push(`2024-01-01T${String(i % 24).padStart(2, '0')}:00:00Z,${i === 300 ? 500 : 10 + Math.sin(i)}`);
    writeFileSync(input, `${rows.join('\n')}\n`);
    const r = twinbox('--input', input, '--out', join(dir, 'out.csv'), '--faults', join(dir, 'faults.csv'));
    assert.equal(r.code, 0, r.stderr);
    const out = readFileSync(join(dir, 'out.csv'), 'utf8').trim().split('\n');
    assert.equal(out[0], 'timestamp,value,anomaly_score');
    assert.equal(out.length, 401);
    const scores = out.slice(1).map((l) => Number(l.split(',')[2]));
    assert.ok(scores.every((s) => s >= 0 && s <= 1));
    assert.equal(scores.indexOf(Math.max(...scores)), 300);
    const faults = readFileSync(join(dir, 'faults.csv'), 'utf8');
    assert.match(faults, /^type,start,end,severity,explanation\n/);
    assert.match(faults, /duplicate/);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('detect: a malformed file is one line naming the line, exit 1, no stack trace', () => {
  const dir = scratch();
  try {
    const input = join(dir, 'bad.csv');
    writeFileSync(input, 'timestamp,value\n2024-01-01 00:00:00,1\n2024-01-01 01:00:00,twelve\n');
    const r = twinbox('--input', input);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.match(r.stderr, /bad\.csv line 3: value 'twelve' is not a number/);
    writeFileSync(input, 'time;value\n');
    assert.match(twinbox('--input', input).stderr, /line 1: expected the header 'timestamp,value'/);
    assert.match(twinbox('--input', join(dir, 'missing.csv')).stderr, /no such file/);
    assert.equal(twinbox('--detector', 'magic', '--input', input).code, 2);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('detect --nab writes NAB results layout with the label column', () => {
  const dir = scratch();
  try {
    const r = twinbox(
      '--nab',
      'test/fixtures/nab/data',
      '--labels',
      'test/fixtures/nab/combined_windows.json',
      '--out',
      dir,
      '--detector',
      'robust-zscore',
    );
    assert.equal(r.code, 0, r.stderr);
    const lines = readFileSync(join(dir, 'robust-zscore/realTraffic/robust-zscore_speed_7578.csv'), 'utf8')
      .trim()
      .split('\n');
    assert.equal(lines[0], 'timestamp,value,anomaly_score,label');
    assert.equal(lines.length, 1128);
    const labelled = lines.slice(1).filter((l) => l.endsWith(',1')).length;
    assert.ok(labelled > 0 && labelled < 1127);
    const exchange = readFileSync(
      join(dir, 'robust-zscore/realAdExchange/robust-zscore_exchange-3_cpc_results.csv'),
      'utf8',
    );
    assert.equal(exchange.trim().split('\n').length, 1539);
  } finally {
    rmSync(dir, { recursive: true });
  }
});
