/**
 * Context source registration subscription operations (ETSI GS CIM 009 v1.8, clause 5.11.2–5.11.6):
 * create, update, retrieve, query and delete; the notifier learns of every change so it sends
 * the initial notification and keeps periodic ones on schedule.
 */
import type { CSourceSubscription } from '../../ngsi/index.ts';
import { fail, ok, type Result, type TermMap } from '../../ngsi/index.ts';
import type { Store, Tenant } from '../../store/index.ts';
import type { CSourceNotifier } from './csource-notifier.ts';
import { parseCSourceSubscription } from './csource-subscription.ts';

export interface CSourceSubscriptionBrokerOptions {
  store: Store;
  notifier: CSourceNotifier;
  now?: () => Date;
}

export type CSourceSubscriptionBroker = ReturnType<typeof createCSourceSubscriptionBroker>;

export function createCSourceSubscriptionBroker(options: CSourceSubscriptionBrokerOptions) {
  const store = options.store.registrations;
  const { notifier } = options;
  const clock = options.now ?? (() => new Date());
  const notFound = (id: string): Result<never> =>
    fail('ResourceNotFound', `context source registration subscription '${id}' not found`);

  return {
    /** clause 5.11.2 Create Context Source Registration Subscription */
    async createSubscription(
      tenant: Tenant,
      body: unknown,
      terms: TermMap,
      context: unknown,
    ): Promise<Result<string>> {
      const parsed = parseCSourceSubscription(body, terms, { now: clock().toISOString(), context });
      if (!parsed.ok) return parsed;
      if (!(await store.createCSourceSubscription(tenant, parsed.value))) {
        return fail(
          'AlreadyExists',
          `context source registration subscription '${parsed.value.id}' already exists`,
        );
      }
      notifier.subscriptionChanged(tenant, parsed.value);
      return ok(parsed.value.id);
    },

    /** clause 5.11.3 Update Context Source Registration Subscription */
    async updateSubscription(
      tenant: Tenant,
      id: string,
      fragment: unknown,
      terms: TermMap,
    ): Promise<Result<void>> {
      const current = await store.getCSourceSubscription(tenant, id);
      if (!current) return notFound(id);
      const parsed = parseCSourceSubscription(fragment, terms, { now: clock().toISOString(), current });
      if (!parsed.ok) return parsed;
      if (!(await store.replaceCSourceSubscription(tenant, parsed.value))) return notFound(id);
      notifier.subscriptionChanged(tenant, parsed.value);
      return ok(undefined);
    },

    /** clause 5.11.4 Retrieve Context Source Registration Subscription */
    async retrieveSubscription(tenant: Tenant, id: string): Promise<Result<CSourceSubscription>> {
      const sub = await store.getCSourceSubscription(tenant, id);
      return sub ? ok(sub) : notFound(id);
    },

    /** clause 5.11.5 Query Context Source Registration Subscriptions, in creation order */
    async querySubscriptions(
      tenant: Tenant,
      page: { limit: number; offset: number },
    ): Promise<{ subscriptions: CSourceSubscription[]; count: number }> {
      const all = await store.listCSourceSubscriptions(tenant);
      return { subscriptions: all.slice(page.offset, page.offset + page.limit), count: all.length };
    },

    /** clause 5.11.6 Delete Context Source Registration Subscription */
    async deleteSubscription(tenant: Tenant, id: string): Promise<Result<void>> {
      if (!(await store.deleteCSourceSubscription(tenant, id))) return notFound(id);
      notifier.subscriptionDeleted(tenant, id);
      return ok(undefined);
    },
  };
}
