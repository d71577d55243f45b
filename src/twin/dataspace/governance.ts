/**
 * Trust between instances: one instance is the governance authority (as SIMPL's is) and keeps a
 * signed trust list of onboarded participants; every instance verifies signed requests against it.
 * A participant asks to be onboarded with a signed request; the authority's operator approves it
 * (in `publish.json` or with `POST /twinbox/v1/governance/onboarding/:did/approve`).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  checkParticipant,
  emptyTrustList,
  onboard,
  peekHeader,
  signTrustList,
  type TrustedParticipant,
  type TrustList,
  verificationKey,
  verifyRequest,
  verifyTrustList,
} from '../../dataspace/index.ts';
import type { DataspaceStore } from '../../store/index.ts';
import {
  type Caller,
  type Connector,
  isObject,
  NotOnboardedError,
  rawBody,
  sendProblem,
} from './connector.ts';
import { didForUrl, type Identity } from './identity.ts';
import { type PeerClient, SIGNATURE_HEADER } from './peer-client.ts';

/** Membership the authority grants: a year, renewed by onboarding again. */
const MEMBERSHIP_MS = 365 * 24 * 3600 * 1000;
/** How long a participant relies on a fetched trust list before asking the authority again. */
const TRUST_LIST_REFRESH_MS = 30_000;
/** Signed requests older than this are refused (and their ids remembered this long against replay). */
const REQUEST_MAX_AGE_S = 60;
const PARTICIPANT_ROLES = ['provider', 'consumer'];

export interface GovernanceOptions {
  identity: Identity;
  store: DataspaceStore;
  peers: PeerClient;
  publicUrl: string;
  name: string;
  /** `self`, or the authority's base URL. */
  authorityUrl: string | 'self';
  /** DIDs the operator approved in advance. */
  approved: string[];
  now(): Date;
}

