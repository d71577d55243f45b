/**
 * SQLite schema and its migrations. Each part of the engine (entities, history, subscriptions,
 * registrations) owns a named list of steps; `schema_migration` records how far each list has
 * been applied, so an old file is brought forward on open and a newer one is refused.
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
  // scalar attribute values, so q terms like `no2>40` or `refDevice==urn:x` find their
  // candidates by index instead of scanning every entity of a type
  `CREATE TABLE attr_value (pk INTEGER NOT NULL, tenant TEXT NOT NULL, attr TEXT NOT NULL, num REAL, str TEXT);
   CREATE INDEX attr_value_pk ON attr_value (pk);
   CREATE INDEX attr_value_num ON attr_value (tenant, attr, num) WHERE num IS NOT NULL;
   CREATE INDEX attr_value_str ON attr_value (tenant, attr, str) WHERE str IS NOT NULL;
   INSERT INTO attr_value (pk, tenant, attr, num, str)
     SELECT e.pk, e.tenant, a.key,
       CASE WHEN json_type(i.value, '$.value') IN ('integer', 'real') THEN json_extract(i.value, '$.value') END,
       CASE WHEN json_extract(i.value, '$.type') = 'Relationship' AND json_type(i.value, '$.object') = 'text' THEN json_extract(i.value, '$.object')
            WHEN json_type(i.value, '$.value') = 'text' AND length(json_extract(i.value, '$.value')) <= 256 THEN json_extract(i.value, '$.value') END
     FROM entity e, json_each(e.doc, '$.attrs') a, json_each(a.value) i
     WHERE json_type(i.value, '$.value') IN ('integer', 'real', 'text') OR json_type(i.value, '$.object') = 'text';`,
  // the value indexes carry pk, so a q term's candidates come from the index alone instead of
  // one table row lookup per matching value
  `DROP INDEX attr_value_num;
   DROP INDEX attr_value_str;
   CREATE INDEX attr_value_num ON attr_value (tenant, attr, num, pk) WHERE num IS NOT NULL;
   CREATE INDEX attr_value_str ON attr_value (tenant, attr, str, pk) WHERE str IS NOT NULL;`,
  // attribute names interned per tenant: an index entry is three numbers instead of a tenant and
  // an IRI of ~50 bytes, so the value index is a third of the size and a write dirties fewer
  // pages; the rows are rebuilt from the documents on open
  `DROP TABLE attr_value;
   CREATE TABLE attr_name (nid INTEGER PRIMARY KEY, tenant TEXT NOT NULL, name TEXT NOT NULL, UNIQUE (tenant, name));
   CREATE TABLE attr_value (pk INTEGER NOT NULL, nid INTEGER NOT NULL, num REAL, str TEXT);
   CREATE INDEX attr_value_pk ON attr_value (pk, nid);
   CREATE INDEX attr_value_num ON attr_value (nid, num, pk) WHERE num IS NOT NULL;
   CREATE INDEX attr_value_str ON attr_value (nid, str, pk) WHERE str IS NOT NULL;`,
  // documents as JSON text: every read returned them as text anyway (json() per row, ~10 µs for
  // a dozen attributes) and every write converted them (jsonb()); queries prefilter through the
  // value index, not through JSON functions on the documents
  `UPDATE entity SET doc = json(doc);`,
];

/** Applies the steps of `part` not yet applied, each in its own transaction. */
export function migratePart(db: Database.Database, part: string, steps: string[]): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migration (part TEXT PRIMARY KEY, version INTEGER NOT NULL)');
  const row = db
    .prepare<[string], { version: number }>('SELECT version FROM schema_migration WHERE part = ?')
    .get(part);
  const version = row?.version ?? 0;
  if (version > steps.length) {
    throw new Error(
      `store schema '${part}' version ${version} is newer than this twinbox (${steps.length}); upgrade twinbox`,
    );
  }
  for (let v = version; v < steps.length; v++) {
    db.transaction(() => {
      db.exec(steps[v]);
      db.prepare('INSERT OR REPLACE INTO schema_migration (part, version) VALUES (?, ?)').run(part, v + 1);
    })();
  }
}

export function migrate(db: Database.Database): void {
  migratePart(db, 'entities', MIGRATIONS);
  // the value index holds every value a q term can compare (arrays, language maps, vocab IRIs,
  // long strings by prefix); rows written before that are rebuilt from the documents on open
  migratePart(db, 'attr-value-coverage', ['DELETE FROM attr_value;']);
}
