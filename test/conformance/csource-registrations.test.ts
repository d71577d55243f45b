/**
 * ETSI NGSI-LD conformance, ContextSource/Registration (033–035) and ContextSource/Discovery
 * (036–037), re-expressed from the suite's data (etsi-csr-data) with its test-case ids: register,
 * update and delete registrations, retrieve them with and without a @context, and query them by
 * type, attributes, q, ids, csf, geo-query, temporal query and pages.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import {
  Client,
  dataJson,
  dataText,
  ERR,
  expectProblem,
  JSON_CT,
  type JsonObject,
  LD,
  link,
  newId,
  payload,
  type Res,
  SUITE_CONTEXT,
} from '../broker/registrations/csr-harness.ts';
import { deepDiff, type Json } from './etsi-diff.ts';

const PREFIX = 'urn:ngsi-ld:ContextSourceRegistration:';
const CSR = 'csourceRegistrations';
const CORE = 'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld';

let shared: Promise<Client> | undefined;
after(async () => {
  if (shared) await (await shared).close();
});
const client = () => (shared ??= Client.create());

/** Each query test gets a broker of its own: query results depend on everything registered. */
async function isolated(fn: (c: Client) => Promise<void>): Promise<void> {
  const c = await Client.create();
  try {
    await fn(c);
  } finally {
    await c.close();
  }
}

async function register(c: Client, file: string, id = newId(PREFIX)): Promise<string> {
  const res = await c.send('POST', `/${CSR}`, payload(`csourceRegistrations/${file}`, id));
  assert.equal(res.status, 201, res.text);
  return id;
}

function retrieve(c: Client, id: string, context?: string): Promise<Res> {
  return c.send(
    'GET',
    `/${CSR}/${encodeURIComponent(id)}`,
    undefined,
    context ? { link: link(context) } : {},
  );
}

function expectation(file: string, id?: string): Json {
  const e = dataJson<Json>(`csourceRegistrations/expectations/${file}`);
  if (id !== undefined && !Array.isArray(e) && e !== null && typeof e === 'object') (e as JsonObject).id = id;
  return e;
}

function expectSame(expected: Json, actual: unknown, exclude: RegExp[] = []): void {
  const diff = deepDiff(expected, actual, { exclude: [/\['@context'\]$/, ...exclude] });
  assert.deepEqual(diff, [], `response differs:\n  ${diff.join('\n  ')}`);
}

/** Query expectations list registrations without their defaulted mode and operations. */
const QUERY_EXCLUDE = [/\['(mode|operations|id)'\]$/];

function ids(res: Res): string[] {
  assert.equal(res.status, 200, res.text);
  return (res.body as JsonObject[]).map((r) => r.id as string).sort();
}

function query(
  c: Client,
  params: Record<string, string>,
  context: string | undefined = SUITE_CONTEXT,
): Promise<Res> {
  return c.send(
    'GET',
    `/${CSR}?${new URLSearchParams(params)}`,
    undefined,
    context ? { link: link(context) } : {},
  );
}

// 033 Register Context Source ------------------------------------------------------------------

test('033_01_01 Create Context Source Registration Without Mode And Operation', async () => {
  const c = await client();
  const id = await register(c, 'context-source-registration.jsonld');
  const res = await retrieve(c, id, SUITE_CONTEXT);
  expectSame(expectation('context-source-registration.json', id), res.body);
});

test('033_01_02 Create Context Source Registration With Non Default Mode And Operations', async () => {
  const c = await client();
  const id = await register(c, 'context-source-registration-with-mode-and-operations.jsonld');
  const body = (await retrieve(c, id, SUITE_CONTEXT)).body as JsonObject;
  assert.equal(body.mode, 'exclusive');
  assert.deepEqual(body.operations, ['queryEntity', 'queryTemporal', 'updateOps']);
});

test('033_01_03 Create Context Source Registration With Location', async () => {
  const c = await client();
  const id = await register(c, 'context-source-registration-location.jsonld');
  const body = (await retrieve(c, id, SUITE_CONTEXT)).body as JsonObject;
  assert.deepEqual(body.location, { type: 'Point', coordinates: [-8.521, 41.2] });
});

test('033_01_04 Create Context Source Registration With Specific Date Expiration Date', async () => {
  const c = await client();
  const id = await register(c, 'context-source-registration-with-expiration.jsonld');
  assert.equal(((await retrieve(c, id, SUITE_CONTEXT)).body as JsonObject).expiresAt, '2035-11-29T14:53:15Z');
});

