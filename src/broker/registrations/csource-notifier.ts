/**
 * Delivery of context source notifications (ETSI GS CIM 009 v1.8, clause 5.11.7 and 5.3.2
 * CsourceNotification): on subscription, on each change of a matching registration (triggerReason
 * newlyMatching, updated, noLongerMatching) and every timeInterval seconds when one is set. An
 * HTTP POST to the endpoint, retried with backoff; the outcome is written back to the
 * subscription's notification member (timesSent, lastSuccess, lastFailure, status).
 */
import { randomUUID } from 'node:crypto';
import {
  CORE_CONTEXT_URL,
  type CSourceRegistration,
  type CSourceSubscription,
  isRegistrationLive,
  type TermMap,
} from '../../ngsi/index.ts';
import type { Store, Tenant } from '../../store/index.ts';
import {
  csourceSubscriptionStatus,
  notifiedRegistration,
  subscriptionMatches,
} from './csource-subscription.ts';
import type { RegistrationChange } from './registration-ops.ts';

export type TriggerReason = 'newlyMatching' | 'updated' | 'noLongerMatching';

export interface CSourceNotifierOptions {
  store: Store;
  /** resolves a subscription's @context to a term map (notifications are compacted with it) */
  termsFor: (context: unknown) => Promise<TermMap>;
  fetch?: typeof fetch;
  now?: () => Date;
  /** delays before the 2nd, 3rd, ... attempt, in ms */
  retryDelaysMs?: number[];
  /** per-attempt timeout, ms */
  timeoutMs?: number;
}

/** Short first retries for a receiver restarting, then give up: the status says "failed". */
const DEFAULT_RETRY_DELAYS_MS = [200, 1000];
const DEFAULT_TIMEOUT_MS = 3000;

export type CSourceNotifier = ReturnType<typeof createCSourceNotifier>;

