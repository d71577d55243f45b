import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Parser, type Quad, Store } from 'n3';
import SHACLValidator from 'rdf-validate-shacl';
import { dcatCatalogQuads, dspCatalog } from '../../../src/dataspace/index.ts';
import { CITIES_DIR } from '../../../src/twin/cities/index.ts';
import {
  catalogueDescription,
  loadPublication,
  parsePublication,
} from '../../../src/twin/dataspace/index.ts';
import { dspValidator } from './helpers.ts';

const FIXTURES = join(import.meta.dirname, '../../fixtures/dcat-ap');

async function violations(quads: Quad[]): Promise<string[]> {
  const shapes = new Store();
  for (const f of ['dcat-ap-SHACL.ttl', 'ranges.ttl'])
    shapes.addQuads(new Parser().parse(readFileSync(join(FIXTURES, f), 'utf8')));
  const report = await new SHACLValidator(shapes).validate(new Store(quads));
  return report.results
    .filter((r) => r.severity?.value === 'http://www.w3.org/ns/shacl#Violation')
    .map((r) => `${r.focusNode?.value} ${r.path?.value}: ${r.message.map((m) => m.value).join(' ')}`);
}

for (const city of ['leipzig', 'bologna']) {
  test(`${city}: publish.json gives a DSP catalogue that validates and a DCAT-AP export with no SHACL violation`, async () => {
    const p = loadPublication({
      dataDir: join(CITIES_DIR, city, 'no-such-folder'),
      cityDir: join(CITIES_DIR, city),
      cityId: city,
    });
    assert.equal(p.participant, city);
    const ev = p.datasets.find((d) => d.name === 'ev-charging');
    assert.deepEqual(ev?.entityTypes, ['EVChargingStation']);
    assert.ok(ev?.offers.some((o) => JSON.stringify(o).includes('"mobility planning"')));
    const description = catalogueDescription(p, 'http://127.0.0.1:1026', 'http://127.0.0.1:1026/dsp');
    assert.equal(
      dspValidator()('catalog/catalog-schema.json', dspCatalog(description, 'did:web:127.0.0.1%3A1026')),
      undefined,
    );
    assert.deepEqual(await violations(dcatCatalogQuads(description)), []);
  });
}

test('the governance settings: Leipzig is the authority and approves Bologna; Bologna names Leipzig', () => {
  const l = loadPublication({
    dataDir: join(CITIES_DIR, 'no-such-folder'),
    cityDir: join(CITIES_DIR, 'leipzig'),
    cityId: 'leipzig',
  });
  const b = loadPublication({
    dataDir: join(CITIES_DIR, 'no-such-folder'),
    cityDir: join(CITIES_DIR, 'bologna'),
    cityId: 'bologna',
  });
  assert.deepEqual(l.governance, { authority: 'self', approve: ['bologna'] });
  assert.equal(b.governance.authority, 'leipzig');
});

test('a bad publish.json is refused at start-up with the field at fault', () => {
  assert.throws(
    () =>
      parsePublication(
        { datasets: [{ name: 'x', title: 't', description: 'd', entityTypes: [] }] },
        'p.json',
      ),
    /datasets\[0\]\.entityTypes/,
  );
  assert.throws(
    () =>
      parsePublication(
        {
          datasets: [
            {
              name: 'x',
              title: 't',
              description: 'd',
              entityTypes: ['T'],
              offers: [
                {
                  name: 'o',
                  permission: [
                    {
                      action: 'use',
                      constraint: [{ leftOperand: 'purpose', operator: 'like', rightOperand: 'x' }],
                    },
                  ],
                },
              ],
            },
          ],
        },
        'p.json',
      ),
    /unknown operator like/,
  );
  assert.throws(() => parsePublication({ accessTokenTtlS: 0 }, 'p.json'), /accessTokenTtlS/);
  const defaults = parsePublication({}, 'p.json', 'leipzig');
  assert.deepEqual(defaults.governance, { authority: 'self', approve: [] });
  assert.deepEqual(defaults.datasets, []);
});
