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

/**
 * Distinct statement texts that get a prepared statement of their own: query shapes repeat (one
 * per combination of filters and list lengths), and a prepared one skips parsing and analysis.
 * Past this many, further shapes run unnamed, so odd clients cannot grow every connection.
 */
const MAX_PREPARED_SHAPES = 500;

export type Queryable = pg.ClientBase;

export class PgDb {
  private isReady = false;
  private readonly shapes = new Map<string, string>();

  constructor(
    readonly pool: pg.Pool,
    private readonly ready: Promise<void>,
  ) {
    ready.then(
      () => {
        this.isReady = true;
      },
      () => undefined,
    );
  }

  /** Runs one statement; a `name` makes it a prepared statement on each connection. */
  async query<R extends pg.QueryResultRow>(
    text: string,
    values: unknown[] = [],
    name?: string,
  ): Promise<R[]> {
    if (!this.isReady) await this.ready;
    const result = await this.pool.query<R>(name ? { name, text, values } : { text, values });
    return result.rows;
  }

  /** Runs a statement built at run time, prepared under a name of its own while there are few. */
  async queryShape<R extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<R[]> {
    let name = this.shapes.get(text);
    if (name === undefined && this.shapes.size < MAX_PREPARED_SHAPES) {
      name = `tb_shape_${this.shapes.size}`;
      this.shapes.set(text, name);
    }
    return this.query<R>(text, values, name);
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
