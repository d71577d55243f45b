export { type Notifier, type NotifierOptions, startNotifier } from './notifier.ts';
export { createSubscriptionOperations, type SubscriptionOperations } from './operations.ts';
