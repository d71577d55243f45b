import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadCity, parseCityConfig } from '../../../src/twin/cities/index.ts';

test('loadCity reads both shipped cities by name with their ports and languages', () => {
  const leipzig = loadCity('leipzig');
  const bologna = loadCity('bologna');
  assert.equal(leipzig.port, 1026);
  assert.equal(bologna.port, 1027);
  assert.deepEqual(leipzig.languages, ['de', 'en']);
  assert.deepEqual(bologna.languages, ['it', 'en']);
  assert.ok(leipzig.datasets.length > 0 && bologna.datasets.length > 0);
  for (const d of [...leipzig.datasets, ...bologna.datasets]) assert.ok(d.attribution && d.licence);
  assert.equal(leipzig.datasets.filter((d) => d.shareAlike).length, 3, 'the OSM layers');
});

test('loadCity accepts a folder path', () => {
  const byName = loadCity('bologna');
  assert.equal(loadCity(byName.dir).id, 'bologna');
});

function valid(): Record<string, unknown> {
  return {
    id: 'testcity',
    name: 'Test City',
    country: 'DE',
    languages: ['de'],
    centre: [12, 51],
    bbox: [11, 50, 13, 52],
    tenant: 't',
    port: 1030,
    timeZone: 'Europe/Berlin',
    datasets: [],
  };
}

test('parseCityConfig names the field at fault', () => {
  const dir = mkdtempSync(join(tmpdir(), 'city-'));
  try {
    assert.equal(parseCityConfig(valid(), dir).name, 'Test City');
    assert.throws(() => parseCityConfig({ ...valid(), port: 70000 }, dir), /"port" must be a TCP port/);
    assert.throws(
      () => parseCityConfig({ ...valid(), centre: [20, 51] }, dir),
      /"centre" must lie inside "bbox"/,
    );
    assert.throws(() => parseCityConfig({ ...valid(), id: 'Bad City' }, dir), /"id" must be lowercase/);
    const dataset = {
      id: 'x',
      mapping: 'osm-buildings',
      files: { a: 'missing.geojson' },
      entityTypes: ['Building'],
    };
    const withData = { ...valid(), datasets: [{ ...dataset, licence: 'l', attribution: 'a', source: 's' }] };
    assert.throws(
      () => parseCityConfig(withData, dir),
      /datasets\[0\]\.files\.a: missing\.geojson not found/,
    );
    writeFileSync(join(dir, 'missing.geojson'), '{}');
    assert.equal(parseCityConfig(withData, dir).datasets[0].id, 'x');
    assert.throws(
      () => parseCityConfig({ ...withData, datasets: [{ ...dataset }] }, dir),
      /datasets\[0\]\.licence/,
    );
  } finally {
    rmSync(dir, { recursive: true });
  }
});
