/**
 * The context source side of a broker in one piece (ETSI GS CIM 009 v1.8, clause 4.3.6, 5.9–5.11):
 * registrations, registration subscriptions with their notifier, and distributed retrieve and
 * query, wired so that every registration change reaches the subscriptions.
 */
import type { TermMap } from '../../ngsi/index.ts';
import type { Store } from '../../store/index.ts';
import { createCSourceNotifier } from './csource-notifier.ts';
import { createCSourceSubscriptionBroker } from './csource-subscription-ops.ts';
import { createDistributedQuery } from './distributed-query.ts';
import { createRegistrationBroker } from './registration-ops.ts';

export interface FederationOptions {
  store: Store;
  /** this broker's name in Via headers, read per request (the public URL is known only once listening) */
  self: () => string;
  termsFor: (context: unknown) => Promise<TermMap>;
  fetch?: typeof fetch;
  /** how long a context source may take to answer a forwarded request */
  timeoutMs?: number;
  now?: () => Date;
}

export type Federation = ReturnType<typeof createFederation>;

export function createFederation(options: FederationOptions) {
  const { store, now } = options;
  const registrations = createRegistrationBroker({ store, now });
  const notifier = createCSourceNotifier({ store, termsFor: options.termsFor, fetch: options.fetch, now });
  const subscriptions = createCSourceSubscriptionBroker({ store, notifier, now });
  const distributed = createDistributedQuery({
    store,
    fetch: options.fetch,
    timeoutMs: options.timeoutMs,
    self: options.self,
    now,
  });
  registrations.onChange((tenant, change) => notifier.registrationChanged(tenant, change));
  return { registrations, subscriptions, notifier, distributed };
}
