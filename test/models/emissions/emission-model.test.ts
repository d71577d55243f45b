import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  compileFleetModel,
  type FleetMix,
  findCurve,
  fleetEmissionFactors,
  fleetFromJson,
  fleetFromKbaStock,
  hotEmissionFactor,
  linkEmissions,
  parseFuelCo2Factors,
  parseHotEmissionTable,
  roadTypeFromSpeed,
  withEvShare,
} from '../../../src/models/emissions/index.ts';

const DATA = new URL('../../../data/emissions/', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, DATA), 'utf8');
const table = parseHotEmissionTable(read('eea2019_hot_ef_subset.csv'));
const fuels = parseFuelCo2Factors(read('fuel_co2_factors.csv'));
const leipzig = () =>
  fleetFromKbaStock(
    read('kba_pkw_bestand_by_district_fuel_euro_20190101.csv'),
    '14713',
    read('kba_fleet_mapping.csv'),
  );

const DIESEL_E5 = {
  category: 'Passenger Cars',
  fuel: 'Diesel',
  segment: 'Medium',
  euroStandard: 'Euro 5',
  technology: 'DPF',
};
const PETROL_E4 = {
  category: 'Passenger Cars',
  fuel: 'Petrol',
  segment: 'Medium',
  euroStandard: 'Euro 4',
  technology: 'PFI',
};

test('a one-class fleet gives the source values: PC diesel Medium Euro 5 DPF at 50 km/h', () => {
  const fleet: FleetMix = { name: 'diesel', electricShare: 0, classes: [{ ...DIESEL_E5, share: 1 }] };
  const f = fleetEmissionFactors(compileFleetModel(table, fuels, fleet), 50, 0);
  // validation_checks.csv: NOx 0.5368 g/km, EC 1.96 MJ/km, CO2 145.2 g/km, PM 0.002121 g/km
  assert.ok(Math.abs(f.noxGPerKm - 0.5368) < 5e-5);
  assert.ok(Math.abs(f.ecMJPerKm - 1.96) < 5e-3);
  assert.ok(Math.abs(f.co2GPerKm - 145.2) < 0.05);
  assert.ok(Math.abs(f.pmGPerKm - 0.002121) < 5e-7);
});

test('road-mode rows are picked by road type: petrol Euro 4 PM differs between town and country', () => {
  const fleet: FleetMix = { name: 'petrol', electricShare: 0, classes: [{ ...PETROL_E4, share: 1 }] };
  const peak = compileFleetModel(table, fuels, fleet);
  const offPeak = compileFleetModel(table, fuels, fleet, { urban: 'Urban Off Peak' });
  assert.equal(fleetEmissionFactors(peak, 30, 0).pmGPerKm, 0.00128);
  assert.equal(fleetEmissionFactors(offPeak, 30, 0).pmGPerKm, 0.00128);
  assert.equal(fleetEmissionFactors(peak, 80, 1).pmGPerKm, 0.000836);
  assert.equal(fleetEmissionFactors(peak, 120, 2).pmGPerKm, 0.00119);
  assert.equal(roadTypeFromSpeed(50), 0);
  assert.equal(roadTypeFromSpeed(90), 1);
  assert.equal(roadTypeFromSpeed(130), 2);
});

test('fleet factors are the share-weighted sum of the class curves', () => {
  const fleet = leipzig();
  const model = compileFleetModel(table, fuels, fleet);
  let nox = 0;
  let co2 = 0;
  for (const c of fleet.classes) {
    nox += c.share * hotEmissionFactor(findCurve(table, c, 'NOx')!, 42);
    co2 +=
      c.share *
      hotEmissionFactor(findCurve(table, c, 'EC', { mode: 'Urban Peak' })!, 42) *
      fuels.get(c.fuel)!.co2GPerMJ;
  }
  const f = fleetEmissionFactors(model, 42, 0);
  assert.ok(Math.abs(f.noxGPerKm - nox) < 1e-12);
  assert.ok(Math.abs(f.co2GPerKm - co2) < 1e-9);
  // A Leipzig 2019 car in town: 150-200 g CO2/km and 0.2-0.4 g NOx/km are the plausible ranges of a mixed fleet.
  assert.ok(f.co2GPerKm > 150 && f.co2GPerKm < 200, `CO2 ${f.co2GPerKm}`);
  assert.ok(f.noxGPerKm > 0.1 && f.noxGPerKm < 0.4, `NOx ${f.noxGPerKm}`);
});

test('link emissions are flow × length × EF(congested speed), and an EV share cuts them by (1 − s)/(1 − s0)', () => {
  const fleet = leipzig();
  const model = compileFleetModel(table, fuels, fleet);
  const links = {
    lengthKm: [2, 0.5, 10],
    speedKmh: [30, 50, 110],
    flowVeh: [1000, 0, 400],
    roadType: [0, 0, 2],
  };
  const e = linkEmissions(model, links);
  assert.deepEqual([...e.vehicleKm], [2000, 0, 4000]);
  assert.ok(Math.abs(e.co2G[0] - 2000 * fleetEmissionFactors(model, 30, 0).co2GPerKm) < 1e-6);
  assert.ok(Math.abs(e.noxG[2] - 4000 * fleetEmissionFactors(model, 110, 2).noxGPerKm) < 1e-9);
  assert.equal(e.co2G[1], 0);
  const ev = linkEmissions(compileFleetModel(table, fuels, withEvShare(fleet, 0.4)), links);
  const expected = (1 - 0.4) / (1 - fleet.electricShare);
  for (let a = 0; a < 3; a++) {
    for (const k of ['co2G', 'noxG', 'pmG', 'ecMJ'] as const) {
      assert.ok(Math.abs(ev[k][a] - e[k][a] * expected) <= 1e-12 * e[k][a], `${k}[${a}]`);
    }
  }
  assert.throws(
    () => linkEmissions(model, { ...links, speedKmh: [30, 50, 0] }),
    /link 2: speed 0 km\/h is not positive/,
  );
});

test('a fleet class without a curve is rejected once, at compile time', () => {
  const fleet: FleetMix = {
    name: 'hybrid without proxy',
    electricShare: 0,
    classes: [
      {
        category: 'Passenger Cars',
        fuel: 'Petrol Hybrid',
        segment: 'Medium',
        euroStandard: 'Euro 5',
        technology: 'PFI',
        share: 1,
      },
    ],
  };
  assert.throws(() => compileFleetModel(table, fuels, fleet), /no PM Exhaust curve for Urban Peak/);
});

test('heavy vehicles go through the same model: an urban bus at 50 km/h gives the source values', () => {
  const fleet = fleetFromJson({
    name: 'buses',
    electricShare: 0,
    classes: [
      {
        category: 'Buses',
        fuel: 'Diesel',
        segment: 'Urban Buses Standard 15 - 18 t',
        euroStandard: 'Euro VI',
        technology: 'DPF+SCR',
        share: 1,
      },
    ],
  });
  const f = fleetEmissionFactors(compileFleetModel(table, fuels, fleet), 50, 0);
  // validation_checks.csv, slope 0, load 0.5: NOx 0.2033 g/km, CO2 685.8 g/km, PM 0.003327 g/km
  assert.ok(Math.abs(f.noxGPerKm - 0.2033) < 5e-5);
  assert.ok(Math.abs(f.co2GPerKm - 685.8) < 0.05);
  assert.ok(Math.abs(f.pmGPerKm - 0.003327) < 5e-7);
});
