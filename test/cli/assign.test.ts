import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const SIOUX = 'test/fixtures/tntp/SiouxFalls';

function twinbox(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/twinbox.js', 'assign', ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'twinbox-assign-'));
}

function siouxCopy(dir: string, net?: (text: string) => string): void {
  const text = readFileSync(join(SIOUX, 'SiouxFalls_net.tntp'), 'utf8');
  writeFileSync(join(dir, 'SiouxFalls_net.tntp'), net ? net(text) : text);
  copyFileSync(join(SIOUX, 'SiouxFalls_trips.tntp'), join(dir, 'SiouxFalls_trips.tntp'));
}

test('assign prints the JSON summary last and writes from,to,flow,cost', () => {
  const dir = scratch();
  try {
    const out = join(dir, 'flows.csv');
    const r = twinbox('--network', SIOUX, '--gap', '1e-9', '--out', out);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    const summary = JSON.parse(lines[lines.length - 1]);
    for (const key of ['objective', 'relativeGap', 'tstt', 'iterations', 'seconds', 'zones', 'links']) {
      assert.ok(key in summary, key);
    }
    assert.ok(summary.relativeGap <= 1e-9);
    assert.ok(Math.abs(summary.objective - 4231335.28710744) / 4231335.28710744 < 1e-8);
    assert.equal(summary.zones, 24);
    assert.equal(summary.links, 76);
    assert.match(r.stderr, /iteration 1 relative gap/);
    const csv = readFileSync(out, 'utf8').trim().split('\n');
    assert.equal(csv[0], 'from,to,flow,cost');
    assert.equal(csv.length, 77);
    const [from, to, flow, cost] = csv[1].split(',').map(Number);
    assert.deepEqual([from, to], [1, 2]);
    // Published SiouxFalls flow on 1 -> 2: 4494.657507.
    assert.ok(Math.abs(flow - 4494.657507) < 0.01);
    assert.ok(cost > 6);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('assign with Frank-Wolfe and elastic demand', () => {
  const fw = twinbox('--network', SIOUX, '--algorithm', 'frank-wolfe', '--gap', '1e-3', '--quiet');
  assert.equal(fw.code, 0, fw.stderr);
  const s = JSON.parse(fw.stdout.trim());
  assert.equal(s.algorithm, 'frank-wolfe');
  assert.ok(s.relativeGap <= 1e-3);
  const el = twinbox('--network', SIOUX, '--rigidity', '0.8', '--gap', '1e-6', '--quiet');
  assert.equal(el.code, 0, el.stderr);
  const e = JSON.parse(el.stdout.trim());
  assert.ok(e.demandTravelled < e.demand);
});

test('bad options and files get one clear line', () => {
  assert.equal(twinbox().code, 2);
  assert.match(twinbox('--network', SIOUX, '--algorithm', 'magic').stderr, /--algorithm: expected one of/);
  assert.match(
    twinbox('--network', SIOUX, '--rigidity', '1.5').stderr,
    /--rigidity: expected a number in \(0, 1\]/,
  );
  const dir = scratch();
  try {
    const none = twinbox('--network', dir);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /no \*_net\.tntp file/);
    siouxCopy(dir, (t) => t.replace('\t3\t4\t17110.52372', '\t3\t4\t17110.x'));
    const bad = twinbox('--network', dir);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /SiouxFalls_net\.tntp:\d+: column 3 is not a number: '17110\.x'/);
    assert.doesNotMatch(bad.stderr, /at .*\.ts/);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('an OD pair with no path is reported, not dropped silently', () => {
  const dir = scratch();
  try {
    // Remove the links into node 10 and fix the link count.
    siouxCopy(dir, (t) => {
      const lines = t.split('\n');
      const kept = lines.filter((l) => !/^\s*\d+\s+10\s/.test(l));
      const removed = lines.length - kept.length;
      return kept.join('\n').replace('<NUMBER OF LINKS> 76', `<NUMBER OF LINKS> ${76 - removed}`);
    });
    const r = twinbox('--network', dir, '--quiet');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /23 OD pairs with \d+ trips have no path/);
    assert.match(r.stderr, / -> 10: \d+ trips/);
    const s = JSON.parse(r.stdout.trim());
    assert.equal(s.unreachablePairs, 23);
  } finally {
    rmSync(dir, { recursive: true });
  }
});
