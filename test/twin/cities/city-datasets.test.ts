import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import {
  type CityConfig,
  loadCity,
  type MappedDataset,
  mapDataset,
  NGSI_LD_CORE_CONTEXT,
  type NormalizedAttribute,
  type NormalizedEntity,
  SMART_DATA_MODEL_CONTEXTS,
  SMART_DATA_MODELS_DIR,
  SmartDataModelValidator,
  TYPE_CONTEXT,
  toKeyValues,
} from '../../../src/twin/cities/index.ts';

const EXPECTED_TYPES: Record<string, string[]> = {
  leipzig: [
    'AdministrativeArea',
    'AirQualityObserved',
    'Building',
    'EVChargingStation',
    'Garden',
    'PhotovoltaicDevice',
    'PointOfInterest',
  ],
  bologna: [
    'AdministrativeArea',
    'AirQualityObserved',
    'EVChargingStation',
    'Garden',
    'PointOfInterest',
    'RestrictedTrafficArea',
    'Road',
    'RoadSegment',
    'TrafficFlowObserved',
  ],
};

interface CityRun {
  config: CityConfig;
  byDataset: Map<string, MappedDataset>;
  entities: NormalizedEntity[];
}

const runs = new Map<string, Promise<CityRun>>();

/** Mapping a city takes seconds; every test of this file reads the same immutable result. */
function cityRun(name: string): Promise<CityRun> {
  let run = runs.get(name);
  if (!run) {
    run = runCity(name);
    runs.set(name, run);
  }
  return run;
}

async function runCity(name: string): Promise<CityRun> {
  const config = loadCity(name);
  const byDataset = new Map<string, MappedDataset>();
  const entities: NormalizedEntity[] = [];
  for (const dataset of config.datasets) {
    const mapped = await mapDataset(config, dataset);
    byDataset.set(dataset.id, mapped);
    entities.push(...mapped.entities);
  }
  return { config, byDataset, entities };
}

const validator = new SmartDataModelValidator();

for (const city of Object.keys(EXPECTED_TYPES)) {
  describe(`city ${city}`, () => {
    let run: CityRun;
    before(async () => {
      run = await cityRun(city);
    });

    test('every entity validates against its Smart Data Models schema (keyValues form)', (t) => {
      const counts: Record<string, { entities: number; invalid: number }> = {};
      const problems: string[] = [];
      for (const e of run.entities) {
        counts[e.type] ??= { entities: 0, invalid: 0 };
        const c = counts[e.type];
        c.entities++;
        const problem = validator.validate(toKeyValues(e));
        if (problem) {
          c.invalid++;
          if (problems.length < 5) problems.push(`${problem.id}: ${problem.errors.join('; ')}`);
        }
      }
      for (const [type, c] of Object.entries(counts).sort()) {
        t.diagnostic(`${city} ${type}: ${c.entities} entities, ${c.invalid} invalid`);
      }
      assert.deepEqual(Object.keys(counts).sort(), EXPECTED_TYPES[city]);
      assert.deepEqual(problems, []);
    });

    test('ids are unique urn:ngsi-ld:<Type>:<city>:<source id> and types match city.json', () => {
      const seen = new Set<string>();
      for (const dataset of run.config.datasets) {
        for (const e of run.byDataset.get(dataset.id)!.entities) {
          assert.ok(dataset.entityTypes.includes(e.type), `${e.id} not declared by ${dataset.id}`);
          assert.match(e.id, new RegExp(`^urn:ngsi-ld:${e.type}:${city}:[A-Za-z0-9._~-]+$`));
          assert.ok(!seen.has(e.id), `duplicate id ${e.id}`);
          seen.add(e.id);
        }
      }
    });

    test('entities are normalized with an SDM context then the core context, all vendored', () => {
      for (const e of run.entities) {
        assert.deepEqual(e['@context'], [TYPE_CONTEXT[e.type], NGSI_LD_CORE_CONTEXT]);
        for (const [name, attr] of Object.entries(e)) {
          if (name === 'id' || name === 'type' || name === '@context') continue;
          const a = attr as NormalizedAttribute;
          assert.ok(['Property', 'GeoProperty', 'Relationship'].includes(a.type), `${e.id} ${name}`);
          if (a.type === 'Relationship') assert.ok(a.object, `${e.id} ${name} has no object`);
          else assert.notEqual(a.value, undefined, `${e.id} ${name} has no value`);
        }
      }
      for (const url of new Set(run.entities.map((e) => e['@context'][0]))) {
        assert.ok(existsSync(join(SMART_DATA_MODELS_DIR, SMART_DATA_MODEL_CONTEXTS[url])), url);
      }
    });

    test('modelled values are labelled, and the label names attributes the entity has', (t) => {
      let labelled = 0;
      for (const e of run.entities) {
        const label = e.dataProvenance as NormalizedAttribute | undefined;
        if (label?.value !== 'modelled') continue;
        labelled++;
        const names = (label.modelledAttributes as NormalizedAttribute).value as string[];
        assert.ok(names.length > 0);
        for (const n of names) assert.ok(n in e, `${e.id} labels missing attribute ${n}`);
        assert.ok(String((label.description as NormalizedAttribute).value).length > 10);
      }
      t.diagnostic(`${city}: ${labelled} entities carry modelled values`);
    });

    test('history rows are unique, belong to produced entities, and end in the entity value', (t) => {
      const byId = new Map(run.entities.map((e) => [e.id, e]));
      for (const [dataset, mapped] of run.byDataset) {
        if (mapped.history.length === 0) continue;
        t.diagnostic(`${city} ${dataset}: ${mapped.history.length} history rows`);
        const keys = new Set<string>();
        const last = new Map<string, { at: string; value: number }>();
        for (const r of mapped.history) {
          const key = `${r.entityId}|${r.attribute}|${r.observedAt}`;
          assert.ok(!keys.has(key), `duplicate history row ${key}`);
          keys.add(key);
          assert.ok(byId.has(r.entityId), `history for unknown ${r.entityId}`);
          assert.ok(Number.isFinite(r.value));
          assert.ok(!Number.isNaN(Date.parse(r.observedAt)), r.observedAt);
          const k = `${r.entityId}|${r.attribute}`;
          const prev = last.get(k);
          if (!prev || prev.at < r.observedAt) last.set(k, { at: r.observedAt, value: r.value });
        }
        for (const [k, { at, value }] of last) {
          const [id, attribute] = k.split('|');
          const attr = byId.get(id)![attribute] as NormalizedAttribute;
          assert.equal(attr.observedAt, at, k);
          assert.equal(attr.value, value, k);
        }
      }
    });
  });
}