test('033_02_01 Create A Context Source Registration With Invalid Content', async () => {
  const c = await client();
  const res = await c.send(
    'POST',
    `/${CSR}`,
    payload('csourceRegistrations/context-source-registration-invalid.jsonld', newId(PREFIX)),
  );
  expectProblem(res, 400, 'BadRequestData');
});

test('033_03_01 Create A Context Source Registration That Already Exists', async () => {
  const c = await client();
  const id = await register(c, 'context-source-registration.jsonld');
  const res = await c.send(
    'POST',
    `/${CSR}`,
    payload('csourceRegistrations/context-source-registration.jsonld', id),
  );
  expectProblem(res, 409, 'AlreadyExists');
});

/** The payload (context-source-registration.json) registers entities of one type: as the response names it. */
function entityType(res: Res): unknown {
  assert.equal(res.status, 200, res.text);
  const info = (res.body as { information: Array<{ entities: Array<{ type: unknown }> }> }).information;
  return info[0].entities[0].type;
}

async function createJsonWithLink(c: Client): Promise<string> {
  const id = newId(PREFIX);
  const res = await c.send(
    'POST',
    `/${CSR}`,
    payload('csourceRegistrations/context-source-registration.json', id),
    {
      'content-type': JSON_CT,
      link: link(SUITE_CONTEXT),
    },
  );
  assert.equal(res.status, 201, res.text);
  return id;
}

test('033_04_01 Create One Context Source Registration Using A Provided Link Header With JSON Content Type With Context', async () => {
  const c = await client();
  const id = await createJsonWithLink(c);
  assert.equal(entityType(await retrieve(c, id, SUITE_CONTEXT)), 'Building');
});

test('033_04_02 Create One Context Source Registration Using A Provided Link Header With JSON Content Type Without Context', async () => {
  const c = await client();
  const id = await createJsonWithLink(c);
  assert.equal(entityType(await retrieve(c, id)), 'https://ngsi-ld-test-suite/context#Building');
});

async function createJsonDefault(c: Client): Promise<string> {
  const id = newId(PREFIX);
  const res = await c.send(
    'POST',
    `/${CSR}`,
    payload('csourceRegistrations/context-source-registration.json', id),
    { 'content-type': JSON_CT },
  );
  assert.equal(res.status, 201, res.text);
  return id;
}

test('033_05_01 Create One Context Source Registration Using The Default Context With JSON Content Type With Context', async () => {
  const c = await client();
  const id = await createJsonDefault(c);
  assert.equal(entityType(await retrieve(c, id, CORE)), 'Building');
});

test('033_05_02 Create One Context Source Registration Using The Default Context With JSON Content Type Without Context', async () => {
  const c = await client();
  const id = await createJsonDefault(c);
  const res = await retrieve(c, id);
  assert.equal(entityType(res), 'Building');
  assert.equal((res.body as JsonObject).endpoint, 'http://my.csource.org:1026');
});

test('033_06_01 Create One Context Source Registration Containing A JSON-LD @context With A JSON Content Type', async () => {
  const c = await client();
  const res = await c.send(
    'POST',
    `/${CSR}`,
    payload('csourceRegistrations/context-source-registration.jsonld', newId(PREFIX)),
    { 'content-type': JSON_CT },
  );
  expectProblem(res, 400, 'BadRequestData');
});

test('033_07_01 Create One Context Source Registration Using A JSON-LD @context Obtained From The Request Payload With Context', async () => {
  const c = await client();
  const id = await register(c, 'context-source-registration.jsonld');
  expectSame(
    expectation('context-source-registration.json', id),
    (await retrieve(c, id, SUITE_CONTEXT)).body,
  );
});

test('033_07_02 Create One Context Source Registration Using A JSON-LD @context Obtained From The Request Payload Without Context', async () => {
  const c = await client();
  const id = await register(c, 'context-source-registration.jsonld');
  expectSame(
    expectation('context-source-registration-expanded-format.json', id),
    (await retrieve(c, id)).body,
  );
});

test('033_08_01 Create One Context Source Registration Not Containing A JSON-LD @context With A JSON-LD Content Type', async () => {
  const c = await client();
  const res = await c.send(
    'POST',
    `/${CSR}`,
    payload('csourceRegistrations/context-source-registration.json', newId(PREFIX)),
    { 'content-type': LD },
  );
  expectProblem(res, 400, 'BadRequestData');
});

