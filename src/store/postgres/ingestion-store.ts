import type { IngestionRun, IngestionStore } from '../ingestion-store.ts';
import type { PgDb } from './db.ts';

/** Runs as JSON documents: they are written a few times per run and read as a whole. */
export class PostgresIngestionStore implements IngestionStore {
  constructor(private readonly db: PgDb) {}

  async saveRun(run: IngestionRun): Promise<void> {
    await this.db.query(
      `INSERT INTO ingestion_run (id, connector, started_at, doc) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO UPDATE SET connector = excluded.connector, started_at = excluded.started_at, doc = excluded.doc`,
      [run.id, run.connector, run.startedAt, JSON.stringify(run)],
    );
  }

  async getRun(id: string): Promise<IngestionRun | undefined> {
    const rows = await this.db.query<{ doc: string }>('SELECT doc FROM ingestion_run WHERE id = $1', [id]);
    return rows[0] ? (JSON.parse(rows[0].doc) as IngestionRun) : undefined;
  }

  async listRuns(filter: { connector?: string; limit: number; offset: number }): Promise<IngestionRun[]> {
    const rows = filter.connector
      ? await this.db.query<{ doc: string }>(
          'SELECT doc FROM ingestion_run WHERE connector = $1 ORDER BY started_at DESC LIMIT $2 OFFSET $3',
          [filter.connector, filter.limit, filter.offset],
        )
      : await this.db.query<{ doc: string }>(
          'SELECT doc FROM ingestion_run ORDER BY started_at DESC LIMIT $1 OFFSET $2',
          [filter.limit, filter.offset],
        );
    return rows.map((r) => JSON.parse(r.doc) as IngestionRun);
  }
}