describe('facts from the sources survive the mapping', () => {
  test('Leipzig: Ortsteile add up to the published 2023 population; city sums match', async () => {
    const config = loadCity('leipzig');
    const { entities, history } = await mapDataset(
      config,
      config.datasets.find((d) => d.id === 'districts')!,
    );
    const districts = entities.filter(
      (e) => (e.administrativeLevel as NormalizedAttribute).value === 'district',
    );
    assert.equal(districts.length, 63);
    const pop2023 = districts.reduce((s, e) => {
      const p = e.population as NormalizedAttribute;
      assert.equal(p.observedAt, '2023-12-31T00:00:00Z');
      return s + (p.value as number);
    }, 0);
    assert.equal(pop2023, 628_718);
    const cityEntity = entities.find((e) => (e.administrativeLevel as NormalizedAttribute).value === 'city')!;
    assert.equal((cityEntity.population as NormalizedAttribute).value, 628_718);
    assert.equal((cityEntity.installedCapacityPv as NormalizedAttribute).value, 185_177.675);
    const years = new Set(
      history
        .filter((r) => r.entityId === cityEntity.id && r.attribute === 'population')
        .map((r) => r.observedAt),
    );
    assert.equal(years.size, 24, 'population 2000..2023');
  });

  test('Leipzig: listed buildings and measured vs estimated heights', async () => {
    const { entities } = (await cityRun('leipzig')).byDataset.get('buildings')!;
    const listed = entities.filter((e) => (e.listedBuilding as NormalizedAttribute).value === true);
    assert.equal(listed.length, 732);
    const withHeight = entities.filter((e) => e.height);
    const estimated = withHeight.filter((e) =>
      (
        (e.dataProvenance as NormalizedAttribute | undefined)?.modelledAttributes as
          | NormalizedAttribute
          | undefined
      )?.value
        ?.toString()
        .includes('height'),
    );
    assert.equal(withHeight.length, 2525);
    assert.equal(withHeight.length - estimated.length, 195, 'heights mapped in OSM');
  });

  test('Bologna: loop counts keep the source totals and link to street segments', async () => {
    const config = loadCity('bologna');
    const { entities, history } = await mapDataset(
      config,
      config.datasets.find((d) => d.id === 'traffic-loops')!,
    );
    const counted = new Set(history.map((r) => r.entityId));
    assert.equal(counted.size, 84);
    // Loop-days × 24 hours, less the hour that does not exist on the switch to summer time.
    const csv = readFileSync(
      join(config.dir, config.datasets.find((d) => d.id === 'traffic-loops')!.files.counts),
      'utf8',
    );
    const days = csv
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.slice(0, 10));
    assert.equal(days.length, 3371);
    const onSwitch = days.filter((d) => d === '2024-03-31').length;
    assert.equal(history.length, days.length * 24 - onSwitch);
    const linked = entities.filter((e) => e.refRoadSegment).length;
    assert.ok(linked >= 800 && linked < entities.length, `${linked} loops linked to RIFTER arcs`);
  });
});
