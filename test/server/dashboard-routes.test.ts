/**
 * Walks the whole route table and proves that every route except /healthz, the web chat
 * and login answers an anonymous request with 401 (API, assets) or a redirect to the
 * login page (HTML pages). A route added later without thought fails here.
 */
import type { RouteOptions } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './dashboard-harness.js';

let h: Harness;
afterEach(async () => h?.close());

/** Method + URL pairs allowed without a session. */
const PUBLIC = new Set([
  'GET /healthz',
  'GET /',
  'GET /chat.html',
  'GET /chat.js',
  'GET /chat.css',
  'GET /voice.js',
  'GET /widget.js',
  'POST /chat/visitors',
  'POST /chat/stream-tokens',
  'POST /chat/messages',
  'POST /chat/voice',
  'GET /chat/history',
  'GET /chat/welcome',
  'GET /chat/events',
  'POST /api/session',
  'GET /dashboard/login',
  'GET /dashboard/login.js',
  'GET /dashboard/dashboard.css',
]);

/** Every route in fastify's printed radix tree, as full paths. */
function printedRoutes(tree: string): { method: string; url: string }[] {
  const stack: string[] = [];
  const routes: { method: string; url: string }[] = [];
  for (const line of tree.split('\n')) {
    const at = line.indexOf('── ');
    if (at < 0) continue;
    const depth = Math.floor((at - 1) / 4) + 1;
    const match = /^(.*) \(([A-Z, ]+)\)$/.exec(line.slice(at + 3));
    const segment = match ? match[1]! : line.slice(at + 3);
    stack.length = depth - 1;
    const url = (stack[depth - 2] ?? '') + segment;
    stack.push(url);
    if (match) for (const method of match[2]!.split(', ')) routes.push({ method, url });
  }
  return routes;
}

const fill = (url: string): string => url.replace(':id', '1').replace(':username', 'siti').replace(':chart', 'intent');

describe('route table', () => {
  it('requires a session on every route but health, web chat and login', async () => {
    const collected: RouteOptions[] = [];
    h = await createHarness({ before: (app) => void app.addHook('onRoute', (route) => void collected.push(route)) });
    const routes = printedRoutes(h.app.printRoutes({ commonPrefix: false }));
    // The parsed tree contains every route the plugins registered (onRoute), so nothing is missed.
    const parsed = new Set(routes.map((r) => `${r.method} ${r.url}`));
    const registered = collected.flatMap((r) => (Array.isArray(r.method) ? r.method : [r.method]).map((m) => `${m} ${r.url}`));
    expect(registered.length).toBeGreaterThan(30);
    for (const key of registered) expect(parsed, key).toContain(key);
    for (const key of PUBLIC) expect(parsed, key).toContain(key);

    const checked: string[] = [];
    for (const { method, url } of routes) {
      if (method === 'OPTIONS') continue;
      const key = `${method === 'HEAD' ? 'GET' : method} ${url}`;
      if (PUBLIC.has(key)) continue;
      const response = await h.app.inject({ method: method as 'GET', url: fill(url), ...(method === 'GET' || method === 'HEAD' ? {} : { payload: {} }) });
      checked.push(key);
      if (response.statusCode === 302) {
        expect(response.headers.location, key).toMatch(/^\/dashboard\/login\?next=/);
      } else {
        expect(response.statusCode, key).toBe(401);
        if (method !== 'HEAD') expect(response.json(), key).toEqual({ error: { code: 'UNAUTHORIZED', message: 'please log in' } });
      }
    }
    // Sanity: the walk reached the API, the pages and the assets.
    expect(checked).toEqual(expect.arrayContaining(['GET /api/tickets', 'POST /api/tickets/:id/claim', 'GET /dashboard', 'GET /dashboard/queue.js', 'GET /api/events', 'DELETE /api/session']));
  });

  it('serves the login page and its assets without a session, under the strict CSP, never framed', async () => {
    h = await createHarness();
    const page = await h.app.inject({ method: 'GET', url: '/dashboard/login' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('lang="id"');
    expect(page.body).toContain('<script type="module" src="/dashboard/login.js"></script>');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect((await h.app.inject({ method: 'GET', url: '/dashboard/login.js' })).statusCode).toBe(200);
    expect((await h.app.inject({ method: 'GET', url: '/dashboard/dashboard.css' })).statusCode).toBe(200);
    // The chat may be framed by SAPA itself (and by the sites WEB_CHAT_FRAME_ANCESTORS names), not by any site.
    expect((await h.app.inject({ method: 'GET', url: '/' })).headers['content-security-policy']).toContain("frame-ancestors 'self';");
  });
});