test('033_09_01 Create One Context Source Registration With A Link Header And A JSON-LD Content Type', async () => {
  const c = await client();
  const res = await c.send(
    'POST',
    `/${CSR}`,
    payload('csourceRegistrations/context-source-registration.jsonld', newId(PREFIX)),
    {
      'content-type': LD,
      link: link(SUITE_CONTEXT),
    },
  );
  expectProblem(res, 400, 'BadRequestData');
});

test('033_10_01 Create A Context Source Registration With A Different Data Structure Than CSourceRegistration Data Type', async () => {
  const c = await client();
  const res = await c.send(
    'POST',
    `/${CSR}`,
    payload('csourceRegistrations/context-source-registration-invalid-structure.jsonld', newId(PREFIX)),
  );
  expectProblem(res, 400, 'BadRequestData');
});

test('033_10_02 Create A Context Source Registration With A Date In The Past', async () => {
  const c = await client();
  const res = await c.send(
    'POST',
    `/${CSR}`,
    payload('csourceRegistrations/context-source-registration-past-expiration.jsonld', newId(PREFIX)),
  );
  expectProblem(res, 400, 'BadRequestData');
});

test('033_11 Create Context Source Registration Without Specifying An ID', async () => {
  const c = await client();
  const res = await c.send(
    'POST',
    `/${CSR}`,
    dataJson('csourceRegistrations/context-source-registration-no-id.jsonld'),
  );
  assert.equal(res.status, 201, res.text);
  const location = String(res.headers.location);
  assert.match(
    decodeURIComponent(location),
    /\/csourceRegistrations\/urn:ngsi-ld:ContextSourceRegistration:/,
  );
  assert.equal((await c.send('GET', location.replace('/ngsi-ld/v1', ''))).status, 200);
});

// 034 Update Context Source Registration ---------------------------------------------------------

function patch(c: Client, id: string, body: unknown, contentType = JSON_CT): Promise<Res> {
  return c.send('PATCH', `/${CSR}/${encodeURIComponent(id)}`, body, { 'content-type': contentType });
}

test('034_01_01 Update A Context Source Registration By Id', async () => {
  const c = await client();
  const id = await register(c, 'context-source-registration.jsonld');
  const res = await patch(
    c,
    id,
    dataJson('csourceRegistrations/fragments/context-source-registration-update.json'),
  );
  assert.equal(res.status, 204, res.text);
  assert.equal(
    ((await retrieve(c, id, SUITE_CONTEXT)).body as JsonObject).endpoint,
    'http://my.new.csource.org:1026',
  );
});

test('034_02_01 Update A Context Source Registration By Id If The Id Is Not A Valid URI', async () => {
  const c = await client();
  expectProblem(
    await patch(
      c,
      'invalidUri',
      dataJson('csourceRegistrations/fragments/context-source-registration-update.json'),
    ),
    400,
    'BadRequestData',
  );
});

test('034_02_02 Update A Context Source Registration If The Request Body Is Not Of The Same Data Type', async () => {
  const c = await client();
  const id = await register(c, 'context-source-registration.jsonld');
  const body = payload(
    'csourceRegistrations/fragments/context-source-registration-different-type.jsonld',
    id,
  );
  expectProblem(await patch(c, id, body, LD), 400, 'BadRequestData');
});

test('034_02_03 Update A Context Source Registration If One Attempts To Remove A Mandatory Property', async () => {
  const c = await client();
  const id = await register(c, 'context-source-registration.jsonld');
  const body = payload('csourceRegistrations/context-source-registration-invalid.jsonld', id);
  expectProblem(await patch(c, id, body, LD), 400, 'BadRequestData');
});

test('034_03_01 Update A Context Source Registration By Id If The Id Is Not Known To The System', async () => {
  const c = await client();
  expectProblem(
    await patch(
      c,
      newId(PREFIX),
      dataJson('csourceRegistrations/fragments/context-source-registration-update.json'),
    ),
    404,
    'ResourceNotFound',
  );
});

test('034_04_01 Update A Context Source Registration If The Request Body Is Invalid', async () => {
  const c = await client();
  const id = await register(c, 'context-source-registration.jsonld');
  expectProblem(
    await patch(c, id, dataText('csourceRegistrations/context-source-registration-invalid-json.json')),
    400,
    'InvalidRequest',
  );
});

