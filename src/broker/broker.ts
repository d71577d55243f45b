/**
 * NGSI-LD context information operations (ETSI GS CIM 009 v1.8, clause 5.6 provision and 5.7
 * consumption) over a Store. Inputs are already parsed `Entity` values; outputs are entities in
 * normal form or problems. Committed changes are handed to the change listeners (history,
 * subscriptions) after the transaction.
 */
import {
  type Attribute,
  type Entity,
  fail,
  ok,
  type ProblemDetails,
  problem,
  type Result,
} from '../ngsi/index.ts';
import type {
  EntityChange,
  EntityQuery,
  QueryResult,
  Store,
  Tenant,
  TypeSummary,
  WritePlan,
} from '../store/index.ts';
import {
  type AttributeOutcome,
  appendAttributes,
  deleteAttribute,
  mergeEntity,
  partialUpdateAttribute,
  replaceAttribute,
  replaceEntity,
  stampNewEntity,
  updateAttributes,
  withoutScope,
  withScopes,
} from './entity-ops.ts';

/** The scope member, as an attribute name expands to (clause 4.18). */
const SCOPE = 'https://uri.etsi.org/ngsi-ld/scope';

export type ChangeListener = (tenant: Tenant, changes: EntityChange[]) => void;

export interface BrokerOptions {
  store: Store;
  /** the clock: system attributes and notifications read time only through it */
  now?: () => Date;
}

export interface BatchError {
  entityId: string;
  error: ProblemDetails;
}

export interface BatchResult {
  success: string[];
  errors: BatchError[];
  /** ids of entities the batch created (upsert tells created from updated by it) */
  created: string[];
}

export type BatchInput =
  | { ok: true; entity: Entity }
  | { ok: false; entityId: string; problem: ProblemDetails };

export type Broker = ReturnType<typeof createBroker>;