export function createGovernance(o: GovernanceOptions) {
  const isAuthority = o.authorityUrl === 'self';
  const authorityDid = isAuthority ? o.identity.did : didForUrl(o.authorityUrl);
  let cached: { list: TrustList; at: number } | undefined;

  const iso = () => o.now().toISOString();

  function authorityList(): TrustList {
    const stored = o.store.getSetting('trust-list');
    if (stored) {
      const list = JSON.parse(stored) as TrustList;
      // a list issued under another URL (the instance now runs on another port or host) names
      // an identity nobody can verify any more: this authority starts a list of its own, and
      // participants onboard again under it
      if (list.issuer === o.identity.did) return list;
    }
    const first = onboard(
      emptyTrustList(o.identity.did, iso()),
      {
        did: o.identity.did,
        name: o.name,
        roles: ['governance-authority', ...PARTICIPANT_ROLES],
        ...validity(),
      },
      iso(),
    );
    if (!first.ok) throw new Error(first.reason);
    saveList(first.value);
    return first.value;
  }

  function validity() {
    const from = o.now();
    return {
      validFrom: from.toISOString(),
      validUntil: new Date(from.getTime() + MEMBERSHIP_MS).toISOString(),
    };
  }

  function saveList(list: TrustList) {
    o.store.putSetting('trust-list', JSON.stringify(list));
    o.store.putSetting('trust-list-jws', signTrustList(list, o.identity.key));
  }

  function approve(did: string, name: string | undefined, roles: string[]): TrustList {
    const participant: TrustedParticipant = { did, roles, ...validity() };
    if (name !== undefined) participant.name = name;
    const next = onboard(authorityList(), participant, iso());
    if (!next.ok) throw new Error(next.reason);
    saveList(next.value);
    const r = o.store.getOnboarding(did);
    o.store.putOnboarding({
      did,
      roles,
      requestedAt: r?.requestedAt ?? iso(),
      ...(name ? { name } : {}),
      status: 'approved',
      decidedAt: iso(),
    });
    return next.value;
  }

  async function fetchList(): Promise<TrustList | undefined> {
    if (isAuthority) return authorityList();
    try {
      const res = await o.peers.send('GET', `${o.authorityUrl}/twinbox/v1/governance/trust-list`);
      const jws = isObject(res.body) ? res.body.trustList : undefined;
      const doc = await o.peers.resolveDid(authorityDid);
      if (typeof jws !== 'string' || !doc) return cached?.list;
      const header = peekHeader(jws);
      if (!header.ok) return cached?.list;
      const key = verificationKey(doc, header.value.kid);
      if (!key.ok) return cached?.list;
      const list = verifyTrustList(jws, authorityDid, key.value);
      if (!list.ok) return cached?.list;
      cached = { list: list.value, at: Date.now() };
      return list.value;
    } catch {
      return cached?.list;
    }
  }

  async function trustList(fresh = false): Promise<TrustList | undefined> {
    if (isAuthority) return authorityList();
    if (!fresh && cached && Date.now() - cached.at < TRUST_LIST_REFRESH_MS) return cached.list;
    return fetchList();
  }

  /** Verifies the `Twinbox-Signature` of a request and returns its signer's DID. */
  async function verifySigner(
    request: FastifyRequest,
    publicUrl: string,
  ): Promise<{ ok: true; value: string } | { ok: false; reason: string }> {
    const jws = request.headers[SIGNATURE_HEADER];
    if (typeof jws !== 'string')
      return {
        ok: false,
        reason: `unsigned request: the ${SIGNATURE_HEADER} header is missing; there is no anonymous cross-city access`,
      };
    const header = peekHeader(jws);
    if (!header.ok) return { ok: false, reason: `request signature: ${header.reason}` };
    const did = header.value.kid.split('#')[0];
    const doc = await o.peers.resolveDid(did);
    if (!doc) return { ok: false, reason: `request signature: cannot resolve the DID document of ${did}` };
    const key = verificationKey(doc, header.value.kid);
    if (!key.ok) return { ok: false, reason: `request signature: ${key.reason}` };
    const body = rawBody(request)?.raw;
    const now = iso();
    const v = verifyRequest(jws, {
      method: request.method,
      url: `${publicUrl}${request.url}`,
      body,
      now,
      signerJwk: key.value,
      maxAgeS: REQUEST_MAX_AGE_S,
    });
    if (!v.ok) return v;
    if (v.value.iss !== did)
      return {
        ok: false,
        reason: `request signature: issuer ${v.value.iss} is not the key's controller ${did}`,
      };
    const nowMs = Date.parse(now);
    if (!o.store.rememberRequestId(`${did} ${v.value.jti}`, nowMs + 2 * REQUEST_MAX_AGE_S * 1000, nowMs)) {
      return { ok: false, reason: `request signature: request id ${v.value.jti} was used before (replay)` };
    }
    return { ok: true, value: did };
  }

  async function authenticate(
    request: FastifyRequest,
    role?: string,
  ): Promise<{ ok: true; value: Caller } | { ok: false; reason: string }> {
    const signer = await verifySigner(request, o.publicUrl);
    if (!signer.ok) return signer;
    let list = await trustList();
    let member = list ? checkParticipant(list, signer.value, iso(), role) : undefined;
    if (!member?.ok && !isAuthority) {
      // A participant onboarded since the last fetch is not refused for a stale copy.
      list = await trustList(true);
      member = list ? checkParticipant(list, signer.value, iso(), role) : undefined;
    }
    if (!member) return { ok: false, reason: `the trust list of ${authorityDid} is not available` };
    if (!member.ok) return { ok: false, reason: member.reason };
    return { ok: true, value: { did: signer.value, roles: member.value.roles } };
  }

  let onboarding: Promise<void> | undefined;
  async function ensureOnboarded(): Promise<void> {
    if (isAuthority) return;
    const list = await trustList();
    if (list && checkParticipant(list, o.identity.did, iso()).ok) return;
    onboarding ??= (async () => {
      const res = await o.peers.send('POST', `${o.authorityUrl}/twinbox/v1/governance/onboarding`, {
        did: o.identity.did,
        name: o.name,
        roles: PARTICIPANT_ROLES,
      });
      if (res.status >= 400) {
        throw new NotOnboardedError(`onboarding at ${o.authorityUrl} refused (${res.status}): ${res.text}`);
      }
      const fresh = await trustList(true);
      if (!fresh || !checkParticipant(fresh, o.identity.did, iso()).ok) {
        throw new NotOnboardedError(
          `${o.identity.did} is not on the trust list of ${authorityDid} yet: the onboarding request awaits approval by its operator`,
        );
      }
    })().finally(() => {
      onboarding = undefined;
    });
    return onboarding;
  }

  function routes(app: FastifyInstance, c: Connector) {
    app.get('/twinbox/v1/governance/trust-list', async () => {
      if (!isAuthority)
        return {
          authority: authorityDid,
          trustList: null,
          note: `this instance is not the governance authority; ask ${o.authorityUrl}`,
        };
      authorityList();
      return {
        authority: authorityDid,
        trustList: o.store.getSetting('trust-list-jws'),
        participants: authorityList().participants,
      };
    });

    app.post('/twinbox/v1/governance/onboarding', async (request, reply) => {
      if (!isAuthority)
        return sendProblem(
          reply,
          'OperationNotSupported',
          `this instance is not the governance authority; onboard at ${o.authorityUrl}`,
        );
      const signer = await verifySigner(request, o.publicUrl);
      if (!signer.ok) {
        c.audit({
          actor: 'unknown',
          action: 'governance.onboarding',
          outcome: 'refused',
          detail: signer.reason,
        });
        return sendProblem(reply, 'Unauthorized', signer.reason);
      }
      const body = rawBody(request)?.json;
      const roles =
        isObject(body) && Array.isArray(body.roles)
          ? body.roles.filter((r): r is string => PARTICIPANT_ROLES.includes(r as string))
          : PARTICIPANT_ROLES;
      const name = isObject(body) && typeof body.name === 'string' ? body.name : undefined;
      if (isObject(body) && body.did !== undefined && body.did !== signer.value) {
        return sendProblem(
          reply,
          'BadRequestData',
          `did ${String(body.did)} is not the signer ${signer.value}`,
        );
      }
      const did = signer.value;
      if (o.approved.includes(did) || o.store.getOnboarding(did)?.status === 'approved') {
        approve(did, name, roles);
        c.audit({
          actor: did,
          action: 'governance.onboarding',
          outcome: 'ok',
          detail: `approved ${did} as ${roles.join(', ')}`,
        });
        return { status: 'approved', trustList: o.store.getSetting('trust-list-jws') };
      }
      if (!o.store.getOnboarding(did))
        o.store.putOnboarding({
          did,
          roles,
          status: 'pending',
          requestedAt: iso(),
          ...(name ? { name } : {}),
        });
      c.audit({
        actor: did,
        action: 'governance.onboarding',
        outcome: 'refused',
        detail: `pending: the operator of ${o.identity.did} has not approved ${did}`,
      });
      return reply
        .code(202)
        .send({ status: 'pending', detail: `awaiting approval by the operator of ${o.identity.did}` });
    });

    app.get('/twinbox/v1/governance/onboarding', async (request, reply) => {
      if (!fromOperator(request))
        return sendProblem(reply, 'Forbidden', 'onboarding requests are shown to the local operator only');
      return o.store.listOnboarding();
    });

    app.post<{ Params: { did: string } }>(
      '/twinbox/v1/governance/onboarding/:did/approve',
      async (request, reply) => {
        if (!isAuthority)
          return sendProblem(reply, 'OperationNotSupported', 'this instance is not the governance authority');
        if (!fromOperator(request))
          return sendProblem(reply, 'Forbidden', 'only the local operator approves participants');
        const r = o.store.getOnboarding(request.params.did);
        approve(request.params.did, r?.name, r?.roles ?? PARTICIPANT_ROLES);
        c.audit({
          actor: 'operator',
          action: 'governance.approve',
          outcome: 'ok',
          detail: `approved ${request.params.did}`,
        });
        return { status: 'approved', did: request.params.did };
      },
    );
  }

  return { authorityDid, isAuthority, authenticate, ensureOnboarded, trustList, routes };
}

/** The operator is whoever runs the instance: requests from the machine itself. */
function fromOperator(request: FastifyRequest): boolean {
  return ['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(request.ip);
}