test('034_05_01 Update A Context Source Registration To Never Expire', async () => {
  const c = await client();
  const id = await register(c, 'context-source-registration-with-expiration.jsonld');
  assert.equal(
    (
      await patch(
        c,
        id,
        dataJson('csourceRegistrations/fragments/context-source-registration-null-expiresAt.json'),
      )
    ).status,
    204,
  );
  assert.equal(((await retrieve(c, id, SUITE_CONTEXT)).body as JsonObject).expiresAt, undefined);
});

test('034_06_01 Update A Context Source Registration By Id If The Id Is Not Present', async () => {
  const c = await client();
  const res = await c.send(
    'PATCH',
    `/${CSR}/`,
    dataJson('csourceRegistrations/fragments/context-source-registration-update.json'),
  );
  expectProblem(res, 400, 'BadRequestData');
});

// 035 Delete Context Source Registration ---------------------------------------------------------

test('035_01_01 Delete A Context Source Registration By Id', async () => {
  const c = await client();
  const id = await register(c, 'context-source-registration.jsonld');
  assert.equal((await c.send('DELETE', `/${CSR}/${encodeURIComponent(id)}`)).status, 204);
  expectProblem(await retrieve(c, id), 404, 'ResourceNotFound');
});

test('035_02_01 Delete A Context Source Registration If The Id Is Not Present', async () => {
  const c = await client();
  expectProblem(await c.send('DELETE', `/${CSR}/`), 400, 'BadRequestData');
});

test('035_02_02 Delete A Context Source Registration If The Id Is Not A Valid URI', async () => {
  const c = await client();
  expectProblem(await c.send('DELETE', `/${CSR}/invalidUri`), 400, 'BadRequestData');
});

test('035_03_01 Delete A Context Source Registration By Id', async () => {
  const c = await client();
  expectProblem(
    await c.send('DELETE', `/${CSR}/${encodeURIComponent(newId(PREFIX))}`),
    404,
    'ResourceNotFound',
  );
});

// 036 Retrieve Context Source Registration ---------------------------------------------------------

test('036_01_01 Invalid Id', async () => {
  expectProblem(await retrieve(await client(), 'invalidUri'), 400, 'BadRequestData');
});

test('036_02_01 Retrieve Unknown Context Source Registration', async () => {
  expectProblem(await retrieve(await client(), newId(PREFIX)), 404, 'ResourceNotFound');
});

test('036_03_01 Retrieve Context Source Registration With Default Core Context', async () => {
  const c = await client();
  const id = await register(c, 'context-source-registration.jsonld');
  expectSame(
    expectation('context-source-registration-expanded-format.json', id),
    (await retrieve(c, id)).body,
  );
});

test('036_04_01 Retrieve Context Source Registration', async () => {
  const c = await client();
  const id = await register(c, 'context-source-registration.jsonld');
  const res = await retrieve(c, id, SUITE_CONTEXT);
  assert.equal(res.status, 200);
  expectSame(expectation('context-source-registration.json', id), res.body);
});

test('036_05_01 EmptyJsonLdContext', async () => {
  const c = await client();
  const id = await register(c, 'context-source-registration.jsonld');
  expectSame(
    expectation('context-source-registration-expanded-format.json', id),
    (await retrieve(c, id)).body,
  );
});

test('036_05_02 CreationTimeJsonLdContext', async () => {
  const c = await client();
  const id = await register(c, 'context-source-registration.jsonld');
  expectSame(
    expectation('context-source-registration.json', id),
    (await retrieve(c, id, SUITE_CONTEXT)).body,
  );
});

// 037 Query Context Source Registrations ------------------------------------------------------------

test('037_01_01 With List Of Entity Types', () =>
  isolated(async (c) => {
    await register(c, 'context-source-registration-detailed-information.jsonld');
    await register(c, 'context-source-registration.jsonld');
    expectSame(
      expectation('context-source-registrations-037-01.json'),
      (await query(c, { type: 'Building' })).body,
      QUERY_EXCLUDE,
    );
  }));

test('037_01_02 With List Of Attribute Names', () =>
  isolated(async (c) => {
    const id = await register(c, 'context-source-registration-detailed-information.jsonld');
    await register(c, 'context-source-registration.jsonld');
    assert.deepEqual(ids(await query(c, { attrs: 'name' })), [id]);
  }));

