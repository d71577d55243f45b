/**
 * The context source part of the Store (ETSI GS CIM 009 v1.8, clause 5.9–5.11): registrations
 * and registration subscriptions, per tenant, in creation order. They are few and small, so
 * engines keep whole documents and the broker matches them in memory.
 */
import type { CSourceRegistration, CSourceSubscription } from '../ngsi/index.ts';
import type { Tenant } from './store.ts';

export interface RegistrationStore {
  /** false when the tenant already has a registration with this id */
  createRegistration(tenant: Tenant, registration: CSourceRegistration): Promise<boolean>;
  getRegistration(tenant: Tenant, id: string): Promise<CSourceRegistration | undefined>;
  /** every registration of the tenant, in creation order */
  listRegistrations(tenant: Tenant): Promise<CSourceRegistration[]>;
  /** false when there is no such registration */
  replaceRegistration(tenant: Tenant, registration: CSourceRegistration): Promise<boolean>;
  deleteRegistration(tenant: Tenant, id: string): Promise<boolean>;

  createCSourceSubscription(tenant: Tenant, subscription: CSourceSubscription): Promise<boolean>;
  getCSourceSubscription(tenant: Tenant, id: string): Promise<CSourceSubscription | undefined>;
  listCSourceSubscriptions(tenant: Tenant): Promise<CSourceSubscription[]>;
  /** every registration subscription of every tenant (the notifier's view at start-up) */
  allCSourceSubscriptions(): Promise<Array<{ tenant: Tenant; subscription: CSourceSubscription }>>;
  replaceCSourceSubscription(tenant: Tenant, subscription: CSourceSubscription): Promise<boolean>;
  deleteCSourceSubscription(tenant: Tenant, id: string): Promise<boolean>;
}
