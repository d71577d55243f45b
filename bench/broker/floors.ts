/**
 * The floors of bench:broker: what the steps every request takes in this design cost per entity,
 * each measured alone, in-process, on the loaded SQLite store. The hot path of DESIGN.md is
 * HTTP body -> validate and expand -> transaction -> compact -> HTTP response, so a page of 100
 * entities reads, parses, compacts and serialises 100 documents, and a batch writes one document
 * per entity whatever else the transaction keeps. Dividing a core's second by the sum gives a
 * ceiling no tuning of the rest can pass; it sits beside the targets in the table.
 */
import type Database from 'better-sqlite3';
import { compactEntity, type Entity, parseEntity, type TermMap } from '../../src/ngsi/index.ts';

export interface Floor {
  name: string;
  /** µs per entity of each step, in order */
  steps: Array<[string, number]>;
}

/** Runs each step over the same page in turn, timing each; µs per item, summed over the pages. */
class StepClock {
  private readonly us = new Map<string, number>();
  private items = 0;

  time<T>(step: string, fn: () => T): T {
    const t0 = performance.now();
    const out = fn();
    this.us.set(step, (this.us.get(step) ?? 0) + (performance.now() - t0) * 1000);
    return out;
  }

  counted(items: number): void {
    this.items += items;
  }

  perItem(step: string): number {
    return (this.us.get(step) ?? Number.NaN) / this.items;
  }
}

/**
 * `db`: the loaded store's connection; `entities`: how many it holds (pk 1..n); `body`: one batch
 * request body as the load generator sends it, and the number of entities in it. Work goes in
 * pages of 100 (reads) and whole batches (writes), as a request handles it, so short-lived
 * objects die young as they do in the server. The best of three rounds is kept: the floor is what
 * a step costs when nothing else gets in its way.
 */
export function measureFloors(
  db: Database.Database,
  entities: number,
  terms: TermMap,
  body: { json: string; count: number },
): Floor[] {
  const docOf = db.prepare<[number], string>('SELECT doc FROM entity WHERE pk = ?').pluck();
  const update = db.prepare('UPDATE entity SET doc = ? WHERE pk = ?');
  const writeBatch = db.transaction((docs: Array<[string, number]>) => {
    for (const [doc, pk] of docs) update.run(doc, pk);
  });
  const READ = ['document by key', 'JSON.parse', 'compact', 'JSON.stringify'];
  const WRITE = [
    'body JSON.parse',
    'validate and expand',
    'document JSON.stringify',
    'document write and commit',
  ];
  const best = new Map<string, number>();
  let next = 0;
  const pk = () => 1 + ((next++ * 7919) % entities);
  for (let round = 0; round < 3; round++) {
    const reads = new StepClock();
    for (let page = 0; page < 50; page++) {
      const pks = Array.from({ length: 100 }, pk);
      const texts = reads.time('document by key', () => pks.map((k) => docOf.get(k)!));
      const parsed = reads.time('JSON.parse', () => texts.map((t) => JSON.parse(t) as Entity));
      const out = reads.time('compact', () => parsed.map((e) => compactEntity(e, terms, {})));
      reads.time('JSON.stringify', () => JSON.stringify(out));
      reads.counted(100);
    }
    const writes = new StepClock();
    // 20 batches of 500 fill the WAL to the store's checkpoint interval (10,000 pages) about once,
    // so the write step carries its share of a checkpoint
    for (let batch = 0; batch < 20; batch++) {
      // documents are written back as they are, so the store's content stays as it was
      const pks = Array.from({ length: body.count }, pk);
      const current = pks.map((k) => docOf.get(k)!);
      const items = writes.time('body JSON.parse', () => JSON.parse(body.json) as unknown[]);
      const expanded = writes.time('validate and expand', () =>
        items.map((item) => {
          const r = parseEntity(item, terms);
          if (!r.ok) throw new Error(`a bench entity does not parse: ${r.problem.detail}`);
          return r.value;
        }),
      );
      writes.time('document JSON.stringify', () => expanded.map((e) => JSON.stringify(e)));
      writes.time('document write and commit', () =>
        writeBatch(pks.map((k, i): [string, number] => [current[i], k])),
      );
      writes.counted(body.count);
    }
    for (const step of READ) best.set(step, Math.min(best.get(step) ?? Infinity, reads.perItem(step)));
    for (const step of WRITE) best.set(step, Math.min(best.get(step) ?? Infinity, writes.perItem(step)));
  }
  const steps = (names: string[]) => names.map((name): [string, number] => [name, best.get(name)!]);
  return [
    { name: 'read', steps: steps(READ) },
    { name: 'write', steps: steps(WRITE) },
  ];
}

export function floorTotal(f: Floor): number {
  return f.steps.reduce((s, [, us]) => s + us, 0);
}

export function describeFloor(f: Floor): string {
  return `${f.name}: ${f.steps.map(([step, us]) => `${step} ${us.toFixed(1)}`).join(' + ')} = ${floorTotal(f).toFixed(1)} µs per entity`;
}
