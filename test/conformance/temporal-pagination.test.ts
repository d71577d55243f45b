/**
 * ETSI NGSI-LD conformance, temporal pagination (ETSI GS CIM 009 v1.8 clause 6.3.10): a long
 * history comes back as 206 Partial Content with `Content-Range: date-time <start>-<end>/<size>`
 * on retrieve (020_13), query (021_15) and query via POST (021_16). The suite expects a page to
 * hold fewer than its twenty instances per attribute, so these brokers page at 10 instances per
 * attribute (TWINBOX_TEMPORAL_PAGE_INSTANCES, read when the app is built; node:test runs this file
 * in a process of its own).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Broker, EtsiResponse } from './etsi-client.ts';
import { newId } from './etsi-data.ts';
import type { Json } from './etsi-diff.ts';
import {
  createTemporal,
  expectStatus,
  json,
  queryTemporal,
  queryTemporalViaPost,
  retrieveTemporal,
  SUITE_CONTEXT,
  suiteBroker,
  VEHICLE_ID_PREFIX,
} from './etsi-temporal-data/harness.ts';

process.env.TWINBOX_TEMPORAL_PAGE_INSTANCES = '10';

/** Cases that still fail, with what the broker answers against what the suite expects. */
const KNOWN_FAILURES: Readonly<Record<string, string>> = {};

function etsiCase(name: string, fn: (broker: Broker) => Promise<void>): void {
  const todo = KNOWN_FAILURES[name] ?? KNOWN_FAILURES[name.split(' ')[0]];
  test(name, todo === undefined ? {} : { todo }, async () => {
    const broker = await suiteBroker();
    try {
      await fn(broker);
    } finally {
      await broker.close();
    }
  });
}

const TWENTY = 'pagination/2020-01-vehicule-temporal-representation-twenty-instances.jsonld';
const SEP = '2020-09-vehicle-temporal-representation.jsonld';
const TIME_BEFORE = '2019-01-01T01:01:00Z';
const TIME_AFTER = '2021-01-01T01:01:00Z';
/** The suite's `${lrt}` and `${mrt}`: the least and most recent time found in the body. */
const LRT = 'least recent timestamp';
const MRT = 'most recent timestamp';

async function created(broker: Broker, file: string): Promise<string> {
  const id = newId(VEHICLE_ID_PREFIX);
  expectStatus(await createTemporal(broker, file, id), 201);
  return id;
}

interface Expected {
  representation?: 'temporalValues';
  timerel?: string;
  timeAt?: string;
  endTimeAt?: string;
  lastN?: string;
  rangeStart?: string;
  rangeEnd?: string;
  size?: string;
}

type Obj = { [key: string]: Json };

/** `Get Attribute List From Vehicle Body`: the speed and fuelLevel instances (or value pairs) of each entity. */
function observations(entities: Json[], representation: string | undefined): number[] {
  const times: number[] = [];
  for (const entity of entities) {
    for (const attr of ['speed', 'fuelLevel']) {
      const member = (entity as Obj)[attr];
      assert.ok(member !== undefined, `${attr} missing in ${JSON.stringify(entity).slice(0, 200)}`);
      const list =
        representation === 'temporalValues' ? ((member as Obj).values as Json[]) : (member as Json[]);
      for (const item of list) {
        const at = representation === 'temporalValues' ? (item as Json[])[1] : (item as Obj).observedAt;
        times.push(Date.parse(at as string));
      }
    }
  }
  return times;
}

/**
 * The suite's `Retrieve Temporal Entity` / `Retrieve Temporal Entities` checks: 206, a
 * `date-time` Content-Range whose start, end and size are the expected ones, where `${lrt}` and
 * `${mrt}` stand for the least and most recent time in the body.
 */
