/**
 * The connection pool every part of the PostgreSQL engine shares, with the two ways it is used:
 * single statements, and transactions that are run again when PostgreSQL aborts them for a
 * conflict with another node (serialization failure, deadlock, a concurrent insert of the same
 * key). Callers pass pure work, so running it again is safe.
 */
import pg from 'pg';

/** SQLSTATEs after which the whole transaction may simply be run again. */
const RETRYABLE = new Set(['40001', '40P01', '23505']);
/** Attempts before a conflict is reported: each one waits a little longer, so contention drains. */
const MAX_ATTEMPTS = 12;

// BIGINT (epoch ms, sequence numbers) fits a double until 2^53: parse it as a number, not a string
pg.types.setTypeParser(20, (v) => Number(v));

export type Queryable = pg.ClientBase;

export class PgDb {
  constructor(
    readonly pool: pg.Pool,
    private readonly ready: Promise<void>,
  ) {}

  /** Runs one statement; a `name` makes it a prepared statement on each connection. */
  async query<R extends pg.QueryResultRow>(
    text: string,
    values: unknown[] = [],
    name?: string,
  ): Promise<R[]> {
    await this.ready;
    const result = await this.pool.query<R>(name ? { name, text, values } : { text, values });
    return result.rows;
  }

  async rowCount(text: string, values: unknown[] = [], name?: string): Promise<number> {
    await this.ready;
    const result = await this.pool.query(name ? { name, text, values } : { text, values });
    return result.rowCount ?? 0;
  }

  /** Runs `work` in a transaction, again from the start after a retryable conflict. */
  async transaction<T>(work: (client: Queryable) => Promise<T>): Promise<T> {
    await this.ready;
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      let released = false;
      try {
        await client.query('BEGIN');
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        try {
          await client.query('ROLLBACK');
        } catch {
          // a broken connection: drop it from the pool instead of reusing it
          client.release(true);
          released = true;
        }
        const code = (err as { code?: string }).code;
        if (code === undefined || !RETRYABLE.has(code) || attempt >= MAX_ATTEMPTS) throw err;
        await new Promise((r) => setTimeout(r, Math.random() * 2 ** Math.min(attempt, 6)));
      } finally {
        if (!released) client.release();
      }
    }
  }
}
