import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  checkFleet,
  type FleetMix,
  fleetFromJson,
  fleetFromKbaStock,
  withEvShare,
} from '../../../src/models/emissions/index.ts';

const DATA = new URL('../../../data/emissions/', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, DATA), 'utf8');

test('the Leipzig fleet follows the KBA stock of 1 Jan 2019 by fuel and Euro group', () => {
  const fleet = fleetFromKbaStock(
    read('kba_pkw_bestand_by_district_fuel_euro_20190101.csv'),
    '14713',
    read('kba_fleet_mapping.csv'),
  );
  assert.match(fleet.name, /LEIPZIG, STADT/);
  // Benzin 164,475, Diesel 57,378, Gas 2,337, Hybrid 2,408, Elektro 608 (other fuels left out)
  const known = 164475 + 57378 + 2337 + 2408 + 608;
  assert.ok(Math.abs(fleet.electricShare - 608 / known) < 1e-15);
  const byFuel = (fuel: string) =>
    fleet.classes.filter((c) => c.fuel === fuel).reduce((s, c) => s + c.share, 0);
  assert.ok(Math.abs(byFuel('Diesel') - 57378 / known) < 1e-12);
  assert.ok(Math.abs(byFuel('Petrol') - 164475 / known) < 1e-12);
  const euro6 = fleet.classes
    .filter((c) => c.euroStandard.startsWith('Euro 6'))
    .reduce((s, c) => s + c.share, 0);
  const euroTotal = 2499 + 14624 + 18133 + 65991 + 61080 + 61578;
  // Hybrids before Euro 4 are mapped to Euro 4 (no earlier hybrid curve), so Euro 6 is exact.
  assert.ok(Math.abs(euro6 - (61578 / euroTotal) * (1 - 608 / known)) < 1e-12);
  const hybrid = fleet.classes.find((c) => c.fuel === 'Petrol Hybrid');
  assert.equal(hybrid?.proxies?.[0].pollutant, 'PM Exhaust');
  assert.equal(hybrid?.proxies?.[0].vehicleClass.fuel, 'Petrol');
  assert.throws(
    () =>
      fleetFromKbaStock(
        read('kba_pkw_bestand_by_district_fuel_euro_20190101.csv'),
        '99999',
        read('kba_fleet_mapping.csv'),
      ),
    /no registration district with KS '99999'/,
  );
});

test('an EV share scales every combustion class in proportion and keeps the total at 1', () => {
  const fleet: FleetMix = {
    name: 'two classes',
    electricShare: 0.1,
    classes: [
      {
        category: 'Passenger Cars',
        fuel: 'Petrol',
        segment: 'Medium',
        euroStandard: 'Euro 4',
        technology: 'PFI',
        share: 0.6,
      },
      {
        category: 'Passenger Cars',
        fuel: 'Diesel',
        segment: 'Medium',
        euroStandard: 'Euro 5',
        technology: 'DPF',
        share: 0.3,
      },
    ],
  };
  const ev = withEvShare(fleet, 0.55);
  assert.equal(ev.electricShare, 0.55);
  assert.ok(Math.abs(ev.classes[0].share - 0.3) < 1e-15);
  assert.ok(Math.abs(ev.classes[1].share - 0.15) < 1e-15);
  checkFleet(ev);
  assert.equal(fleet.classes[0].share, 0.6, 'the baseline fleet is not mutated');
  assert.throws(() => withEvShare(fleet, 1.2), /evShare must be in \[0, 1\]/);
  assert.throws(() => checkFleet({ ...fleet, electricShare: 0.2 }), /shares sum to 1.1/);
});

test('a fleet from JSON can mix cars, vans and buses, and is checked on entry', () => {
  const fleet = fleetFromJson({
    name: 'urban mix',
    electricShare: 0.05,
    classes: [
      {
        category: 'Passenger Cars',
        fuel: 'Diesel',
        segment: 'Medium',
        euroStandard: 'Euro 5',
        technology: 'DPF',
        share: 0.8,
      },
      {
        category: 'Light Commercial Vehicles',
        fuel: 'Diesel',
        segment: 'N1-III',
        euroStandard: 'Euro 6 2021+',
        technology: 'DPF+SCR',
        share: 0.1,
      },
      {
        category: 'Buses',
        fuel: 'Diesel',
        segment: 'Urban Buses Standard 15 - 18 t',
        euroStandard: 'Euro VI',
        technology: 'DPF+SCR',
        share: 0.05,
      },
    ],
  });
  assert.equal(fleet.classes.length, 3);
  assert.equal(fleet.classes[2].segment, 'Urban Buses Standard 15 - 18 t');
  assert.throws(
    () => fleetFromJson({ name: 'x', classes: [{ category: 'Passenger Cars', share: 1 }] }, 'f.json'),
    /f\.json: classes\[0\]\.fuel: expected the EEA label/,
  );
  assert.throws(
    () => fleetFromJson({ name: 'x', electricShare: 0, classes: [] }),
    /shares sum to 0, expected 1/,
  );
});
