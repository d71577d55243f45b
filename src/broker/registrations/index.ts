export {
  type CSourceNotifier,
  type CSourceNotifierOptions,
  createCSourceNotifier,
  type TriggerReason,
} from './csource-notifier.ts';
export {
  compactCSourceSubscription,
  csourceSubscriptionStatus,
  parseCSourceSubscription,
  subscriptionMatches,
} from './csource-subscription.ts';
export {
  type CSourceSubscriptionBroker,
  createCSourceSubscriptionBroker,
} from './csource-subscription-ops.ts';
export {
  createDistributedQuery,
  DEFAULT_FORWARD_TIMEOUT_MS,
  type DistributedQuery,
  type DistributedQueryOptions,
  type DistributedResult,
  type ForwardContext,
} from './distributed-query.ts';
export { type EntityFragment, mergeById, mergeFragments, parseRemoteEntity } from './entity-merge.ts';
export { createFederation, type Federation, type FederationOptions } from './federation.ts';
export {
  createRegistrationBroker,
  type IntervalQuery,
  type RegistrationBroker,
  type RegistrationChange,
  type RegistrationDraft,
  type RegistrationQuery,
  registrationMatches,
} from './registration-ops.ts';
