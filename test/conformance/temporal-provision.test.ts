/**
 * ETSI NGSI-LD conformance, temporal provision (ETSI GS CIM 009 v1.8 clauses 5.6.11–5.6.16):
 * create/update (007, 008) and delete (009) a temporal representation, add an attribute (014),
 * delete an attribute (015), modify (016) and delete (017) an attribute instance. One test per
 * ETSI test case, each on a fresh broker, named with its ETSI id.
 */
import { test } from 'node:test';
import type { Broker } from './etsi-client.ts';
import { newId } from './etsi-data.ts';
import {
  appendTemporalAttrs,
  createTemporal,
  createTemporalFromFile,
  deleteTemporal,
  deleteTemporalAttr,
  deleteTemporalInstance,
  expectEmptyBody,
  expectProblem,
  expectResource,
  expectStatus,
  firstInstanceId,
  JSON_TYPE,
  LD_JSON,
  modifyTemporalInstance,
  retrieveTemporal,
  SUITE_CONTEXT,
  suiteBroker,
  VEHICLE_ID_PREFIX,
} from './etsi-temporal-data/harness.ts';

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

const vehicleId = () => newId(VEHICLE_ID_PREFIX);
const IGNORE = ['instanceId', '@context'];

async function created(broker: Broker, file = 'vehicle-temporal-representation.jsonld'): Promise<string> {
  const id = vehicleId();
  expectStatus(await createTemporal(broker, file, id), 201);
  return id;
}

// 007 Create Temporal Representation of an Entity (5.6.11) ------------------------------------

for (const [name, file, expectation, contentType] of [
  [
    '007_01_01 Create A Temporal Representation Of An Entity',
    'vehicle-create-temporal-representation.jsonld',
    'vehicle-temporal-representation-create.jsonld',
    LD_JSON,
  ],
  [
    '007_01_02 Create A Temporal Entity With No Context',
    'vehicle-create-temporal-representation-without-context.jsonld',
    'vehicle-temporal-representation-create-with-no-context.jsonld',
    JSON_TYPE,
  ],
] as const) {
  etsiCase(name, async (broker) => {
    const id = vehicleId();
    const res = await createTemporal(broker, file, id, contentType);
    expectStatus(res, 201);
    expectEmptyBody(res);
    const context = contentType === LD_JSON ? SUITE_CONTEXT : undefined;
    const got = await retrieveTemporal(broker, id, { context });
    expectResource(expectation, id, JSON.parse(got.text), IGNORE);
  });
}

for (const [name, file] of [
  [
    '007_02_01 Create A Temporal Entity With An Invalid Json',
    'vehicle-temporal-representation-invalid-json.jsonld',
  ],
  [
    '007_02_02 Create A Temporal Entity With An Empty Json',
    'vehicle-temporal-representation-empty-json.jsonld',
  ],
] as const) {
  etsiCase(name, async (broker) => {
    expectProblem(await createTemporalFromFile(broker, file), 400, 'InvalidRequest');
  });
}

for (const [name, id, file] of [
  [
    '007_03_01 Create A Temporal Entity With Missing Id',
    '',
    'vehicle-temporal-representation-without-id.jsonld',
  ],
  ['007_03_02 Create A Temporal Invalid URI', 'invalidId', 'vehicle-temporal-representation.jsonld'],
] as const) {
  etsiCase(name, async (broker) => {
    expectStatus(await createTemporal(broker, file, id), 400);
  });
}

// 008 Update Temporal Representation of an Entity (5.6.11 on an existing entity) ----------------

etsiCase(
  '008_01_01 Update A Temporal Representation Of An Entity With Simple Temporal Properties',
  async (broker) => {
    const id = await created(broker, 'vehicle-create-temporal-representation.jsonld');
    const res = await createTemporal(broker, 'vehicle-temporal-representation-update.jsonld', id);
    expectStatus(res, 204);
    expectEmptyBody(res);
    const got = await retrieveTemporal(broker, id, { context: SUITE_CONTEXT, accept: LD_JSON });
    expectResource('vehicle-temporal-representation-update.jsonld', id, JSON.parse(got.text), IGNORE);
  },
);

// 009 Delete Temporal Representation of an Entity (5.6.16) ------------------------------------

etsiCase(
  '009_01_01 Delete A Temporal Representation Of An Entity With Simple Temporal Properties',
  async (broker) => {
    const id = await created(broker);
    const res = await deleteTemporal(broker, id);
    expectStatus(res, 204);
    expectEmptyBody(res);
    expectStatus(await retrieveTemporal(broker, id, { context: SUITE_CONTEXT }), 404);
  },
);

