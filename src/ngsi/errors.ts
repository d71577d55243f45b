/**
 * ProblemDetails (RFC 9457) with the NGSI-LD error types of ETSI GS CIM 009 clause 5.5.2.
 * Expected failures travel as values (`Result<T>`); only http/ turns them into responses.
 */

export const ErrorType = {
  InvalidRequest: 'https://uri.etsi.org/ngsi-ld/errors/InvalidRequest',
  BadRequestData: 'https://uri.etsi.org/ngsi-ld/errors/BadRequestData',
  AlreadyExists: 'https://uri.etsi.org/ngsi-ld/errors/AlreadyExists',
  OperationNotSupported: 'https://uri.etsi.org/ngsi-ld/errors/OperationNotSupported',
  ResourceNotFound: 'https://uri.etsi.org/ngsi-ld/errors/ResourceNotFound',
  InternalError: 'https://uri.etsi.org/ngsi-ld/errors/InternalError',
  TooComplexQuery: 'https://uri.etsi.org/ngsi-ld/errors/TooComplexQuery',
  TooManyResults: 'https://uri.etsi.org/ngsi-ld/errors/TooManyResults',
  LdContextNotAvailable: 'https://uri.etsi.org/ngsi-ld/errors/LdContextNotAvailable',
  NoMultiTenantSupport: 'https://uri.etsi.org/ngsi-ld/errors/NoMultiTenantSupport',
  NonexistentTenant: 'https://uri.etsi.org/ngsi-ld/errors/NonexistentTenant',
  NotImplemented: 'https://uri.etsi.org/ngsi-ld/errors/NotImplemented',
  Conflict: 'https://uri.etsi.org/ngsi-ld/errors/Conflict',
  PayloadTooLarge: 'https://uri.etsi.org/ngsi-ld/errors/PayloadTooLarge',
  NotAcceptable: 'https://uri.etsi.org/ngsi-ld/errors/NotAcceptable',
  UnsupportedMediaType: 'https://uri.etsi.org/ngsi-ld/errors/UnsupportedMediaType',
  Forbidden: 'https://uri.etsi.org/ngsi-ld/errors/Forbidden',
  Unauthorized: 'https://uri.etsi.org/ngsi-ld/errors/Unauthorized',
  GatewayTimeout: 'https://uri.etsi.org/ngsi-ld/errors/GatewayTimeout',
} as const;

export type ErrorTypeName = keyof typeof ErrorType;

/** HTTP status of each error type (clause 6.3.2, table 6.3.2-1, plus the HTTP-level ones). */
export const ErrorStatus: Record<ErrorTypeName, number> = {
  InvalidRequest: 400,
  BadRequestData: 400,
  AlreadyExists: 409,
  OperationNotSupported: 422,
  ResourceNotFound: 404,
  InternalError: 500,
  TooComplexQuery: 403,
  TooManyResults: 403,
  LdContextNotAvailable: 503,
  NoMultiTenantSupport: 501,
  NonexistentTenant: 404,
  NotImplemented: 501,
  Conflict: 409,
  PayloadTooLarge: 413,
  NotAcceptable: 406,
  UnsupportedMediaType: 415,
  Forbidden: 403,
  Unauthorized: 401,
  GatewayTimeout: 504,
};

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; problem: ProblemDetails };

const TITLES: Record<ErrorTypeName, string> = {
  InvalidRequest: 'Invalid request',
  BadRequestData: 'Bad request data',
  AlreadyExists: 'Already exists',
  OperationNotSupported: 'Operation not supported',
  ResourceNotFound: 'Resource not found',
  InternalError: 'Internal error',
  TooComplexQuery: 'Too complex query',
  TooManyResults: 'Too many results',
  LdContextNotAvailable: 'JSON-LD context not available',
  NoMultiTenantSupport: 'No multi-tenant support',
  NonexistentTenant: 'Nonexistent tenant',
  NotImplemented: 'Not implemented',
  Conflict: 'Conflict',
  PayloadTooLarge: 'Payload too large',
  NotAcceptable: 'Not acceptable',
  UnsupportedMediaType: 'Unsupported media type',
  Forbidden: 'Forbidden',
  Unauthorized: 'Unauthorized',
  GatewayTimeout: 'Gateway timeout',
};

export function problem(name: ErrorTypeName, detail: string, instance?: string): ProblemDetails {
  const p: ProblemDetails = { type: ErrorType[name], title: TITLES[name], status: ErrorStatus[name], detail };
  if (instance !== undefined) p.instance = instance;
  return p;
}

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(name: ErrorTypeName, detail: string, instance?: string): Result<T> {
  return { ok: false, problem: problem(name, detail, instance) };
}

export const badRequest = (detail: string): Result<never> => fail('BadRequestData', detail);
export const invalidRequest = (detail: string): Result<never> => fail('InvalidRequest', detail);
export const notFound = (detail: string): Result<never> => fail('ResourceNotFound', detail);
