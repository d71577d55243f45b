import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  NetworkFormatError,
  parseTntpFlow,
  parseTntpNet,
  parseTntpNodes,
  parseTntpTrips,
} from '../../../src/models/traffic/index.ts';

const DIR = 'test/fixtures/tntp/SiouxFalls';
const read = (f: string) => readFileSync(`${DIR}/${f}`, 'utf8');

const NET_HEADER = `<NUMBER OF ZONES> 2
<NUMBER OF NODES> 3
<FIRST THRU NODE> 1
<NUMBER OF LINKS> @L
<END OF METADATA>

~ init term cap len fft b power speed toll type ;
`;

function net(lines: string[], links = lines.length): string {
  return NET_HEADER.replace('@L', String(links)) + lines.map((l) => `\t${l}\t;`).join('\n');
}

test('SiouxFalls net: counts, zones, 0-based links, stars', () => {
  const { network, droppedDuplicates } = parseTntpNet(read('SiouxFalls_net.tntp'), {
    source: 'SiouxFalls_net.tntp',
  });
  assert.equal(network.nodeCount, 24);
  assert.equal(network.zoneCount, 24);
  assert.equal(network.firstThruNode, 0);
  assert.equal(network.linkCount, 76);
  assert.deepEqual(droppedDuplicates, []);
  // First line of the file: 1 2 25900.20064 6 6 0.15 4 0 0 1
  assert.equal(network.from[0], 0);
  assert.equal(network.to[0], 1);
  assert.equal(network.capacity[0], 25900.20064);
  assert.equal(network.freeFlowTime[0], 6);
  assert.equal(network.b[0], 0.15);
  assert.equal(network.power[0], 4);
  // Every link appears once in each star, under its own tail and head.
  for (let i = 0; i < network.nodeCount; i++) {
    for (let k = network.outStart[i]; k < network.outStart[i + 1]; k++)
      assert.equal(network.from[network.outLinks[k]], i);
    for (let k = network.inStart[i]; k < network.inStart[i + 1]; k++)
      assert.equal(network.to[network.inLinks[k]], i);
  }
  assert.equal(network.outStart[24], 76);
  assert.equal(network.inStart[24], 76);
});

test('SiouxFalls trips: total demand and no intra-zonal pairs in the rows', () => {
  const demand = parseTntpTrips(read('SiouxFalls_trips.tntp'), { zoneCount: 24 });
  assert.equal(demand.total, 360600);
  assert.equal(demand.dest.length, 528);
  for (let o = 0; o < 24; o++) {
    for (let e = demand.start[o]; e < demand.start[o + 1]; e++) assert.notEqual(demand.dest[e], o);
  }
});

test('intra-zonal trips are set aside and repeated pairs summed', () => {
  const text = `<NUMBER OF ZONES> 2\n<TOTAL OD FLOW> 17\n<END OF METADATA>\nOrigin 1\n1 : 5; 2 : 3;\n2 : 4;\nOrigin 2\n1 : 5;\n`;
  const demand = parseTntpTrips(text);
  assert.equal(demand.intraZonalTrips, 5);
  assert.deepEqual([...demand.start], [0, 1, 2]);
  assert.deepEqual([...demand.dest], [1, 0]);
  assert.deepEqual([...demand.trips], [7, 5]);
  assert.equal(demand.total, 12);
});

test('FIRST THRU NODE becomes the 0-based firstThruNode', () => {
  const text = net(['1 3 10 1 1 0.15 4 0 0 1', '3 2 10 1 1 0.15 4 0 0 1']).replace(
    '<FIRST THRU NODE> 1',
    '<FIRST THRU NODE> 3',
  );
  assert.equal(parseTntpNet(text).network.firstThruNode, 2);
});

test('duplicate links: first kept by default, kept or rejected on request', () => {
  const lines = ['1 3 10 1 1 0.15 4 0 0 1', '1 3 20 1 2 0.15 4 0 0 1', '3 2 10 1 1 0.15 4 0 0 1'];
  const first = parseTntpNet(net(lines), { source: 'dup_net.tntp' });
  assert.equal(first.network.linkCount, 2);
  assert.equal(first.network.capacity[0], 10);
  assert.deepEqual(first.droppedDuplicates, [9]);
  assert.equal(parseTntpNet(net(lines), { duplicateLinks: 'keep' }).network.linkCount, 3);
  assert.throws(
    () => parseTntpNet(net(lines), { source: 'dup_net.tntp', duplicateLinks: 'error' }),
    /dup_net\.tntp:9: duplicate link 1 -> 3 \(first at line 8\)/,
  );
});

test('bad files name the file and the line', () => {
  const bad = net(['1 3 10 1 1 0.15 4 0 0 1', '3 2 10 x 1 0.15 4 0 0 1']);
  assert.throws(
    () => parseTntpNet(bad, { source: 'bad_net.tntp' }),
    (err: unknown) =>
      err instanceof NetworkFormatError &&
      err.line === 9 &&
      /bad_net\.tntp:9: column 4 is not a number/.test(err.message),
  );
  assert.throws(
    () => parseTntpNet(net(['1 9 10 1 1 0.15 4 0 0 1']), { source: 'n' }),
    /n:8: link 1 -> 9 names a node outside 1\.\.3/,
  );
  assert.throws(
    () => parseTntpNet(net(['1 3 10 1 1 0.15 4 0 0 1'], 2), { source: 'n' }),
    /NUMBER OF LINKS> is 2 but the file has 1/,
  );
  assert.throws(() => parseTntpNet('1 2 3', { source: 'n' }), /n:1: expected a <KEY> metadata line/);
  const trips = `<NUMBER OF ZONES> 2\n<END OF METADATA>\nOrigin 1\n2 : 4;\nOrigin 3\n`;
  assert.throws(() => parseTntpTrips(trips, { source: 't' }), /t:5: origin '3' outside zones 1\.\.2/);
  assert.throws(
    () => parseTntpTrips(trips, { source: 't', zoneCount: 3 }),
    /NUMBER OF ZONES> is 2 but the network has 3/,
  );
  assert.throws(
    () =>
      parseTntpTrips(`<NUMBER OF ZONES> 2\n<TOTAL OD FLOW> 9\n<END OF METADATA>\nOrigin 1\n2 : 4;\n`, {
        source: 't',
      }),
    /TOTAL OD FLOW> is 9 but the entries sum to 4/,
  );
  assert.throws(
    () => parseTntpTrips(`<NUMBER OF ZONES> 2\n<END OF METADATA>\nOrigin 1\n2 : 4; junk\n`),
    /expected 'destination : trips;'/,
  );
});

test('flow and node files', () => {
  const flow = parseTntpFlow(read('SiouxFalls_flow.tntp'));
  assert.equal(flow.flow.length, 76);
  assert.equal(flow.from[0], 1);
  assert.equal(flow.to[0], 2);
  const { x, y } = parseTntpNodes(read('SiouxFalls_node.tntp'), 24);
  assert.equal(x[0], -96.77041974);
  assert.equal(y[0], 43.61282792);
  assert.ok(x.every(Number.isFinite));
});
