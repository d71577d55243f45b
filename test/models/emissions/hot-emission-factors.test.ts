import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  findCurve,
  type HotEmissionTable,
  hotEmissionFactor,
  mergeTables,
  parseCsv,
  parseFuelCo2Factors,
  parseHotEmissionTable,
} from '../../../src/models/emissions/index.ts';

const DATA = new URL('../../../data/emissions/', import.meta.url);
const SHARED = new URL('../../../../shared/data/emissions/', import.meta.url);
const read = (base: URL, name: string) => readFileSync(new URL(name, base), 'utf8');

/** Half a unit of the last digit the validation table shows: "0.5368" → 5e-5, "1036" → 0.5. */
function displayTolerance(text: string): number {
  const [mantissa, exp] = text.toLowerCase().split('e');
  const decimals = (mantissa.split('.')[1] ?? '').length - (exp ? Number(exp) : 0);
  return 0.5 * 10 ** -decimals * (1 + 1e-9);
}

const SPEEDS = [20, 50, 90, 120];

/** Checks every validation row whose curve the table holds; returns how many values were checked. */
function checkValidationRows(table: HotEmissionTable): { checked: number; failures: string[] } {
  const fuels = parseFuelCo2Factors(read(DATA, 'fuel_co2_factors.csv'));
  const v = parseCsv(read(DATA, 'validation_checks.csv'));
  const col = (name: string) => v.header.indexOf(name);
  const failures: string[] = [];
  let checked = 0;
  for (const { fields, line } of v.rows) {
    const cls = {
      category: fields[col('Category')],
      fuel: fields[col('Fuel')],
      segment: fields[col('Segment')],
      euroStandard: fields[col('EuroStandard')],
      technology: fields[col('Technology')],
    };
    const pollutantField = fields[col('Pollutant')];
    const isCo2 = pollutantField.startsWith('CO2');
    const pollutant = isCo2 ? 'EC' : pollutantField;
    const mode = fields[col('Mode')];
    const slope = fields[col('RoadSlope')];
    const load = fields[col('Load')];
    const curve = findCurve(table, cls, pollutant, {
      mode: mode === '' ? undefined : (mode as 'Rural'),
      roadSlope: slope === '' ? undefined : Number(slope),
      load: load === '' ? undefined : Number(load),
    });
    if (!curve) continue;
    if (mode !== '' && curve.mode !== mode) failures.push(`line ${line}: found mode '${curve.mode}'`);
    const factor = isCo2 ? fuels.get(cls.fuel)!.co2GPerMJ : 1;
    if (isCo2)
      assert.match(pollutantField, new RegExp(`x ${factor} g/MJ`), `line ${line}: CO2 factor of ${cls.fuel}`);
    SPEEDS.forEach((speed) => {
      const text = fields[col(`EF_${speed}kmh`)];
      const expected = Number(text);
      const got = hotEmissionFactor(curve, speed) * factor;
      checked++;
      if (!(Math.abs(got - expected) <= displayTolerance(text))) {
        failures.push(`line ${line} ${pollutantField} at ${speed} km/h: ${got} vs ${text}`);
      }
    });
  }
  return { checked, failures };
}

test('the shipped subset reproduces the EEA validation values of EC, CO2, NOx and PM to the digits shown', () => {
  const table = parseHotEmissionTable(read(DATA, 'eea2019_hot_ef_subset.csv'));
  const { checked, failures } = checkValidationRows(table);
  assert.deepEqual(failures, []);
  // 62 of the 90 rows are EC, CO2, NOx or PM Exhaust, 4 speeds each.
  assert.equal(checked, 62 * 4);
});

test('the full EEA tables reproduce every validation value (when ../shared is present)', (t) => {
  const light = new URL('eea2019_hot_ef_light_vehicles.csv', SHARED);
  if (!existsSync(light)) {
    t.skip('../shared/data/emissions not present');
    return;
  }
  const table = mergeTables(
    parseHotEmissionTable(read(SHARED, 'eea2019_hot_ef_light_vehicles.csv')),
    parseHotEmissionTable(read(SHARED, 'eea2019_hot_ef_heavy_vehicles.csv')),
  );
  assert.equal(table.curves.length, 4497 + 21269);
  const { checked, failures } = checkValidationRows(table);
  assert.deepEqual(failures, []);
  assert.equal(checked, 90 * 4);
});

const HEADER =
  'Category,Fuel,Segment,EuroStandard,Technology,Pollutant,Mode,RoadSlope,Load,MinSpeed_kmh,MaxSpeed_kmh,Alpha,Beta,Gamma,Delta,Epsilon,Zita,Hta,ReductionFactor,Unit,SpeedRangeSource';

