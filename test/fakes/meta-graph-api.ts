/**
 * A fake Meta Graph API on loopback, speaking HTTP JSON the way graph.facebook.com and
 * graph.instagram.com do, so the Messenger/Instagram adapter runs its real fetch calls:
 *
 * - POST /{version}/{id}/messages (`me`, the page id or the Instagram account id) checks
 *   the version, the Bearer token and the JSON body, records the call, and answers
 *   `{recipient_id, message_id}`; it can be scripted to fail with Meta's error envelope
 *   (`{error: {message, type, code, error_subcode, fbtrace_id}}`), a bare 5xx, or 429
 *   with Retry-After.
 * - GET /{version}/me answers the account (or 190 for a wrong token).
 * - GET /{version}/{person id}?fields=... answers a registered profile (Messenger's
 *   first_name/last_name, Instagram's name/username) or Meta's "no such object" error;
 *   lookups can be held (answered later) to show intake does not wait for them.
 * - GET /refresh_access_token?grant_type=ig_refresh_token&access_token=... (unversioned,
 *   as on graph.instagram.com) issues a new token valid `expires_in` seconds, after which
 *   only the new token is accepted; it can be scripted to fail.
 * - GET /cdn/{name} serves registered attachment files (the URLs put in webhook payloads);
 *   a file can be held (no answer until released) to stop a webhook batch mid-way.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeGraphOptions {
  readonly version: string;
  /** The account the token belongs to: page id (Messenger) or Instagram account id. */
  readonly accountId: string;
  readonly token: string;
}

export type GraphScript =
  | { readonly kind: 'error'; readonly status: number; readonly code: number; readonly subcode?: number; readonly message: string; readonly retryAfterSeconds?: number }
  | { readonly kind: 'http'; readonly status: number; readonly retryAfterSeconds?: number };

export const graphErrors = {
  serverError: (): GraphScript => ({ kind: 'http', status: 503 }),
  temporary: (): GraphScript => ({ kind: 'error', status: 500, code: 2, message: 'An unexpected error has occurred. Please retry your request later.' }),
  tooManyRequests: (retryAfterSeconds?: number): GraphScript => ({
    kind: 'http',
    status: 429,
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
  }),
  rateLimited: (): GraphScript => ({ kind: 'error', status: 400, code: 613, message: 'Calls to this api have exceeded the rate limit.' }),
  invalidToken: (): GraphScript => ({ kind: 'error', status: 400, code: 190, subcode: 463, message: 'Error validating access token: Session has expired.' }),
  outsideWindow: (): GraphScript => ({
    kind: 'error',
    status: 400,
    code: 10,
    subcode: 2018278,
    message: '(#10) This message is sent outside of allowed window.',
  }),
  unavailable: (): GraphScript => ({ kind: 'error', status: 400, code: 551, message: 'This person isn\'t available right now.' }),
} as const;

export interface SendCall {
  /** The id in the path: `me`, the page id or the Instagram account id. */
  readonly pathId: string;
  readonly body: {
    readonly recipient?: { readonly id?: string };
    readonly messaging_type?: string;
    readonly tag?: string;
    readonly message?: { readonly text?: string; readonly quick_replies?: readonly { content_type: string; title: string; payload: string }[] };
  };
  readonly answered: number;
  /** The access token the call carried. */
  readonly token: string;
}

export interface FakeGraphApi {
  readonly apiRoot: string;
  /** Every POST .../messages, failed ones included, in order. */
  readonly calls: readonly SendCall[];
  /** Only the calls answered 200. */
  sent(): SendCall[];
  /** The next POSTs fail with these, in order. */
  script(...failures: GraphScript[]): void;
  /** A file the webhook payloads can point at: returns its URL. */
  addFile(name: string, contentType: string, data: Uint8Array): string;
  /** Token refused from now on (190) until reset. */
  setToken(token: string): void;
  /** The token accepted now. */
  token(): string;
  /** A person's profile, answered to GET /{version}/{id}?fields=... */
  addProfile(id: string, profile: Record<string, string>): void;
  /** Profile lookups made (the person ids), in order, answered or not. */
  readonly profileLookups: readonly string[];
  /** Profile lookups wait until `releaseProfiles()`. */
  holdProfiles(): void;
  releaseProfiles(): void;
  /** Token refreshes made (the token presented), in order. */
  readonly refreshes: readonly { readonly token: string; readonly answered: number }[];
  /** The next token refreshes fail with these, in order. */
  scriptRefresh(...failures: GraphScript[]): void;
  /** Requests for this CDN file get no answer until `releaseFile`. */
  holdFile(name: string): void;
  releaseFile(name: string): void;
  close(): Promise<void>;
}