test('037_02_01 Query Context Source Registrations Without Entity Types And Attribute Names', async () => {
  expectProblem(await query(await client(), {}), 400, 'BadRequestData');
});

test('037_03_01 Invalid URI', async () => {
  expectProblem(await query(await client(), { type: 'Building', id: 'invalidUri' }), 400, 'BadRequestData');
});

test('037_03_02 Invalid Query', async () => {
  expectProblem(
    await query(await client(), { type: 'Building', q: 'invalidQuery==' }),
    400,
    'BadRequestData',
  );
});

test('037_03_03 Invalid GeoQuery', async () => {
  expectProblem(
    await query(await client(), {
      type: 'Building',
      georel: 'near;maxDistance==2000',
      geometry: 'Point',
      coordinates: '[-8.52;41.2]',
    }),
    400,
    'BadRequestData',
  );
});

test('037_03_04 Invalid Temporal Query', async () => {
  expectProblem(
    await query(await client(), { type: 'Building', timerel: 'before', timeAt: 'not-a-date' }),
    400,
    'BadRequestData',
  );
});

test('037_04_01 Query Context Source Registrations Without Context', () =>
  isolated(async (c) => {
    await register(c, 'context-source-registration-detailed-information.jsonld');
    const res = await query(c, { type: 'https://ngsi-ld-test-suite/context#Building' }, '');
    expectSame(expectation('context-source-registrations-037-04.json'), res.body, QUERY_EXCLUDE);
  }));

test('037_05_01 Registration With EntityInfo Matching The Query', () =>
  isolated(async (c) => {
    await register(c, 'context-source-registration.jsonld');
    await register(c, 'context-source-registration-with-only-properties-information.jsonld');
    const res = await query(c, { type: 'Vehicle', id: 'urn:ngsi-ld:Vehicle:A456' });
    expectSame(expectation('context-source-registrations-037-05-01.json'), res.body, QUERY_EXCLUDE);
  }));

test('037_05_02 Registration Without EntityInfo', () =>
  isolated(async (c) => {
    await register(c, 'context-source-registration-with-only-properties-information.jsonld');
    const res = await query(c, { attrs: 'name' });
    expectSame(expectation('context-source-registrations-037-05-02.json'), res.body, QUERY_EXCLUDE);
  }));

test('037_06_01 Query With Matching Properties And Relationships', () =>
  isolated(async (c) => {
    await register(c, 'context-source-registration-detailed-information.jsonld');
    const res = await query(c, { type: 'Building', attrs: 'name,locatedAt' });
    expectSame(expectation('context-source-registrations-037-06.json'), res.body, QUERY_EXCLUDE);
  }));

test('037_06_02 Query Without Properties And Relationships', () =>
  isolated(async (c) => {
    await register(c, 'context-source-registration-detailed-information.jsonld');
    assert.equal(ids(await query(c, { type: 'Building', attrs: 'unknownAttribute' })).length, 0);
    expectSame(
      expectation('context-source-registrations-037-06.json'),
      (await query(c, { type: 'Building' })).body,
      QUERY_EXCLUDE,
    );
  }));

test('037_07_01 Near Point', () =>
  isolated(async (c) => {
    const id = await register(c, 'context-source-registration-location.jsonld');
    assert.deepEqual(
      ids(
        await query(c, {
          type: 'Building',
          georel: 'near;maxDistance==2000',
          geometry: 'Point',
          coordinates: '[-8.52,41.2]',
        }),
      ),
      [id],
    );
    assert.deepEqual(
      ids(
        await query(c, {
          type: 'Building',
          georel: 'near;maxDistance==10',
          geometry: 'Point',
          coordinates: '[-8.6,41.2]',
        }),
      ),
      [],
    );
  }));

test('037_07_02 Within Polygon', () =>
  isolated(async (c) => {
    const id = await register(c, 'context-source-registration-location.jsonld');
    const polygon = '[[[-9,41],[-8,41],[-8,42],[-9,42],[-9,41]]]';
    assert.deepEqual(
      ids(await query(c, { type: 'Building', georel: 'within', geometry: 'Polygon', coordinates: polygon })),
      [id],
    );
  }));

test('037_08_01 Query Context Source Registration Without Temporal Query', () =>
  isolated(async (c) => {
    await register(c, 'context-source-registration.jsonld');
    await register(c, 'context-source-registration-observationInterval.jsonld');
    const res = await query(c, { type: 'Vehicle' });
    expectSame(expectation('context-source-registrations-037-08.json'), res.body, QUERY_EXCLUDE);
  }));

