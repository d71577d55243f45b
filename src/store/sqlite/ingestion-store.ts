import type Database from 'better-sqlite3';
import type { IngestionRun, IngestionStore } from '../ingestion-store.ts';
import { migratePart } from './schema.ts';

const STEPS = [
  `CREATE TABLE ingestion_run (
     id TEXT PRIMARY KEY, connector TEXT NOT NULL, started_at TEXT NOT NULL, doc TEXT NOT NULL
   );
   CREATE INDEX ingestion_run_connector ON ingestion_run (connector, started_at);`,
];

/** Runs as JSON documents: they are written a few times per run and read as a whole. */
export class SqliteIngestionStore implements IngestionStore {
  constructor(private readonly db: Database.Database) {
    migratePart(db, 'ingestion', STEPS);
  }

  async saveRun(run: IngestionRun): Promise<void> {
    this.db
      .prepare('INSERT OR REPLACE INTO ingestion_run (id, connector, started_at, doc) VALUES (?, ?, ?, ?)')
      .run(run.id, run.connector, run.startedAt, JSON.stringify(run));
  }

  async getRun(id: string): Promise<IngestionRun | undefined> {
    const row = this.db
      .prepare<[string], { doc: string }>('SELECT doc FROM ingestion_run WHERE id = ?')
      .get(id);
    return row ? (JSON.parse(row.doc) as IngestionRun) : undefined;
  }

  async listRuns(filter: { connector?: string; limit: number; offset: number }): Promise<IngestionRun[]> {
    const rows = filter.connector
      ? this.db
          .prepare<[string, number, number], { doc: string }>(
            'SELECT doc FROM ingestion_run WHERE connector = ? ORDER BY started_at DESC LIMIT ? OFFSET ?',
          )
          .all(filter.connector, filter.limit, filter.offset)
      : this.db
          .prepare<[number, number], { doc: string }>(
            'SELECT doc FROM ingestion_run ORDER BY started_at DESC LIMIT ? OFFSET ?',
          )
          .all(filter.limit, filter.offset);
    return rows.map((r) => JSON.parse(r.doc) as IngestionRun);
  }
}
