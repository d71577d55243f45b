import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import jsonld from 'jsonld';
import { Parser, type Quad, Store } from 'n3';
import SHACLValidator from 'rdf-validate-shacl';
import {
  type DcatCatalogDescription,
  dcatCatalogQuads,
  toJsonLd,
  toTurtle,
} from '../../src/dataspace/index.ts';

const FIXTURES = join(import.meta.dirname, '../fixtures/dcat-ap');
const EU = 'http://publications.europa.eu/resource/authority';

/** DCAT-AP 3.0.1 consolidated shapes plus the range (class-of-object) shapes, for strict validation. */
function shapes(): Store {
  const store = new Store();
  for (const f of ['dcat-ap-SHACL.ttl', 'ranges.ttl']) {
    store.addQuads(new Parser().parse(readFileSync(join(FIXTURES, f), 'utf8')));
  }
  return store;
}

async function violations(quads: Quad[]): Promise<string[]> {
  const validator = new SHACLValidator(shapes());
  const report = await validator.validate(new Store(quads));
  return report.results
    .filter((r) => r.severity?.value === 'http://www.w3.org/ns/shacl#Violation')
    .map((r) => `${r.focusNode?.value} ${r.path?.value}: ${r.message.map((m) => m.value).join(' ')}`);
}

function leipzig(): DcatCatalogDescription {
  const publisher = { id: 'https://leipzig.twinbox.example/#city', name: 'Stadt Leipzig' };
  const contactPoint = {
    id: 'https://leipzig.twinbox.example/#data-team',
    name: 'Open data team',
    email: 'opendata@leipzig.example',
  };
  return {
    id: 'https://leipzig.twinbox.example/catalog',
    title: 'Leipzig digital twin catalogue',
    description: 'Datasets the Leipzig twin offers to the federation.',
    publisher,
    contactPoint,
    homepage: 'https://leipzig.twinbox.example/',
    languages: [`${EU}/language/DEU`, `${EU}/language/ENG`],
    license: `${EU}/licence/CC_BY_4_0`,
    issued: '2025-01-15',
    modified: '2025-05-01T08:00:00Z',
    services: [
      {
        id: 'https://leipzig.twinbox.example/dsp',
        title: 'Dataspace Protocol endpoint',
        endpointURL: 'https://leipzig.twinbox.example/dsp',
      },
    ],
    datasets: [
      {
        id: 'https://leipzig.twinbox.example/dataset/ev-charging',
        title: 'EV charging stations',
        description: 'Public charging points with live availability (NGSI-LD EVChargingStation).',
        keywords: ['mobility', 'electric vehicles'],
        themes: [
          { id: `${EU}/data-theme/TRAN`, label: 'Transport' },
          { id: `${EU}/data-theme/ENER`, label: 'Energy' },
        ],
        spatial: ['https://sws.geonames.org/2879139/'],
        temporal: { start: '2024-01-01', end: '2025-12-31' },
        issued: '2025-01-15',
        publisher,
        contactPoint,
        license: `${EU}/licence/CC_BY_4_0`,
        distributions: [
          {
            id: 'https://leipzig.twinbox.example/dataset/ev-charging/ngsi-ld',
            title: 'NGSI-LD API',
            accessURL: 'https://leipzig.twinbox.example/ngsi-ld/v1/entities?type=EVChargingStation',
            format: `${EU}/file-type/JSON_LD`,
            mediaType: 'https://www.iana.org/assignments/media-types/application/ld+json',
            accessService: 'https://leipzig.twinbox.example/dsp',
          },
        ],
        offers: [
          {
            '@id': 'https://leipzig.twinbox.example/offer/ev-charging-mobility',
            '@type': 'Offer',
            permission: [
              {
                action: 'use',
                constraint: [
                  {
                    and: [
                      { leftOperand: 'purpose', operator: 'eq', rightOperand: 'mobility-planning' },
                      {
                        leftOperand: 'dateTime',
                        operator: 'lt',
                        rightOperand: { '@value': '2026-01-01T00:00:00Z', '@type': 'xsd:dateTime' },
                      },
                    ],
                  },
                ],
              },
            ],
            prohibition: [{ action: 'distribute' }],
          },
        ],
      },
    ],
  };
}

test('the DCAT-AP 3.0.1 shapes catch an incomplete catalogue', async () => {
  const quads = dcatCatalogQuads(leipzig()).filter(
    (q) => q.predicate.value !== 'http://purl.org/dc/terms/title' || !q.subject.value.endsWith('/catalog'),
  );
  const v = await violations(quads);
  assert.ok(
    v.some((x) => x.includes('/catalog http://purl.org/dc/terms/title')),
    v.join('\n'),
  );
});

test('the catalogue exported as Turtle has zero SHACL violations against DCAT-AP 3.0.1', async () => {
  const turtle = toTurtle(dcatCatalogQuads(leipzig()));
  assert.match(turtle, /@prefix dcat: <http:\/\/www.w3.org\/ns\/dcat#>/);
  const parsed = new Parser().parse(turtle);
  assert.equal(parsed.length, dcatCatalogQuads(leipzig()).length);
  assert.deepEqual(await violations(parsed), []);
});

test('the JSON-LD export is the same graph and has zero SHACL violations', async () => {
  const quads = dcatCatalogQuads(leipzig());
  const doc = toJsonLd(quads);
  const nquads = (await jsonld.toRDF(doc as jsonld.JsonLdDocument, {
    format: 'application/n-quads',
  })) as unknown as string;
  const fromJsonLd = new Parser({ format: 'N-Quads' }).parse(nquads);
  // Blank-node labels differ between serialisations, so compare the triples with blank nodes unnamed.
  const name = (t: Quad['subject'] | Quad['object']) =>
    t.termType === 'BlankNode'
      ? '_'
      : t.termType === 'Literal'
        ? `"${t.value}"@${t.language}^^${t.datatype.value}`
        : t.value;
  const canon = (qs: Quad[]) =>
    qs
      .map((q) => `${name(q.subject)} ${q.predicate.value} ${name(q.object)}`)
      .sort()
      .join('\n');
  assert.equal(canon(fromJsonLd), canon(quads));
  assert.deepEqual(await violations(fromJsonLd), []);
});

test('each dataset carries its ODRL offer as hasPolicy', () => {
  const store = new Store(dcatCatalogQuads(leipzig()));
  const policies = store.getObjects(
    'https://leipzig.twinbox.example/dataset/ev-charging',
    'http://www.w3.org/ns/odrl/2/hasPolicy',
    null,
  );
  assert.deepEqual(
    policies.map((p) => p.value),
    ['https://leipzig.twinbox.example/offer/ev-charging-mobility'],
  );
  const ops = store.getObjects(null, 'http://www.w3.org/ns/odrl/2/leftOperand', null).map((o) => o.value);
  assert.deepEqual(ops.sort(), [
    'http://www.w3.org/ns/odrl/2/dateTime',
    'http://www.w3.org/ns/odrl/2/purpose',
  ]);
});
