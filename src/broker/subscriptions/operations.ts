/**
 * Subscription operations (ETSI GS CIM 009 v1.8, clause 5.8): create, update, retrieve, query
 * and delete, per tenant. Bodies arrive with the term map of their request; ids the client does
 * not give are generated here, since ngsi/ draws no random numbers.
 */
import { randomUUID } from 'node:crypto';
import {
  fail,
  ok,
  parseSubscription,
  type Result,
  type Subscription,
  type TermMap,
  updateSubscription,
} from '../../ngsi/index.ts';
import type { Store, StoredSubscription, Tenant } from '../../store/index.ts';

export interface SubscriptionOperationsOptions {
  store: Store;
  now?: () => Date;
}

export type SubscriptionOperations = ReturnType<typeof createSubscriptionOperations>;

const notFound = (id: string): Result<never> => fail('ResourceNotFound', `subscription '${id}' not found`);

export function createSubscriptionOperations(options: SubscriptionOperationsOptions) {
  const subs = options.store.subscriptions;
  const clock = options.now ?? (() => new Date());

  return {
    /** clause 5.8.1 Create Subscription */
    async createSubscription(
      tenant: Tenant,
      body: unknown,
      terms: TermMap,
      context: unknown,
    ): Promise<Result<Subscription>> {
      const parsed = parseSubscription(body, terms, {
        now: clock().toISOString(),
        id: `urn:ngsi-ld:Subscription:${randomUUID()}`,
        context,
      });
      if (!parsed.ok) return parsed;
      if (!(await subs.create(tenant, parsed.value)))
        return fail('AlreadyExists', `subscription '${parsed.value.id}' already exists`);
      return parsed;
    },

    /** clause 5.8.2 Update Subscription */
    async updateSubscription(
      tenant: Tenant,
      id: string,
      fragment: unknown,
      terms: TermMap,
      context: unknown,
    ): Promise<Result<void>> {
      const current = await subs.get(tenant, id);
      if (!current) return notFound(id);
      const next = updateSubscription(current.subscription, fragment, terms, clock().toISOString(), context);
      if (!next.ok) return next;
      if (!(await subs.replace(tenant, next.value))) return notFound(id);
      return ok(undefined);
    },

    /** clause 5.8.3 Retrieve Subscription */
    async retrieveSubscription(tenant: Tenant, id: string): Promise<Result<StoredSubscription>> {
      const found = await subs.get(tenant, id);
      return found ? ok(found) : notFound(id);
    },

    /** clause 5.8.4 Query Subscriptions */
    querySubscriptions(
      tenant: Tenant,
      page: { limit: number; offset: number },
    ): Promise<{ items: StoredSubscription[]; count: number }> {
      return subs.list(tenant, page);
    },

    /** clause 5.8.5 Delete Subscription */
    async deleteSubscription(tenant: Tenant, id: string): Promise<Result<void>> {
      return (await subs.delete(tenant, id)) ? ok(undefined) : notFound(id);
    },

    now(): string {
      return clock().toISOString();
    },
  };
}
