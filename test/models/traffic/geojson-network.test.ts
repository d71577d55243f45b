import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  assign,
  buildDemand,
  NetworkFormatError,
  parseGeoJsonNetwork,
} from '../../../src/models/traffic/index.ts';

const node = (osmid: number, lon: number, lat: number) => ({
  type: 'Feature',
  properties: { osmid },
  geometry: { type: 'Point', coordinates: [lon, lat] },
});
const edge = (u: number, v: number, props: Record<string, unknown>) => ({
  type: 'Feature',
  properties: { u, v, key: 0, ...props },
  geometry: { type: 'LineString', coordinates: [] },
});
const fc = (features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features });

const NODES = fc([node(10, 11.34, 44.49), node(20, 11.35, 44.49), node(30, 11.36, 44.49)]);
const EDGES = fc([
  // Two-way primary with 4 lanes in total and a 50 km/h limit: 2 lanes each way.
  edge(10, 20, { highway: 'primary', oneway: false, lanes: '4', maxspeed: '50', length: 1000 }),
  edge(20, 10, { highway: 'primary', oneway: false, lanes: '4', maxspeed: '50', length: 1000 }),
  // One-way residential without tags: table defaults (1 lane, 30 km/h, 600 veh/h).
  edge(20, 30, { highway: 'residential', oneway: true, length: 500, name: 'Via Test' }),
  // Merged edge: lists of tags, the most restrictive wins; implicit Italian limit.
  edge(30, 20, {
    highway: ['tertiary', 'residential'],
    oneway: true,
    lanes: ['2', '1'],
    maxspeed: ['IT:urban', '30'],
    length: 500,
  }),
  edge(30, 10, { highway: 'motorway', oneway: true, maxspeed: 'signals', length: 2000 }),
]);

test('tags and the road class table give capacity, speed and free-flow time', () => {
  const { network, highway, name } = parseGeoJsonNetwork(EDGES, NODES);
  assert.equal(network.nodeCount, 3);
  assert.equal(network.linkCount, 5);
  assert.equal(network.zoneCount, 0);
  assert.deepEqual([...network.capacity], [3000, 3000, 600, 600, 4000]);
  assert.deepEqual([...network.speedLimit], [50, 50, 30, 30, 120]);
  // 1 km at 50 km/h is 1.2 minutes.
  assert.ok(Math.abs(network.freeFlowTime[0] - 1.2) < 1e-12);
  assert.ok(Math.abs(network.freeFlowTime[2] - 1) < 1e-12);
  assert.deepEqual(highway, ['primary', 'primary', 'residential', 'tertiary', 'motorway']);
  assert.equal(name[2], 'Via Test');
  assert.equal(network.nodeId[0], 10);
});

test('zones become non-through centroid nodes joined to their nearest node', () => {
  const zones = [
    { id: 1, lon: 11.3401, lat: 44.4901 },
    { id: 2, lon: 11.3599, lat: 44.4899 },
  ];
  const { network, zoneNode } = parseGeoJsonNetwork(EDGES, NODES, { zones });
  assert.equal(network.zoneCount, 2);
  assert.equal(network.firstThruNode, 2);
  assert.deepEqual([...zoneNode], [2, 4]);
  const r = assign(network, buildDemand(2, [0, 1], [1, 0], [100, 50]), { gap: 1e-10 });
  assert.deepEqual(r.unreachable, []);
  assert.ok(r.relativeGap <= 1e-10);
  // From zone 2 (near node 30) to zone 1 (near node 10): the motorway link carries it.
  assert.ok(Math.abs(r.flow[4] - 50) < 1e-9);
});

test('edges naming unknown nodes are rejected', () => {
  const bad = fc([edge(10, 99, { highway: 'primary', length: 10 })]);
  assert.throws(() => parseGeoJsonNetwork(bad, NODES, { source: 'b' }), NetworkFormatError);
  assert.throws(() => parseGeoJsonNetwork('{', NODES, { source: 'b' }), /b \(edges\): not JSON/);
});

const CENTRO = '../shared/data/bologna/bologna_centro_osm_drive';
test('Bologna centre OSM graph: parses and assigns between zones', {
  skip: existsSync(`${CENTRO}_edges.geojson`) ? false : `${CENTRO}_edges.geojson not present`,
}, () => {
  const zones = [
    { id: 1, lon: 11.3426, lat: 44.4939 },
    { id: 2, lon: 11.3554, lat: 44.4983 },
    { id: 3, lon: 11.3334, lat: 44.4879 },
    { id: 4, lon: 11.3495, lat: 44.487 },
  ];
  const { network } = parseGeoJsonNetwork(
    readFileSync(`${CENTRO}_edges.geojson`, 'utf8'),
    readFileSync(`${CENTRO}_nodes.geojson`, 'utf8'),
    { zones },
  );
  assert.equal(network.linkCount, 1227 + 2 * zones.length);
  const o: number[] = [];
  const d: number[] = [];
  const q: number[] = [];
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 4; j++) {
      if (i === j) continue;
      o.push(i);
      d.push(j);
      q.push(1500);
    }
  }
  // The clipped graph has dead ends; zones attach to its largest strongly connected part.
  const r = assign(network, buildDemand(4, o, d, q), { gap: 1e-8 });
  assert.deepEqual(r.unreachable, []);
  assert.ok(r.relativeGap <= 1e-8);
  assert.ok(r.tstt > 0);
});
