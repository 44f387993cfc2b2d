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
 * - GET /cdn/{name} serves registered attachment files (the URLs put in webhook payloads).
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
  close(): Promise<void>;
}

export async function createFakeGraphApi(options: FakeGraphOptions): Promise<FakeGraphApi> {
  const calls: SendCall[] = [];
  const queue: GraphScript[] = [];
  const files = new Map<string, { contentType: string; data: Uint8Array }>();
  let token = options.token;
  let counter = 0;

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
        const file = files.get(segments[1]);
        if (file === undefined) return json(res, 404, { error: 'not found' });
        res.writeHead(200, { 'content-type': file.contentType, 'content-length': String(file.data.byteLength) });
        return res.end(file.data);
      }
      if (segments[0] !== options.version) {
        return graphError(res, 400, 2500, `Unknown path components: /${segments.join('/')}`);
      }
      const auth = req.headers.authorization;
      if (auth !== `Bearer ${token}`) return graphError(res, 400, 190, 'Invalid OAuth access token - Cannot parse access token');
      if (req.method === 'GET' && segments.length === 2 && segments[1] === 'me') {
        return json(res, 200, { id: options.accountId, name: 'Kantor Imigrasi Kupang' });
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
        calls.push({ pathId, body, answered });
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
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