etsiCase(
  '009_02_01 Delete A Temporal Representation Of An Entity With An Empty Entity Id',
  async (broker) => {
    expectStatus(await deleteTemporal(broker, ''), 405);
  },
);

etsiCase(
  '009_02_02 Delete A Temporal Representation Of An Entity With An Invalid Entity Id',
  async (broker) => {
    expectProblem(await deleteTemporal(broker, 'invalidId'), 400, 'BadRequestData');
  },
);

etsiCase(
  '009_03_01 Delete A Temporal Representation Of An Entity With An Unknown Entity Id',
  async (broker) => {
    expectProblem(await deleteTemporal(broker, vehicleId()), 404, 'ResourceNotFound');
  },
);

// 014 Add Attributes to Temporal Representation of an Entity (5.6.12) --------------------------

etsiCase(
  '014_01_01 Add An Attribute To A Temporal Entity With Simple Temporal Properties',
  async (broker) => {
    const id = await created(broker);
    const res = await appendTemporalAttrs(broker, id, 'vehicle-temporal-representation-fragment.jsonld');
    expectStatus(res, 204);
    expectEmptyBody(res);
    const got = await retrieveTemporal(broker, id, { context: SUITE_CONTEXT, accept: LD_JSON });
    expectResource(
      'vehicle-temporal-representation-added-attribute.jsonld',
      id,
      JSON.parse(got.text),
      IGNORE,
    );
  },
);

for (const [name, id] of [
  ['014_02_01 Add An Attribute To A Temporal Representation Of An Entity With An Empty Entity Id', ''],
  [
    '014_02_02 Add An Attribute To A Temporal Representation Of An Entity With An Invalid Entity Id',
    'thisIsAninvalidId',
  ],
] as const) {
  etsiCase(name, async (broker) => {
    await created(broker);
    expectStatus(
      await appendTemporalAttrs(broker, id, 'vehicle-temporal-representation-fragment.jsonld'),
      400,
    );
  });
}

etsiCase('014_03_01 Add Attribute To Temporal Entity', async (broker) => {
  expectStatus(
    await appendTemporalAttrs(broker, vehicleId(), 'vehicle-temporal-representation-fragment.jsonld'),
    404,
  );
});

for (const [name, fragment] of [
  [
    '014_04_01 Add An Attribute To A Temporal Representation Of An Entity With Invalid Content',
    'vehicle-temporal-representation-invalid-json-fragment.jsonld',
  ],
  [
    '014_04_02 Add An Attribute To A Temporal Representation Of An Entity With Empty Content',
    'vehicle-temporal-representation-empty-json-fragment.jsonld',
  ],
] as const) {
  etsiCase(name, async (broker) => {
    const id = await created(broker);
    expectProblem(await appendTemporalAttrs(broker, id, fragment), 400, 'InvalidRequest');
  });
}

// 015 Delete Attribute from Temporal Representation of an Entity (5.6.13) ----------------------

for (const [name, deleteAll, datasetId, expectation] of [
  [
    '015_01_01 Delete An Attribute From A Temporal Representation Of An Entity Without deleteAll/datasetId',
    'false',
    undefined,
    'vehicle-temporal-representation-delete-fuelLevel.jsonld',
  ],
  [
    '015_01_02 Delete An Attribute From A Temporal Representation Of An Entity With datasetId',
    'false',
    'urn:ngsi-ld:Vehicle:12345-fuel',
    'vehicle-temporal-representation-delete-fuelLevel-datasetid.jsonld',
  ],
  [
    '015_01_03 Delete An Attribute From A Temporal Representation Of An Entity With deleteAll',
    'true',
    undefined,
    'vehicle-temporal-representation-deleteall-fuelLevel.jsonld',
  ],
] as const) {
  etsiCase(name, async (broker) => {
    const id = await created(broker);
    const res = await deleteTemporalAttr(broker, id, 'fuelLevel', {
      deleteAll,
      datasetId,
      context: SUITE_CONTEXT,
    });
    expectStatus(res, 204);
    expectEmptyBody(res);
    const got = await retrieveTemporal(broker, id, { context: SUITE_CONTEXT, accept: LD_JSON });
    expectResource(expectation, id, JSON.parse(got.text), IGNORE);
  });
}