async function intervals(c: Client) {
  return {
    observation: await register(c, 'context-source-registration-observationInterval.jsonld'),
    management: await register(c, 'context-source-registration-managementInterval.jsonld'),
  };
}

test('037_09_01 Observation Interval With observedAt', () =>
  isolated(async (c) => {
    const { observation } = await intervals(c);
    const res = await query(c, {
      type: 'Building',
      timerel: 'after',
      timeAt: '2021-01-01T00:00:00Z',
      timeproperty: 'observedAt',
    });
    assert.deepEqual(ids(res), [observation]);
    expectSame(expectation('context-source-registrations-037-09-01.json'), res.body, QUERY_EXCLUDE);
  }));

test('037_09_02 Observation Interval Without Timeproperty', () =>
  isolated(async (c) => {
    const { observation } = await intervals(c);
    assert.deepEqual(
      ids(await query(c, { type: 'Building', timerel: 'before', timeAt: '2021-01-01T00:00:00Z' })),
      [observation],
    );
  }));

test('037_09_03 Management Interval With createdAt', () =>
  isolated(async (c) => {
    const { management } = await intervals(c);
    const res = await query(c, {
      type: 'Building',
      timerel: 'after',
      timeAt: '2021-01-01T00:00:00Z',
      timeproperty: 'createdAt',
    });
    assert.deepEqual(ids(res), [management]);
    expectSame(expectation('context-source-registrations-037-09-02.json'), res.body, QUERY_EXCLUDE);
  }));

test('037_09_04 Management Interval With modifiedAt', () =>
  isolated(async (c) => {
    const { management } = await intervals(c);
    assert.deepEqual(
      ids(
        await query(c, {
          type: 'Building',
          timerel: 'between',
          timeAt: '2020-01-01T00:00:00Z',
          endTimeAt: '2020-12-01T00:00:00Z',
          timeproperty: 'modifiedAt',
        }),
      ),
      [management],
    );
  }));

test('037_10_01 With List Of Entity Ids', () =>
  isolated(async (c) => {
    const a = await register(c, 'context-source-registration-csourceProperty.jsonld');
    const b = await register(c, 'context-source-registration-detailed-information.jsonld');
    await register(c, 'context-source-registration.jsonld');
    assert.deepEqual(
      ids(await query(c, { type: 'Building', id: 'urn:ngsi-ld:Building:A,urn:ngsi-ld:Building:B' })),
      [a, b].sort(),
    );
  }));

test('037_10_02 With NGSI-LD Query', () =>
  isolated(async (c) => {
    const a = await register(c, 'context-source-registration-csourceProperty.jsonld');
    await register(c, 'context-source-registration-detailed-information.jsonld');
    assert.deepEqual(ids(await query(c, { type: 'Building', csf: 'csourceProperty1=="aValue"' })), [a]);
    assert.deepEqual(ids(await query(c, { type: 'Building', csf: 'csourceProperty2=="aValue"' })), []);
  }));

async function three(c: Client): Promise<string[]> {
  const out: string[] = [];
  for (const f of [
    'context-source-registration-detailed-information.jsonld',
    'context-source-registration-location.jsonld',
    'context-source-registration.jsonld',
  ]) {
    out.push(await register(c, f));
  }
  return out;
}

test('037_11_01 Query Second Subscription', () =>
  isolated(async (c) => {
    const [, second] = await three(c);
    assert.deepEqual(ids(await query(c, { type: 'Building,Vehicle', limit: '1', offset: '1' })), [second]);
  }));

test('037_11_02 Query Last Subscription', () =>
  isolated(async (c) => {
    const [, , third] = await three(c);
    const res = await query(c, { type: 'Building,Vehicle', limit: '1', offset: '2', count: 'true' });
    assert.deepEqual(ids(res), [third]);
    assert.equal(res.headers['ngsild-results-count'], '3');
  }));

test('037_11_03 Query All Subscriptions', () =>
  isolated(async (c) => {
    const all = await three(c);
    assert.deepEqual(ids(await query(c, { type: 'Building,Vehicle', limit: '10' })), [...all].sort());
  }));

test('errors of this group are ProblemDetails with the NGSI-LD types', async () => {
  const res = await retrieve(await client(), 'invalidUri');
  assert.equal((res.body as JsonObject).type, `${ERR}BadRequestData`);
});
