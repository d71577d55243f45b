/**
 * SQLite schema and its migrations. `user_version` records the applied step, so an old file is
 * brought forward on open and a newer one is refused rather than misread.
 */
import type Database from 'better-sqlite3';

const MIGRATIONS: string[] = [
  `CREATE TABLE tenant (name TEXT PRIMARY KEY) WITHOUT ROWID;
   CREATE TABLE entity (
     pk INTEGER PRIMARY KEY,
     tenant TEXT NOT NULL,
     id TEXT NOT NULL,
     doc BLOB NOT NULL,
     UNIQUE (tenant, id)
   );
   CREATE TABLE entity_type (
     tenant TEXT NOT NULL,
     type TEXT NOT NULL,
     id TEXT NOT NULL,
     pk INTEGER NOT NULL,
     PRIMARY KEY (tenant, type, id)
   ) WITHOUT ROWID;
   CREATE INDEX entity_type_pk ON entity_type (pk);
   CREATE TABLE geo_ref (gid INTEGER PRIMARY KEY, pk INTEGER NOT NULL, attr TEXT NOT NULL);
   CREATE INDEX geo_ref_pk ON geo_ref (pk);
   CREATE INDEX geo_ref_attr ON geo_ref (attr, pk);
   CREATE VIRTUAL TABLE geo_rtree USING rtree(gid, minX, maxX, minY, maxY);
   CREATE TABLE jsonld_context (
     id TEXT PRIMARY KEY,
     url TEXT NOT NULL,
     kind TEXT NOT NULL,
     body TEXT NOT NULL,
     created_at TEXT NOT NULL,
     last_usage TEXT,
     hits INTEGER NOT NULL DEFAULT 0
   );`,
];

export function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > MIGRATIONS.length) {
    throw new Error(`store schema version ${version} is newer than this twinbox (${MIGRATIONS.length}); upgrade twinbox`);
  }
  for (let v = version; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