for (const [name, target, attr] of [
  [
    '015_02_01 Delete An Attribute To A Temporal Representation Of An Entity With A Missing Entity Id',
    'empty',
    'speed',
  ],
  [
    '015_02_02 Delete An Attribute To A Temporal Representation Of An Entity With An Invalid Entity Id',
    'invalid',
    'speed',
  ],
  [
    '015_02_03 Delete An Attribute To A Temporal Representation Of An Entity With An Invalid Attribute Id',
    'valid',
    'invalid(Name',
  ],
] as const) {
  etsiCase(name, async (broker) => {
    const valid = await created(broker);
    const id = target === 'valid' ? valid : target === 'invalid' ? 'invalidId' : '';
    expectProblem(await deleteTemporalAttr(broker, id, attr, { deleteAll: 'false' }), 400, 'BadRequestData');
  });
}

for (const [name, target, attr] of [
  [
    '015_03_01 Delete An Attribute To A Temporal Entity If The Entity Id Does Not Exist',
    'unknown',
    'fuelLevel',
  ],
  [
    '015_03_02 Delete An Attribute To A Temporal Entity If The Entity Does Not Contain The Target Attribute',
    'valid',
    'notExistingAttribute',
  ],
] as const) {
  etsiCase(name, async (broker) => {
    const valid = await created(broker);
    const id = target === 'valid' ? valid : vehicleId();
    const res = await deleteTemporalAttr(broker, id, attr, { deleteAll: 'false', context: SUITE_CONTEXT });
    expectProblem(res, 404, 'ResourceNotFound');
  });
}

// 016 Modify Attribute Instance in Temporal Representation of an Entity (5.6.14) ----------------

const MODIFY_FRAGMENT = 'vehicle-temporal-modify-attribute-instance-fragment.jsonld';

async function createdWithInstance(broker: Broker): Promise<{ id: string; instanceId: string }> {
  const id = await created(broker);
  const got = await retrieveTemporal(broker, id, {
    accept: LD_JSON,
    options: 'sysAttrs',
    context: SUITE_CONTEXT,
  });
  return { id, instanceId: firstInstanceId(got, 'speed') };
}

etsiCase('016_01_01 Modify Attribute Instance In Temporal Representation Of An Entity', async (broker) => {
  const id = await created(broker);
  const before = await retrieveTemporal(broker, id, { context: SUITE_CONTEXT, accept: LD_JSON });
  const instanceId = firstInstanceId(before, 'speed');
  const res = await modifyTemporalInstance(
    broker,
    id,
    'speed',
    instanceId,
    MODIFY_FRAGMENT,
    JSON_TYPE,
    SUITE_CONTEXT,
  );
  expectStatus(res, 204);
  expectEmptyBody(res);
  const after = await retrieveTemporal(broker, id, { context: SUITE_CONTEXT, accept: LD_JSON });
  if (firstInstanceId(after, 'speed') !== instanceId)
    throw new Error('the modified instance changed its instanceId or place');
  expectResource(
    'vehicle-temporal-representation-modify-attribute-instance.jsonld',
    id,
    JSON.parse(after.text),
    [...IGNORE, 'modifiedAt'],
  );
});

for (const [name, target, attr, instance, status] of [
  [
    '016_02_01 Modify Attribute Instance In Temporal Representation Of An Entity If The Entity Id Is Not Valid',
    'invalidId',
    'speed',
    'valid',
    400,
  ],
  [
    '016_02_02 Modify Attribute Instance In Temporal Representation Of An Entity If The Entity Id Is Not Present',
    '',
    'speed',
    'valid',
    400,
  ],
  [
    '016_02_03 Modify Attribute Instance In Temporal Representation Of An Entity If The Instance Id Is Not Valid',
    'valid',
    'speed',
    'invalidId',
    400,
  ],
  [
    '016_02_04 Modify Attribute Instance In Temporal Representation Of An Entity If The Instance Id Is Not Present',
    'valid',
    'speed',
    '',
    405,
  ],
  [
    '016_02_05 Modify Attribute Instance In Temporal Representation Of An Entity If The Attribute Name Is Not A Valid Name',
    'valid',
    'invalid(Id',
    'valid',
    400,
  ],
  [
    '016_02_06 Modify Attribute Instance In Temporal Representation Of An Entity If The Attribute Name Is Not Present',
    'valid',
    '',
    'valid',
    405,
  ],
] as const) {
  etsiCase(name, async (broker) => {
    const fixture = await createdWithInstance(broker);
    const id = target === 'valid' ? fixture.id : target;
    const instanceId = instance === 'valid' ? fixture.instanceId : instance;
    expectStatus(
      await modifyTemporalInstance(broker, id, attr, instanceId, MODIFY_FRAGMENT, JSON_TYPE, SUITE_CONTEXT),
      status,
    );
  });
}