export async function createFakeGraphApi(options: FakeGraphOptions): Promise<FakeGraphApi> {
  const calls: SendCall[] = [];
  const queue: GraphScript[] = [];
  const files = new Map<string, { contentType: string; data: Uint8Array }>();
  /** Tokens accepted: a refresh adds the new one (the old stays valid until it expires, as at Meta). */
  let valid = new Set([options.token]);
  let token = options.token;
  let counter = 0;
  const profiles = new Map<string, Record<string, string>>();
  const profileLookups: string[] = [];
  let profileGate: { promise: Promise<void>; release: () => void } | null = null;
  const refreshes: { token: string; answered: number }[] = [];
  const refreshQueue: GraphScript[] = [];
  let refreshCounter = 0;
  const heldFiles = new Map<string, { promise: Promise<void>; release: () => void }>();
  const gate = (): { promise: Promise<void>; release: () => void } => {
    let release = (): void => undefined;
    const promise = new Promise<void>((resolve) => {
      release = resolve;
    });
    return { promise, release };
  };

  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
    res.end(JSON.stringify(body));
  };
  const graphError = (res: ServerResponse, status: number, code: number, message: string, subcode?: number, headers?: Record<string, string>): void =>
    json(res, status, { error: { message, type: code === 190 ? 'OAuthException' : 'GraphMethodException', code, ...(subcode !== undefined ? { error_subcode: subcode } : {}), fbtrace_id: 'AbCdEf123' } }, headers);

  const readBody = (req: IncomingMessage): Promise<string> =>
    new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const segments = url.pathname.split('/').filter((s) => s !== '');
      if (req.method === 'GET' && segments[0] === 'cdn' && segments[1] !== undefined) {
        const held = heldFiles.get(segments[1]);
        if (held !== undefined) await held.promise;
        const file = files.get(segments[1]);
        if (file === undefined) return json(res, 404, { error: 'not found' });
        res.writeHead(200, { 'content-type': file.contentType, 'content-length': String(file.data.byteLength) });
        return res.end(file.data);
      }
      if (req.method === 'GET' && segments.length === 1 && segments[0] === 'refresh_access_token') {
        // graph.instagram.com/refresh_access_token: the token in the query, no version in the path.
        const presented = url.searchParams.get('access_token') ?? '';
        const scripted = refreshQueue.shift();
        refreshes.push({ token: presented, answered: scripted?.status ?? (valid.has(presented) ? 200 : 400) });
        if (url.searchParams.get('grant_type') !== 'ig_refresh_token') return graphError(res, 400, 100, 'Unsupported grant_type');
        if (scripted !== undefined) {
          if (scripted.kind === 'http') {
            res.writeHead(scripted.status, { 'content-type': 'text/html' });
            return res.end('<html>Service Unavailable</html>');
          }
          return graphError(res, scripted.status, scripted.code, scripted.message, scripted.subcode);
        }
        if (!valid.has(presented)) return graphError(res, 400, 190, 'Invalid OAuth access token - Cannot parse access token');
        refreshCounter += 1;
        token = `IGAARefreshedToken${refreshCounter}x${'0'.repeat(24)}`;
        valid.add(token);
        return json(res, 200, { access_token: token, token_type: 'bearer', expires_in: 5_184_000 });
      }
      if (segments[0] !== options.version) {
        return graphError(res, 400, 2500, `Unknown path components: /${segments.join('/')}`);
      }
      const auth = req.headers.authorization ?? '';
      const bearer = auth.startsWith('Bearer ') ? auth.slice('Bearer '.length) : '';
      if (!valid.has(bearer)) return graphError(res, 400, 190, 'Invalid OAuth access token - Cannot parse access token');
      if (req.method === 'GET' && segments.length === 2 && segments[1] === 'me') {
        return json(res, 200, { id: options.accountId, name: 'Kantor Imigrasi Kupang' });
      }
      if (req.method === 'GET' && segments.length === 2 && url.searchParams.has('fields')) {
        const id = segments[1]!;
        profileLookups.push(id);
        if (profileGate !== null) await profileGate.promise;
        const profile = profiles.get(id);
        if (profile === undefined) {
          return graphError(res, 400, 100, `Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`, 33);
        }
        const fields = (url.searchParams.get('fields') ?? '').split(',');
        return json(res, 200, { id, ...Object.fromEntries(Object.entries(profile).filter(([key]) => fields.includes(key))) });
      }
      if (req.method === 'POST' && segments.length === 3 && segments[2] === 'messages') {
        const pathId = segments[1]!;
        if (pathId !== 'me' && pathId !== options.accountId) return graphError(res, 400, 100, 'Unsupported post request. Object does not exist');
        if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return graphError(res, 400, 100, 'Invalid content type');
        let body: SendCall['body'];
        try {
          body = JSON.parse(await readBody(req)) as SendCall['body'];
        } catch {
          return graphError(res, 400, 100, 'Invalid JSON');
        }
        const scripted = queue.shift();
        const answered = scripted === undefined ? 200 : scripted.status;
        calls.push({ pathId, body, answered, token: bearer });
        if (scripted !== undefined) {
          const headers: Record<string, string> = scripted.retryAfterSeconds !== undefined ? { 'retry-after': String(scripted.retryAfterSeconds) } : {};
          if (scripted.kind === 'http') {
            res.writeHead(scripted.status, { 'content-type': 'text/html', ...headers });
            return res.end('<html>Service Unavailable</html>');
          }
          return graphError(res, scripted.status, scripted.code, scripted.message, scripted.subcode, headers);
        }
        const recipient = body.recipient?.id;
        if (typeof recipient !== 'string') return graphError(res, 400, 100, '(#100) The parameter recipient is required');
        if (body.message?.text === undefined || body.message.text === '') return graphError(res, 400, 100, '(#100) Param message[text] must be non-empty');
        if (Array.isArray(body.message.quick_replies) && body.message.quick_replies.length > 13) return graphError(res, 400, 100, 'Too many quick replies');
        counter += 1;
        return json(res, 200, { recipient_id: recipient, message_id: `m_fake${counter}` });
      }
      return graphError(res, 400, 100, 'Unsupported request');
    })().catch((err: unknown) => {
      res.writeHead(500);
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const apiRoot = `http://127.0.0.1:${port}`;

  return {
    apiRoot,
    calls,
    sent: () => calls.filter((call) => call.answered === 200),
    script: (...failures) => queue.push(...failures),
    addFile(name, contentType, data) {
      files.set(name, { contentType, data });
      return `${apiRoot}/cdn/${name}`;
    },
    setToken(next) {
      token = next;
      valid = new Set([next]);
    },
    token: () => token,
    addProfile(id, profile) {
      profiles.set(id, profile);
    },
    profileLookups,
    holdProfiles() {
      profileGate ??= gate();
    },
    releaseProfiles() {
      profileGate?.release();
      profileGate = null;
    },
    refreshes,
    scriptRefresh: (...failures) => refreshQueue.push(...failures),
    holdFile(name) {
      if (!heldFiles.has(name)) heldFiles.set(name, gate());
    },
    releaseFile(name) {
      heldFiles.get(name)?.release();
      heldFiles.delete(name);
    },
    close: () =>
      new Promise<void>((resolve) => {
        profileGate?.release();
        for (const held of heldFiles.values()) held.release();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