function expectPage(res: EtsiResponse, entities: Json[], expected: Expected): void {
  expectStatus(res, 206);
  const header = res.headers['content-range'];
  assert.ok(header, 'no Content-Range header');
  const m = /([a-zA-Z-]+) (.*-.*-.*)-(.*-.*-.*)\/(.*)/.exec(header);
  assert.ok(m, `Content-Range '${header}' is not 'date-time <start>-<end>/<size>'`);
  assert.equal(m[1], 'date-time');
  const times = observations(entities, expected.representation);
  const lrt = Math.min(Date.parse(TIME_AFTER), ...times);
  const mrt = Math.max(Date.parse(TIME_BEFORE), ...times);
  const resolve = (t: string) => (t === LRT ? lrt : t === MRT ? mrt : Date.parse(t));
  if (expected.rangeStart)
    assert.equal(Date.parse(m[2]), resolve(expected.rangeStart), `range start of '${header}'`);
  if (expected.rangeEnd)
    assert.equal(Date.parse(m[3]), resolve(expected.rangeEnd), `range end of '${header}'`);
  if (expected.size) assert.equal(m[4], expected.size, `size of '${header}'`);
}

// 020_13 Retrieve Temporal Evolution of an Entity, paginated ------------------------------------

const RETRIEVE: Array<[string, Expected]> = [
  [
    '020_13_01 Retrieve An Entity With 20 Instances On Two Attributes',
    { size: '*', rangeStart: LRT, rangeEnd: MRT },
  ],
  ['020_13_02 Retrieve The Entity With lastN', { lastN: '20', size: '20', rangeStart: MRT, rangeEnd: LRT }],
  [
    '020_13_03 Retrieve The Entity With lastN And Timerel Before',
    { lastN: '20', size: '20', timerel: 'before', timeAt: TIME_AFTER, rangeStart: TIME_AFTER, rangeEnd: LRT },
  ],
  [
    '020_13_04 Retrieve The Entity With lastN And Timerel Between',
    {
      lastN: '20',
      timerel: 'between',
      timeAt: TIME_BEFORE,
      endTimeAt: TIME_AFTER,
      rangeStart: TIME_AFTER,
      rangeEnd: LRT,
    },
  ],
  [
    '020_13_05 Retrieve The Entity With lastN And Timerel After',
    { lastN: '20', size: '20', timerel: 'after', timeAt: TIME_BEFORE, rangeStart: MRT, rangeEnd: LRT },
  ],
  [
    '020_13_06 Retrieve The Entity With Timerel Before',
    { timerel: 'before', size: '*', timeAt: TIME_AFTER, rangeEnd: MRT },
  ],
  [
    '020_13_07 Retrieve The Entity With Timerel Between',
    {
      timerel: 'between',
      timeAt: TIME_BEFORE,
      endTimeAt: TIME_AFTER,
      rangeStart: TIME_BEFORE,
      rangeEnd: MRT,
    },
  ],
  [
    '020_13_08 Retrieve The Entity With Timerel After',
    { timerel: 'after', timeAt: TIME_BEFORE, rangeStart: TIME_BEFORE, rangeEnd: MRT },
  ],
  [
    '020_13_09 Retrieve The Entity With temporalValues And Timerel After',
    {
      representation: 'temporalValues',
      timerel: 'after',
      timeAt: TIME_BEFORE,
      rangeStart: TIME_BEFORE,
      rangeEnd: MRT,
    },
  ],
  [
    '020_13_10 Retrieve The Entity With temporalValues, lastN And Timerel Between',
    {
      representation: 'temporalValues',
      lastN: '20',
      timerel: 'between',
      timeAt: TIME_BEFORE,
      endTimeAt: TIME_AFTER,
      rangeStart: TIME_AFTER,
      rangeEnd: LRT,
    },
  ],
];

for (const [name, expected] of RETRIEVE) {
  etsiCase(name, async (broker) => {
    const id = await created(broker, TWENTY);
    const { representation, timerel, timeAt, endTimeAt, lastN } = expected;
    const res = await retrieveTemporal(broker, id, {
      options: representation,
      context: SUITE_CONTEXT,
      timerel,
      timeAt,
      endTimeAt,
      lastN,
    });
    expectStatus(res, 206);
    expectPage(res, [json(res)], expected);
  });
}