for (const [name, target, attr, instance] of [
  [
    '016_03_01 Modify Attribute Instance In Temporal Representation Of An Entity If The Entity With Given Id Is Not Found',
    'unknown',
    'speed',
    'valid',
  ],
  [
    '016_03_02 Modify Attribute Instance In Temporal Representation Of An Entity If The Target Attribute Is Not Found',
    'valid',
    'speed2',
    'valid',
  ],
  [
    '016_03_03 Modify Attribute Instance In Temporal Representation Of An Entity If The Target Attribute Instance Is Not Found',
    'valid',
    'speed',
    'urn:ngsi-ld:01234567890123456789',
  ],
] as const) {
  etsiCase(name, async (broker) => {
    const fixture = await createdWithInstance(broker);
    const id = target === 'valid' ? fixture.id : vehicleId();
    const instanceId = instance === 'valid' ? fixture.instanceId : instance;
    expectStatus(
      await modifyTemporalInstance(broker, id, attr, instanceId, MODIFY_FRAGMENT, JSON_TYPE, SUITE_CONTEXT),
      404,
    );
  });
}

// 017 Delete Attribute Instance from Temporal Representation of an Entity (5.6.15) --------------

etsiCase('017_01_01 Delete An Attribute Instance In Temporal Representation Of An Entity', async (broker) => {
  const id = await created(broker);
  const before = await retrieveTemporal(broker, id, { context: SUITE_CONTEXT, accept: LD_JSON });
  const res = await deleteTemporalInstance(
    broker,
    id,
    'speed',
    firstInstanceId(before, 'speed'),
    SUITE_CONTEXT,
  );
  expectStatus(res, 204);
  expectEmptyBody(res);
  const after = await retrieveTemporal(broker, id, { context: SUITE_CONTEXT, accept: LD_JSON });
  expectResource(
    'vehicle-temporal-representation-delete-speed-instanceid.jsonld',
    id,
    JSON.parse(after.text),
    IGNORE,
  );
});

for (const [name, target, attr, instance] of [
  [
    '017_02_01 Delete An Attribute Instance In Temporal Representation Of An Entity If The Entity Id Is Not Valid',
    'invalidId',
    'speed',
    'valid',
  ],
  [
    '017_02_02 Delete An Attribute Instance In Temporal Representation Of An Entity If The Entity Id Is Not Present',
    '',
    'speed',
    'valid',
  ],
  [
    '017_02_03 Delete An Attribute Instance In Temporal Representation Of An Entity If The Instance Id Is Not Valid',
    'valid',
    'speed',
    'invalidId',
  ],
  [
    '017_02_04 Delete An Attribute Instance In Temporal Representation Of An Entity If The Attribute Name Is Not A Valid Name',
    'valid',
    'invalid(Name',
    'valid',
  ],
  [
    '017_02_05 Delete An Attribute Instance In Temporal Representation Of An Entity If The Attribute Name Is Not Present',
    'valid',
    '',
    'valid',
  ],
] as const) {
  etsiCase(name, async (broker) => {
    const fixture = await createdWithInstance(broker);
    const id = target === 'valid' ? fixture.id : target;
    const instanceId = instance === 'valid' ? fixture.instanceId : instance;
    expectStatus(await deleteTemporalInstance(broker, id, attr, instanceId, SUITE_CONTEXT), 400);
  });
}

for (const [name, target, attr, instance] of [
  [
    '017_03_01 Delete An Attribute Instance In Temporal Representation Of An Entity If The Entity With Given Id Is Not Found',
    'unknown',
    'speed',
    'valid',
  ],
  [
    '017_03_02 Delete An Attribute Instance In Temporal Representation Of An Entity If The Target Attribute Is Not Found',
    'valid',
    'speed2',
    'valid',
  ],
  [
    '017_03_03 Delete An Attribute Instance In Temporal Representation Of An Entity If The Target Attribute Instance Is Not Found',
    'valid',
    'speed',
    'urn:ngsi-ld:01234567890123456789',
  ],
] as const) {
  etsiCase(name, async (broker) => {
    const fixture = await createdWithInstance(broker);
    const id = target === 'valid' ? fixture.id : vehicleId();
    const instanceId = instance === 'valid' ? fixture.instanceId : instance;
    expectStatus(await deleteTemporalInstance(broker, id, attr, instanceId, SUITE_CONTEXT), 404);
  });
}
