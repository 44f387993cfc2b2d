/**
 * The Graph API over plain fetch: JSON in, JSON out, the token in the Authorization
 * header (never in a URL, so it stays out of proxy logs), a timeout on every call, and
 * Meta's error envelope `{error: {message, type, code, error_subcode, fbtrace_id}}`
 * turned into a value. No SDK: the two calls SAPA makes do not need one.
 */

export interface GraphClientOptions {
  /** https://graph.facebook.com (Messenger) or https://graph.instagram.com (Instagram Login). */
  readonly apiRoot: string;
  /** v25.0 */
  readonly version: string;
  /** Read at each call, so a refreshed token is used at once. */
  readonly token: () => string;
  readonly requestTimeoutMs: number;
}

/** What went wrong with a Graph call, without the request (text, recipient) or the token. */
export interface GraphFailure {
  /** HTTP status; undefined when no response arrived (network error, timeout). */
  readonly status?: number;
  readonly code?: number;
  readonly subcode?: number;
  readonly message: string;
  /** From a Retry-After header, when Meta sent one. */
  readonly retryAfterMs?: number;
}

export type GraphResult = { readonly ok: true; readonly body: Record<string, unknown> } | { readonly ok: false; readonly failure: GraphFailure };

export interface GraphClient {
  post(path: string, body: unknown): Promise<GraphResult>;
  get(path: string, query?: Record<string, string>): Promise<GraphResult>;
}

export function createGraphClient(options: GraphClientOptions): GraphClient {
  const base = `${options.apiRoot.replace(/\/+$/, '')}/${options.version}`;

  async function call(method: 'GET' | 'POST', path: string, body: unknown, query: Record<string, string> | undefined): Promise<GraphResult> {
    const url = new URL(`${base}/${path.replace(/^\/+/, '')}`);
    for (const [key, value] of Object.entries(query ?? {})) url.searchParams.set(key, value);
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${options.token()}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(options.requestTimeoutMs),
        redirect: 'error',
      });
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      return { ok: false, failure: { message: timedOut ? `no answer from Meta within ${options.requestTimeoutMs} ms` : `network error: ${describe(err)}` } };
    }
    let parsed: unknown;
    try {
      parsed = await response.json();
    } catch {
      parsed = undefined;
    }
    if (response.ok && isObject(parsed) && !isObject(parsed['error'])) return { ok: true, body: parsed };
    return { ok: false, failure: failureOf(response, parsed) };
  }

  return {
    post: (path, body) => call('POST', path, body, undefined),
    get: (path, query) => call('GET', path, undefined, query),
  };
}

/** Meta's error envelope (or the bare HTTP status) as a failure value. */
export function failureOf(response: Response, parsed: unknown): GraphFailure {
  const retryAfterMs = retryAfterOf(response.headers.get('retry-after'));
  const error = isObject(parsed) && isObject(parsed['error']) ? parsed['error'] : undefined;
  const code = typeof error?.['code'] === 'number' ? error['code'] : undefined;
  const subcode = typeof error?.['error_subcode'] === 'number' ? error['error_subcode'] : undefined;
  const text = typeof error?.['message'] === 'string' ? error['message'].slice(0, 300) : `HTTP ${response.status}`;
  return {
    status: response.status,
    message: text,
    ...(code !== undefined ? { code } : {}),
    ...(subcode !== undefined ? { subcode } : {}),
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  };
}

/** Retry-After in seconds (Meta does not send HTTP dates); capped at an hour. */
function retryAfterOf(header: string | null): number | undefined {
  if (header === null || !/^\d{1,6}$/.test(header.trim())) return undefined;
  return Math.min(Number(header.trim()), 3600) * 1000;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function describe(err: unknown): string {
  if (err instanceof Error) {
    const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
    return `${err.message}${cause}`;
  }
  return String(err);
}
