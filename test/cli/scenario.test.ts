import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const FIX = 'test/fixtures/scenario';

function twinbox(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['bin/twinbox.js', 'scenario', ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function withDir(body: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'twinbox-scenario-'));
  try {
    body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('compares baseline and scenario, prints the table and a JSON line, writes CSV and GeoJSON', () => {
  withDir((dir) => {
    const out = join(dir, 'out');
    const r = twinbox([
      '--network',
      FIX,
      '--interventions',
      `${FIX}/mixed-package.json`,
      '--districts',
      `${FIX}/siouxfalls_districts.geojson`,
      '--out',
      out,
      '--gap',
      '1e-7',
    ]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^scenario: mixed package$/m);
    assert.match(r.stdout, /^vehicle-km\s+[\d,]+\s+[\d,]+\s+[+-][\d.]+ %$/m);
    assert.match(r.stdout, /^districts: \d gain/m);
    const last = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    assert.equal(last.name, 'mixed package');
    assert.ok(last.relativeGap.every((g: number) => g <= 1e-7));
    assert.ok(last.co2Tonnes[1] < last.co2Tonnes[0]);
    const links = readFileSync(join(out, 'links.csv'), 'utf8').trim().split('\n');
    assert.equal(
      links[0],
      'from,to,status,length_km,flow_base,flow_scen,flow_change,time_min_base,time_min_scen,speed_kmh_base,speed_kmh_scen,vkm_base,vkm_scen,co2_kg_base,co2_kg_scen,nox_g_base,nox_g_scen,pm_g_base,pm_g_scen',
    );
    assert.equal(links.length, 1 + 78);
    const closed = links
      .filter((l) => l.split(',')[2] === 'closed')
      .map((l) => l.split(',').slice(0, 2).join('-'));
    assert.deepEqual(closed, ['10-16', '16-10']);
    const vkm = links.slice(1).reduce((s, l) => s + Number(l.split(',')[12]), 0);
    assert.ok(Math.abs(vkm - last.vehicleKm[1]) < 1e-3 * last.vehicleKm[1]);
    const geo = JSON.parse(readFileSync(join(out, 'links.geojson'), 'utf8'));
    assert.equal(geo.features.length, 78);
    assert.equal(geo.features[0].geometry.type, 'LineString');
    const districts = readFileSync(join(out, 'districts.csv'), 'utf8').trim().split('\n');
    assert.equal(districts.length, 5);
    assert.match(districts[0], /^id,name,population,area_km2,vulnerability,verdict,/);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    assert.equal(summary.changes.length, 7);
    assert.equal(summary.districts.summary.basis, 'population');
    assert.equal(JSON.parse(readFileSync(join(out, 'districts.geojson'), 'utf8')).features.length, 4);
  });
});

test('a closure that cuts a zone off is reported in the table and the JSON line', () => {
  withDir((dir) => {
    const doc = join(dir, 'cut.json');
    writeFileSync(
      doc,
      JSON.stringify({
        name: 'cut 13',
        interventions: [
          {
            type: 'closeLinks',
            links: [
              [12, 13],
              [13, 24],
            ],
            bothDirections: true,
          },
        ],
      }),
    );
    const r = twinbox(['--network', FIX, '--interventions', doc]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(
      r.stdout,
      /^unreachable: 46 OD pair\(s\), [\d,.]+ trips without a path in the scenario; zones cut off: 13$/m,
    );
    const last = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    assert.equal(last.unreachablePairs, 46);
    assert.deepEqual(last.cutOffZones, [13]);
  });
});

test('bad documents and options get one clear message each', () => {
  withDir((dir) => {
    const doc = join(dir, 'bad.json');
    writeFileSync(
      doc,
      JSON.stringify({
        name: 'bad',
        interventions: [
          { type: 'speedLimit', links: [[1, 99]], speedKmh: 30 },
          { type: 'fleet', evShare: 2 },
        ],
      }),
    );
    const r = twinbox(['--network', FIX, '--interventions', doc]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /interventions\[1\]\.evShare: expected a share in \[0, 1\], got 2/);
    writeFileSync(
      doc,
      JSON.stringify({
        name: 'bad',
        interventions: [{ type: 'speedLimit', links: [[1, 99]], speedKmh: 30 }],
      }),
    );
    const r2 = twinbox(['--network', FIX, '--interventions', doc]);
    assert.equal(r2.status, 1);
    assert.match(r2.stderr, /interventions\[0\]\.links\[0\]: no node 99 in the network/);
    writeFileSync(doc, '{ not json');
    assert.match(
      twinbox(['--network', FIX, '--interventions', doc]).stderr,
      /--interventions: .*bad\.json is not JSON/,
    );
    const usage = twinbox(['--interventions', doc]);
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /twinbox scenario: --network is required/);
    assert.equal(twinbox(['--network', FIX, '--interventions', doc, '--length-unit', 'yd']).status, 2);
    const help = twinbox(['--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /--rigidity R/);
  });
});

test('district statistics of another year come from a long CSV joined by key', () => {
  withDir((dir) => {
    const stats = join(dir, 'stats.csv');
    const rows = ['year,id,indicator,value'];
    const values: Record<string, number[]> = {
      NW: [40, 15, 1400, 530],
      NE: [22, 25, 3300, 300],
      SW: [31, 24, 1100, 600],
      SE: [26, 21, 2600, 390],
    };
    for (const [id, v] of Object.entries(values)) {
      ['Altenquote', 'Jugendquote', 'Einwohnerdichte', 'Privat-PKW je 1 000 Einwohner'].forEach((name, k) => {
        rows.push(`2020,${id},${name},${v[k]}`);
      });
    }
    writeFileSync(stats, `${rows.join('\n')}\n`);
    const out = join(dir, 'out');
    const r = twinbox([
      '--network',
      FIX,
      '--interventions',
      `${FIX}/ztl.json`,
      '--districts',
      `${FIX}/siouxfalls_districts.geojson`,
      '--stats',
      stats,
      '--stats-key',
      'id',
      '--stats-year',
      '2020',
      '--out',
      out,
    ]);
    assert.equal(r.status, 0, r.stderr);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    assert.deepEqual(summary.districts.missingIndicators, []);
    const d = readFileSync(join(out, 'districts.csv'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(','));
    const vuln = Object.fromEntries(d.slice(1).map((x) => [x[0], Number(x[4])]));
    // NE: youngest-heavy, densest, fewest cars: the most vulnerable; SW the least
    assert.ok(vuln.NE > vuln.SE && vuln.SE > vuln.SW, JSON.stringify(vuln));
  });
});

test('an OSMnx GeoJSON road graph with zones and a trip table runs like a TNTP network', () => {
  withDir((dir) => {
    // A 4 × 4 grid of two-way residential streets 0.002° apart, node ids 100 + k.
    const nodes: unknown[] = [];
    const edges: unknown[] = [];
    const at = (k: number) => [11.34 + 0.002 * (k % 4), 44.49 + 0.002 * Math.floor(k / 4)];
    for (let k = 0; k < 16; k++)
      nodes.push({
        type: 'Feature',
        properties: { osmid: 100 + k },
        geometry: { type: 'Point', coordinates: at(k) },
      });
    const street = (a: number, b: number) => {
      for (const [u, v] of [
        [a, b],
        [b, a],
      ]) {
        edges.push({
          type: 'Feature',
          properties: { u: 100 + u, v: 100 + v, highway: 'residential', length: 180, oneway: false },
          geometry: {
            type: 'LineString',
            coordinates: [at(u), [(at(u)[0] + at(v)[0]) / 2 + 0.0001, (at(u)[1] + at(v)[1]) / 2], at(v)],
          },
        });
      }
    };
    for (let k = 0; k < 16; k++) {
      if (k % 4 < 3) street(k, k + 1);
      if (k < 12) street(k, k + 4);
    }
    const fc = (features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features });
    writeFileSync(join(dir, 'grid_edges.geojson'), fc(edges));
    writeFileSync(join(dir, 'grid_nodes.geojson'), fc(nodes));
    const zone = (id: number, k: number) => ({
      type: 'Feature',
      properties: { id },
      geometry: { type: 'Point', coordinates: at(k) },
    });
    writeFileSync(join(dir, 'zones.geojson'), fc([zone(1, 0), zone(2, 15)]));
    writeFileSync(join(dir, 'trips.csv'), 'origin,destination,trips\n1,2,300\n2,1,200\n');
    writeFileSync(
      join(dir, 'close.json'),
      JSON.stringify({
        name: 'close a street',
        interventions: [{ type: 'closeLinks', links: [[100, 101]], bothDirections: true }],
      }),
    );
    const out = join(dir, 'out');
    const r = twinbox([
      '--network',
      join(dir, 'grid_edges.geojson'),
      '--zones',
      join(dir, 'zones.geojson'),
      '--trips',
      join(dir, 'trips.csv'),
      '--interventions',
      join(dir, 'close.json'),
      '--out',
      out,
    ]);
    assert.equal(r.status, 0, r.stderr);
    const last = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    assert.deepEqual(last.tripsMade, [500, 500]);
    // 6 streets of 180 m from corner to corner, plus the connectors, in metres → km
    assert.ok(
      last.vehicleKm[0] >= 500 * 6 * 0.18 && last.vehicleKm[0] < 500 * 6 * 0.18 + 500,
      `${last.vehicleKm[0]}`,
    );
    const geo = JSON.parse(readFileSync(join(out, 'links.geojson'), 'utf8'));
    assert.equal(geo.features[0].geometry.coordinates.length, 3, 'links keep the street geometry');
    const closed = geo.features.filter(
      (f: { properties: { status: string } }) => f.properties.status === 'closed',
    );
    assert.deepEqual(
      closed.map((f: { properties: { from: number; to: number } }) => [f.properties.from, f.properties.to]),
      [
        [100, 101],
        [101, 100],
      ],
    );
  });
});

test('a fleet file replaces the KBA fleet; a bad one is refused', () => {
  withDir((dir) => {
    const fleet = join(dir, 'fleet.json');
    const doc = join(dir, 'ev.json');
    writeFileSync(doc, JSON.stringify({ name: 'EV half', interventions: [{ type: 'fleet', evShare: 0.5 }] }));
    const diesel = {
      category: 'Passenger Cars',
      fuel: 'Diesel',
      segment: 'Medium',
      euroStandard: 'Euro 5',
      technology: 'DPF',
    };
    writeFileSync(
      fleet,
      JSON.stringify({ name: 'Diesel Euro 5 only', electricShare: 0, classes: [{ ...diesel, share: 1 }] }),
    );
    const r = twinbox(['--network', FIX, '--interventions', doc, '--fleet-file', fleet]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^fleet: Diesel Euro 5 only, EV share 0\.5$/m);
    const last = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    assert.ok(Math.abs(last.noxKg[1] / last.noxKg[0] - 0.5) < 1e-12);
    writeFileSync(
      fleet,
      JSON.stringify({ name: 'half', electricShare: 0, classes: [{ ...diesel, share: 0.5 }] }),
    );
    const bad = twinbox(['--network', FIX, '--interventions', doc, '--fleet-file', fleet]);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /fleet 'half': shares sum to 0\.5, expected 1/);
  });
});