test('speed is clamped to the valid range, negative factors to 0, and a zero denominator is no factor', () => {
  const table = parseHotEmissionTable(
    [
      HEADER,
      // EF = V / 10 on 10..100 km/h, with a 20 % reduction
      'Passenger Cars,Petrol,Medium,Euro 4,PFI,NOx,,,,10,100,0,0.1,0,0,0,0,1,0.2,g/km,A',
      // EF = -1 everywhere
      'Buses,Diesel,"Urban Buses Standard 15 - 18 t",Euro VI,DPF+SCR,NOx,,0,0.5,5,85,0,0,-1,0,0,0,1,0,g/km,A',
      'Buses,CNG,Urban CNG Buses,Euro VI,,NH3,Rural,0,0.5,12,86,0,0,1,0,0,0,0,0,g/km,A',
    ].join('\n'),
  );
  const [linear, negative, noFactor] = table.curves;
  assert.equal(negative.segment, 'Urban Buses Standard 15 - 18 t');
  assert.ok(Math.abs(hotEmissionFactor(linear, 50) - 4) < 1e-12);
  assert.ok(Math.abs(hotEmissionFactor(linear, 5) - 0.8) < 1e-12);
  assert.ok(Math.abs(hotEmissionFactor(linear, 130) - 8) < 1e-12);
  assert.equal(hotEmissionFactor(negative, 50), 0);
  assert.ok(Number.isNaN(hotEmissionFactor(noFactor, 50)));
});

test('mode-less curves win over road-mode rows; heavy vehicles default to slope 0 and load 0.5', () => {
  const table = parseHotEmissionTable(
    [
      HEADER,
      'Passenger Cars,Petrol,Medium,Euro 4,PFI,PM Exhaust,Urban Peak,,,10,130,0,0,0.00128,0,0,0,1,0,g/km,A',
      'Passenger Cars,Petrol,Medium,Euro 4,PFI,PM Exhaust,Rural,,,10,130,0,0,0.000836,0,0,0,1,0,g/km,A',
      'Heavy Duty Trucks,Diesel,Rigid 12 - 14 t,Euro VI,DPF+SCR,NOx,,0,0.5,5,85,0,0,2,0,0,0,1,0,g/km,A',
      'Heavy Duty Trucks,Diesel,Rigid 12 - 14 t,Euro VI,DPF+SCR,NOx,,0.02,0.5,5,85,0,0,3,0,0,0,1,0,g/km,A',
    ].join('\n'),
  );
  const car = {
    category: 'Passenger Cars',
    fuel: 'Petrol',
    segment: 'Medium',
    euroStandard: 'Euro 4',
    technology: 'PFI',
  };
  assert.equal(findCurve(table, car, 'PM Exhaust'), undefined);
  assert.equal(findCurve(table, car, 'PM Exhaust', { mode: 'Rural' })?.gamma, 0.000836);
  const truck = {
    category: 'Heavy Duty Trucks',
    fuel: 'Diesel',
    segment: 'Rigid 12 - 14 t',
    euroStandard: 'Euro VI',
    technology: 'DPF+SCR',
  };
  assert.equal(findCurve(table, truck, 'NOx')?.gamma, 2);
  assert.equal(findCurve(table, truck, 'NOx', { roadSlope: 0.02 })?.gamma, 3);
});

test('bad tables are rejected with file and line', () => {
  assert.throws(
    () => parseHotEmissionTable('Category,Fuel\nx,y\n', 'ef.csv'),
    /ef\.csv: missing column\(s\) Segment/,
  );
  assert.throws(
    () =>
      parseHotEmissionTable(
        `${HEADER}\nPassenger Cars,Petrol,Medium,Euro 4,PFI,NOx,,,,10,100,0,abc,0,0,0,0,1,0,g/km,A\n`,
        'ef.csv',
      ),
    /ef\.csv: line 2: Beta: not a number: 'abc'/,
  );
  assert.throws(
    () =>
      parseHotEmissionTable(
        `${HEADER}\nPassenger Cars,Petrol,Medium,Euro 4,PFI,NOx,Downtown,,,10,100,0,0,0,0,0,0,1,0,g/km,A\n`,
      ),
    /line 2: unknown Mode 'Downtown'/,
  );
  const row = 'Passenger Cars,Petrol,Medium,Euro 4,PFI,NOx,,,,10,100,0,0,0,0,0,0,1,0,g/km,A';
  assert.throws(() => parseHotEmissionTable(`${HEADER}\n${row}\n${row}\n`), /line 3: duplicate curve/);
  assert.throws(
    () => parseCsv('a,b\n1,"2\n', 'x.csv'),
    /x\.csv: unterminated quoted field starting on line 2/,
  );
  assert.throws(() => parseCsv('a,b\n1,2,3\n', 'x.csv'), /x\.csv: line 2: expected 2 fields, got 3/);
});

test('IPCC 2006 Table 3.2.1 CO2 factors are read per EEA fuel label', () => {
  const fuels = parseFuelCo2Factors(read(DATA, 'fuel_co2_factors.csv'));
  assert.equal(fuels.get('Petrol')?.co2GPerMJ, 69.3);
  assert.equal(fuels.get('Petrol Hybrid')?.co2GPerMJ, 69.3);
  assert.equal(fuels.get('Diesel')?.co2GPerMJ, 74.1);
  assert.equal(fuels.get('LPG Bifuel ~ LPG')?.co2GPerMJ, 63.1);
  assert.equal(fuels.get('CNG')?.co2GPerMJ, 56.1);
  assert.equal(fuels.get('Biodiesel')?.biogenic, true);
  assert.equal(fuels.get('Diesel')?.biogenic, false);
});
