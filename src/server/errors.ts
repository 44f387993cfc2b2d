/** The HTTP error catalogue: one place listing codes, statuses and messages (Fastify-style). */
export type HttpErrorCode =
  | 'BAD_REQUEST'
  | 'VALIDATION'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'RATE_LIMITED'
  | 'UNAVAILABLE'
  | 'INTERNAL';

const STATUS: Readonly<Record<HttpErrorCode, number>> = {
  BAD_REQUEST: 400,
  VALIDATION: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

export class HttpError extends Error {
  readonly status: number;
  constructor(
    readonly code: HttpErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
    this.status = STATUS[code];
  }
}

export interface ErrorBody {
  readonly error: { readonly code: HttpErrorCode; readonly message: string };
}

export function errorBody(code: HttpErrorCode, message: string): ErrorBody {
  return { error: { code, message } };
}

/** Maps Fastify's own errors (body too large, bad JSON, rate limit) onto the catalogue. */
export function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  const e = err as { statusCode?: number; code?: string; message?: string };
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || e.statusCode === 413) return new HttpError('PAYLOAD_TOO_LARGE', 'the request body is too large');
  if (e.statusCode === 429) return new HttpError('RATE_LIMITED', 'too many requests; please wait a moment');
  if (e.statusCode === 415) return new HttpError('BAD_REQUEST', 'send JSON (content-type: application/json)');
  if (e.statusCode !== undefined && e.statusCode >= 400 && e.statusCode < 500) {
    return new HttpError('BAD_REQUEST', e.message ?? 'bad request');
  }
  return new HttpError('INTERNAL', 'internal error');
}