export function createBroker(options: BrokerOptions) {
  const { store } = options;
  const clock = options.now ?? (() => new Date());
  const listeners: ChangeListener[] = [];
  const stamp = () => clock().toISOString();

  async function write<T>(
    tenant: Tenant,
    ids: string[],
    mutate: (current: ReadonlyMap<string, Entity>) => WritePlan<T>,
  ): Promise<T> {
    const { result, changes } = await store.modifyEntities(tenant, ids, mutate);
    if (changes.length > 0) for (const l of listeners) l(tenant, changes);
    return result;
  }

  const notFound = (id: string): Result<never> => fail('ResourceNotFound', `entity '${id}' not found`);

  return {
    store,
    onChanges(listener: ChangeListener): void {
      listeners.push(listener);
    },

    /** clause 5.6.1 Create Entity */
    createEntity(tenant: Tenant, entity: Entity): Promise<Result<void>> {
      const now = stamp();
      return write(tenant, [entity.id], (current) => {
        if (current.has(entity.id))
          return { writes: [], result: fail('AlreadyExists', `entity '${entity.id}' already exists`) };
        return { writes: [{ id: entity.id, entity: stampNewEntity(entity, now) }], result: ok(undefined) };
      });
    },

    /** clause 5.7.1 Retrieve Entity */
    async retrieveEntity(tenant: Tenant, id: string): Promise<Result<Entity>> {
      const entity = await store.getEntity(tenant, id);
      return entity ? ok(entity) : notFound(id);
    },

    /** clause 5.7.2 Query Entities */
    async queryEntities(tenant: Tenant, query: EntityQuery): Promise<QueryResult> {
      return store.queryEntities(tenant, query);
    },

    /** clause 5.6.18 Replace Entity */
    replaceEntity(tenant: Tenant, id: string, replacement: Entity): Promise<Result<void>> {
      const now = stamp();
      return write(tenant, [id], (current) => {
        const existing = current.get(id);
        if (!existing) return { writes: [], result: notFound(id) };
        const next = replaceEntity(existing, { ...replacement, id }, now);
        return { writes: [{ id, entity: next }], result: ok(undefined) };
      });
    },

    /** clause 5.6.17 Merge Entity */
    mergeEntity(tenant: Tenant, id: string, patch: Entity): Promise<Result<void>> {
      const now = stamp();
      return write(tenant, [id], (current) => {
        const existing = current.get(id);
        if (!existing) return { writes: [], result: notFound(id) };
        return { writes: [{ id, entity: mergeEntity(existing, patch, now) }], result: ok(undefined) };
      });
    },

    /** clause 5.6.6 Delete Entity */
    deleteEntity(tenant: Tenant, id: string): Promise<Result<void>> {
      return write(tenant, [id], (current) => {
        if (!current.has(id)) return { writes: [], result: notFound(id) };
        return { writes: [{ id, entity: null }], result: ok(undefined) };
      });
    },

    /** clause 5.6.3 Append Entity Attributes: attributes, types and scopes of a fragment */
    appendAttributes(
      tenant: Tenant,
      id: string,
      fragment: Entity,
      noOverwrite: boolean,
    ): Promise<Result<AttributeOutcome>> {
      const now = stamp();
      return write(tenant, [id], (current) => {
        const existing = current.get(id);
        if (!existing) return { writes: [], result: notFound(id) };
        const { entity, outcome } = appendAttributes(existing, fragment.attrs, now, noOverwrite);
        // append overwrites the scope unless noOverwrite asks to keep what is there (clause 4.18)
        let next = withScopes(entity, fragment.scope, noOverwrite ? 'append' : 'replace', now);
        const newTypes = fragment.type.filter((t) => !next.type.includes(t));
        if (newTypes.length > 0) next = { ...next, type: [...next.type, ...newTypes] };
        const changed = outcome.updated.length > 0 || newTypes.length > 0 || fragment.scope !== undefined;
        return { writes: changed ? [{ id, entity: next }] : [], result: ok(outcome) };
      });
    },

    /** clause 5.6.2 Update Entity Attributes: attributes, types and scopes of a fragment */
    updateAttributes(tenant: Tenant, id: string, fragment: Entity): Promise<Result<AttributeOutcome>> {
      const now = stamp();
      return write(tenant, [id], (current) => {
        const existing = current.get(id);
        if (!existing) return { writes: [], result: notFound(id) };
        const { entity, outcome } = updateAttributes(existing, fragment.attrs, now);
        let next = entity;
        if (fragment.scope !== undefined) {
          if (existing.scope && existing.scope.length > 0)
            next = withScopes(next, fragment.scope, 'replace', now);
          else
            outcome.notUpdated.push({ attributeName: 'scope', reason: 'the entity has no scope to update' });
        }
        const newTypes = fragment.type.filter((t) => !next.type.includes(t));
        if (newTypes.length > 0) next = { ...next, type: [...next.type, ...newTypes] };
        const changed =
          next !== existing &&
          (outcome.updated.length > 0 || newTypes.length > 0 || next.scope !== existing.scope);
        return { writes: changed ? [{ id, entity: next }] : [], result: ok(outcome) };
      });
    },

    /** clause 5.6.4 Partial Attribute Update */
    partialAttributeUpdate(
      tenant: Tenant,
      id: string,
      name: string,
      patch: Attribute,
      typeGiven = true,
    ): Promise<Result<void>> {
      const now = stamp();
      return write(tenant, [id], (current) => {
        const existing = current.get(id);
        if (!existing) return { writes: [], result: notFound(id) };
        const stored = existing.attrs[name]?.find((a) => (a.datasetId ?? '') === (patch.datasetId ?? ''));
        if (stored && typeGiven && stored.type !== patch.type) {
          return {
            writes: [],
            result: fail('BadRequestData', `attribute '${name}' is a ${stored.type}, not a ${patch.type}`),
          };
        }
        const next = partialUpdateAttribute(existing, name, patch, now, typeGiven);
        if (!next)
          return {
            writes: [],
            result: fail('ResourceNotFound', `attribute '${name}' not found in entity '${id}'`),
          };
        return { writes: [{ id, entity: next }], result: ok(undefined) };
      });
    },

    /** clause 5.6.19 Replace Attribute */
    replaceAttribute(
      tenant: Tenant,
      id: string,
      name: string,
      instances: Attribute[],
    ): Promise<Result<void>> {
      const now = stamp();
      return write(tenant, [id], (current) => {
        const existing = current.get(id);
        if (!existing) return { writes: [], result: notFound(id) };
        if (!existing.attrs[name])
          return {
            writes: [],
            result: fail('ResourceNotFound', `attribute '${name}' not found in entity '${id}'`),
          };
        return {
          writes: [{ id, entity: replaceAttribute(existing, name, instances, now) }],
          result: ok(undefined),
        };
      });
    },

    /** clause 5.6.5 Delete Entity Attribute */
    deleteAttribute(
      tenant: Tenant,
      id: string,
      name: string,
      datasetId?: string,
      deleteAll = false,
    ): Promise<Result<void>> {
      const now = stamp();
      return write(tenant, [id], (current) => {
        const existing = current.get(id);
        if (!existing) return { writes: [], result: notFound(id) };
        const next =
          name === SCOPE
            ? withoutScope(existing, now)
            : deleteAttribute(existing, name, now, datasetId, deleteAll);
        if (!next) {
          const which = datasetId ? ` with datasetId '${datasetId}'` : '';
          return {
            writes: [],
            result: fail('ResourceNotFound', `attribute '${name}'${which} not found in entity '${id}'`),
          };
        }
        return { writes: [{ id, entity: next }], result: ok(undefined) };
      });
    },

    /** clauses 5.6.7–5.6.10, 5.6.20: batch create, upsert, update, delete, merge, in one transaction */
    async batch(
      tenant: Tenant,
      mode: BatchMode,
      inputs: BatchInput[],
      flags: { replace?: boolean; noOverwrite?: boolean } = {},
    ): Promise<BatchResult> {
      const now = stamp();
      const result: BatchResult = { success: [], errors: [], created: [] };
      const valid: Entity[] = [];
      for (const input of inputs) {
        if (input.ok) valid.push(input.entity);
        else result.errors.push({ entityId: input.entityId, error: input.problem });
      }
      const ids = [...new Set(valid.map((e) => e.id))];
      return write(tenant, ids, (current) => {
        const state = new Map(current);
        const writes = new Map<string, Entity | null>();
        const out: BatchResult = { success: [], errors: [...result.errors], created: [] };
        for (const e of valid) {
          const existing = state.get(e.id);
          let next: Entity | null | undefined;
          let error: ProblemDetails | undefined;
          switch (mode) {
            case 'create':
              if (existing) error = problem('AlreadyExists', `entity '${e.id}' already exists`);
              else next = stampNewEntity(e, now);
              break;
            case 'upsert':
              if (!existing) next = stampNewEntity(e, now);
              else if (flags.replace === false) {
                next = appendAttributes(existing, e.attrs, now, false).entity;
                for (const t of e.type) if (!next.type.includes(t)) next.type = [...next.type, t];
              } else next = replaceEntity(existing, e, now);
              if (!existing) out.created.push(e.id);
              break;
            case 'update': {
              if (!existing) {
                error = problem('ResourceNotFound', `entity '${e.id}' not found`);
                break;
              }
              const appended = appendAttributes(existing, e.attrs, now, flags.noOverwrite ?? false);
              next = appended.entity;
              const newTypes = e.type.filter((t) => !next!.type.includes(t));
              if (newTypes.length > 0) next = { ...next, type: [...next.type, ...newTypes] };
              if (appended.outcome.notUpdated.length > 0) {
                // the rest of the entity is written; the attributes kept are reported (clause 5.6.9)
                const names = [...new Set(appended.outcome.notUpdated.map((n) => n.attributeName))];
                out.errors.push({
                  entityId: e.id,
                  error: problem('BadRequestData', `not overwritten (noOverwrite): ${names.join(', ')}`),
                });
              }
              break;
            }
            case 'merge':
              if (!existing) error = problem('ResourceNotFound', `entity '${e.id}' not found`);
              else next = mergeEntity(existing, e, now);
              break;
            case 'delete':
              if (!existing) error = problem('ResourceNotFound', `entity '${e.id}' not found`);
              else next = null;
              break;
          }
          if (error) {
            out.errors.push({ entityId: e.id, error });
            continue;
          }
          if (next === undefined) continue;
          writes.set(e.id, next);
          if (next === null) state.delete(e.id);
          else state.set(e.id, next);
          out.success.push(e.id);
        }
        return { writes: [...writes].map(([id, entity]) => ({ id, entity })), result: out };
      });
    },

    /** clause 5.7.5–5.7.8: types and attributes */
    typeSummaries(tenant: Tenant): Promise<TypeSummary[]> {
      return store.typeSummaries(tenant);
    },

    tenantExists(tenant: Tenant): Promise<boolean> {
      return tenant === '' ? Promise.resolve(true) : store.tenantExists(tenant);
    },
  };
}

export type BatchMode = 'create' | 'upsert' | 'update' | 'delete' | 'merge';
