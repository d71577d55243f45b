import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  districtsFromGeoJson,
  joinLongStatistics,
  LEIPZIG_INDICATORS,
  LEIPZIG_STATISTICS_INDICATORS,
  vulnerabilityIndex,
} from '../../../src/models/social/index.ts';
import { threeDistricts } from './social.fixtures.ts';

const CSV = `year,id,name,indicator,value
2019,A,District A,Altenquote,41
2019,A,District A,Einwohner insgesamt,990
2019,B,District B,Altenquote,19
2020,A,District A,Altenquote,40
2019,Z,Elsewhere,Altenquote,99
`;

test('indicators of the chosen year are joined by key; missing districts are reported, the input kept', () => {
  const districts = threeDistricts().map((d) => ({ ...d, population: d.id === 'A' ? null : d.population }));
  const r = joinLongStatistics(districts, CSV, { year: 2019, key: 'id' });
  assert.deepEqual(r.indicators, ['Altenquote', 'Einwohner insgesamt']);
  assert.deepEqual(r.unmatched, ['C']);
  assert.equal(r.districts[0].statistics.Altenquote, 41);
  assert.equal(r.districts[0].population, 990);
  assert.equal(r.districts[1].statistics.Altenquote, 19);
  assert.equal(r.districts[1].population, 3000, 'a known population is kept');
  assert.equal(districts[0].statistics.Altenquote, undefined, 'inputs are not mutated');
  assert.throws(() => joinLongStatistics(districts, CSV, { year: 1990, key: 'id' }), /no rows for year 1990/);
  assert.throws(() => joinLongStatistics(districts, CSV, { year: 2019 }), /missing column ot_nr/);
});

test('Leipzig: the long export of 2023 gives the same index as the indicators in the Ortsteile file', (t) => {
  const dir = new URL('../../../../shared/data/leipzig/', import.meta.url);
  if (!existsSync(new URL('leipzig_ortsteile_stats_2000_2023.csv', dir))) {
    t.skip('../shared/data/leipzig not present');
    return;
  }
  const districts = districtsFromGeoJson(
    JSON.parse(readFileSync(new URL('leipzig_ortsteile.geojson', dir), 'utf8')),
  );
  const csv = readFileSync(new URL('leipzig_ortsteile_stats_2000_2023.csv', dir), 'utf8');
  const r = joinLongStatistics(districts, csv, { year: 2023 });
  assert.deepEqual(r.unmatched, []);
  const fromFile = vulnerabilityIndex(districts, LEIPZIG_INDICATORS);
  const fromLong = vulnerabilityIndex(r.districts, LEIPZIG_STATISTICS_INDICATORS);
  for (let i = 0; i < districts.length; i++)
    assert.ok(Math.abs(fromFile.index[i] - fromLong.index[i]) < 1e-12, districts[i].id);
  // another year works the same way
  const y2015 = joinLongStatistics(districts, csv, { year: 2015 });
  assert.ok(vulnerabilityIndex(y2015.districts, LEIPZIG_STATISTICS_INDICATORS).missing.length === 0);
});