export function createCSourceNotifier(options: CSourceNotifierOptions) {
  const { store } = options;
  const doFetch = options.fetch ?? fetch;
  const clock = options.now ?? (() => new Date());
  const delays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const inFlight = new Set<Promise<void>>();
  const timers = new Map<string, NodeJS.Timeout>();
  let closed = false;

  const track = (p: Promise<void>) => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  };
  const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

  async function post(sub: CSourceSubscription, body: unknown): Promise<boolean> {
    const headers: Record<string, string> = { 'content-type': sub.notification.endpoint.accept };
    if (sub.notification.endpoint.accept === 'application/json') {
      const ctx = typeof sub.context === 'string' ? sub.context : CORE_CONTEXT_URL;
      headers.link = `<${ctx}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"`;
    }
    for (let attempt = 0; attempt <= delays.length; attempt++) {
      if (attempt > 0) await sleep(delays[attempt - 1]);
      if (closed) return false;
      try {
        const res = await doFetch(sub.notification.endpoint.uri, {
          method: 'POST',
          headers,
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(timeoutMs),
        });
        await res.arrayBuffer();
        if (res.ok) return true;
      } catch {
        // unreachable or timed out: retried below
      }
    }
    return false;
  }

  async function deliver(
    tenant: Tenant,
    sub: CSourceSubscription,
    regs: Array<{ reg: CSourceRegistration; infos: CSourceRegistration['information'] }>,
    reason: TriggerReason,
  ): Promise<void> {
    if (regs.length === 0 || closed) return;
    const terms = await options.termsFor(sub.context);
    const notifiedAt = clock().toISOString();
    const body: Record<string, unknown> = {
      id: `urn:ngsi-ld:Notification:${randomUUID()}`,
      type: 'Notification',
      subscriptionId: sub.id,
      notifiedAt,
      data: regs.map(({ reg, infos }) => notifiedRegistration(reg, infos, terms)),
      triggerReason: reason,
    };
    if (sub.notification.endpoint.accept === 'application/ld+json')
      body['@context'] = sub.context ?? CORE_CONTEXT_URL;
    const success = await post(sub, body);
    // a notifier closed while this was in flight leaves the store alone: it may be closed too
    if (closed) return;
    // read again: the subscription may have changed while the notification was in flight
    const current = await store.registrations.getCSourceSubscription(tenant, sub.id);
    if (!current) return;
    const at = clock().toISOString();
    const n = current.notification;
    n.timesSent += 1;
    n.lastNotification = at;
    if (success) {
      n.lastSuccess = at;
      n.status = 'ok';
    } else {
      n.lastFailure = at;
      n.timesFailed += 1;
      n.status = 'failed';
    }
    await store.registrations.replaceCSourceSubscription(tenant, current);
  }

  async function matchingRegistrations(tenant: Tenant, sub: CSourceSubscription) {
    const now = clock().toISOString();
    const terms = await options.termsFor(sub.context);
    const out: Array<{ reg: CSourceRegistration; infos: CSourceRegistration['information'] }> = [];
    for (const reg of await store.registrations.listRegistrations(tenant)) {
      if (!isRegistrationLive(reg, now)) continue;
      const infos = subscriptionMatches(sub, reg, terms);
      if (infos) out.push({ reg, infos });
    }
    return out;
  }

  async function notifyAllMatching(tenant: Tenant, id: string, reason: TriggerReason): Promise<void> {
    if (closed) return;
    const sub = await store.registrations.getCSourceSubscription(tenant, id);
    if (!sub || csourceSubscriptionStatus(sub, clock().toISOString()) !== 'active') return;
    await deliver(tenant, sub, await matchingRegistrations(tenant, sub), reason);
  }

  function schedule(tenant: Tenant, sub: CSourceSubscription): void {
    const key = `${tenant}\u0000${sub.id}`;
    clearInterval(timers.get(key));
    timers.delete(key);
    if (closed || sub.timeInterval === undefined) return;
    const timer = setInterval(
      () => track(notifyAllMatching(tenant, sub.id, 'updated')),
      sub.timeInterval * 1000,
    );
    timer.unref();
    timers.set(key, timer);
  }

  async function onRegistrationChange(tenant: Tenant, change: RegistrationChange): Promise<void> {
    const now = clock().toISOString();
    for (const sub of await store.registrations.listCSourceSubscriptions(tenant)) {
      if (sub.timeInterval !== undefined || csourceSubscriptionStatus(sub, now) !== 'active') continue;
      const terms = await options.termsFor(sub.context);
      const before = change.before ? subscriptionMatches(sub, change.before, terms) : undefined;
      const after = change.after ? subscriptionMatches(sub, change.after, terms) : undefined;
      if (after)
        await deliver(
          tenant,
          sub,
          [{ reg: change.after!, infos: after }],
          before ? 'updated' : 'newlyMatching',
        );
      else if (before)
        await deliver(tenant, sub, [{ reg: change.before!, infos: before }], 'noLongerMatching');
    }
  }

  return {
    /** start-up: periodic subscriptions resume */
    async start(): Promise<void> {
      for (const { tenant, subscription } of await store.registrations.allCSourceSubscriptions())
        schedule(tenant, subscription);
    },
    registrationChanged(tenant: Tenant, change: RegistrationChange): void {
      if (!closed) track(onRegistrationChange(tenant, change));
    },
    /** a new or updated subscription is notified of every registration it matches now (clause 5.11.2, 5.11.3) */
    subscriptionChanged(tenant: Tenant, sub: CSourceSubscription): void {
      if (closed) return;
      schedule(tenant, sub);
      track(notifyAllMatching(tenant, sub.id, 'newlyMatching'));
    },
    subscriptionDeleted(tenant: Tenant, id: string): void {
      const key = `${tenant}\u0000${id}`;
      clearInterval(timers.get(key));
      timers.delete(key);
    },
    /** resolves when every notification started so far has been delivered or given up */
    async idle(): Promise<void> {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    async close(): Promise<void> {
      closed = true;
      for (const t of timers.values()) clearInterval(t);
      timers.clear();
      await Promise.allSettled([...inFlight]);
    },
  };
}