// 021_15 Query Temporal Evolution of Entities, paginated ----------------------------------------

const QUERY: Array<[string, Expected]> = [
  [
    '021_15_01 Retrieve The Entity With lastN And Timerel Before',
    { lastN: '20', size: '20', timerel: 'before', timeAt: TIME_AFTER, rangeStart: TIME_AFTER, rangeEnd: LRT },
  ],
  [
    '021_15_02 Retrieve The Entity With lastN And Timerel Between',
    {
      lastN: '20',
      timerel: 'between',
      timeAt: TIME_BEFORE,
      endTimeAt: TIME_AFTER,
      rangeStart: TIME_AFTER,
      rangeEnd: LRT,
    },
  ],
  [
    '021_15_03 Retrieve The Entity With lastN And Timerel After',
    { lastN: '20', size: '20', timerel: 'after', timeAt: TIME_BEFORE, rangeStart: MRT, rangeEnd: LRT },
  ],
  [
    '021_15_04 Retrieve The Entity With Timerel Before',
    { timerel: 'before', size: '*', timeAt: TIME_AFTER, rangeEnd: MRT },
  ],
  [
    '021_15_05 Retrieve The Entity With Timerel Between',
    {
      timerel: 'between',
      timeAt: TIME_BEFORE,
      endTimeAt: TIME_AFTER,
      rangeStart: TIME_BEFORE,
      rangeEnd: MRT,
    },
  ],
  [
    '021_15_06 Retrieve The Entity With Timerel After',
    { timerel: 'after', timeAt: TIME_BEFORE, rangeStart: TIME_BEFORE, rangeEnd: MRT },
  ],
  [
    '021_15_07 Retrieve The Entity With temporalValues And Timerel After',
    {
      representation: 'temporalValues',
      timerel: 'after',
      timeAt: TIME_BEFORE,
      rangeStart: TIME_BEFORE,
      rangeEnd: MRT,
    },
  ],
  [
    '021_15_08 Retrieve The Entity With temporalValues, lastN And Timerel Between',
    {
      representation: 'temporalValues',
      lastN: '20',
      timerel: 'between',
      timeAt: TIME_BEFORE,
      endTimeAt: TIME_AFTER,
      rangeStart: TIME_AFTER,
      rangeEnd: LRT,
    },
  ],
];

for (const [name, expected] of QUERY) {
  etsiCase(name, async (broker) => {
    await created(broker, TWENTY);
    await created(broker, SEP);
    const { representation, timerel, timeAt, endTimeAt, lastN } = expected;
    const res = await queryTemporal(broker, {
      type: 'Vehicle',
      options: representation,
      context: SUITE_CONTEXT,
      timerel,
      timeAt,
      endTimeAt,
      lastN,
    });
    expectStatus(res, 206);
    const body = json(res);
    assert.ok(
      Array.isArray(body) && body.length === 2,
      `expected both vehicles, got ${res.text.slice(0, 300)}`,
    );
    expectPage(res, body, expected);
  });
}

// 021_16 Query Temporal Evolution of Entities via POST, paginated --------------------------------

etsiCase('021_16_01 Retrieve The Entities Via Post', async (broker) => {
  await created(broker, TWENTY);
  await created(broker, SEP);
  const res = await queryTemporalViaPost(broker, 'entity-operations-before-query.jsonld', SUITE_CONTEXT);
  expectStatus(res, 206);
  const m = /([a-zA-Z-]+) (.*-.*-.*)-(.*-.*-.*)\/(.*)/.exec(res.headers['content-range'] ?? '');
  assert.equal(m?.[1], 'date-time', `Content-Range '${res.headers['content-range']}'`);
});
