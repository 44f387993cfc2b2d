/**
 * The dashboard's HTML pages and static files. Pages are read once at start-up and
 * served from memory; scripts and styles are files under static/ (the CSP allows
 * only same-origin scripts, so nothing is inline).
 */
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { readFileSync } from 'node:fs';
import { repoPath } from '../../paths.js';
import type { Access } from './auth.js';

export const DASHBOARD_STATIC_DIR = repoPath('src', 'server', 'dashboard', 'static');
const PAGES_DIR = repoPath('src', 'server', 'dashboard', 'pages');

/** What the login page loads before anyone has a session. */
export const PUBLIC_ASSETS: ReadonlySet<string> = new Set(['/dashboard/login.js', '/dashboard/dashboard.css']);

const PAGES: readonly { url: string; file: string; access: Access }[] = [
  { url: '/dashboard/login', file: 'login.html', access: 'public' },
  { url: '/dashboard', file: 'queue.html', access: 'staff' },
  { url: '/dashboard/tickets/:id', file: 'ticket.html', access: 'staff' },
  { url: '/dashboard/knowledge', file: 'knowledge.html', access: 'staff' },
  { url: '/dashboard/reports', file: 'reports.html', access: 'supervisor' },
  { url: '/dashboard/channels', file: 'channels.html', access: 'admin' },
  { url: '/dashboard/accounts', file: 'accounts.html', access: 'admin' },
];

export async function registerPages(app: FastifyInstance): Promise<void> {
  for (const page of PAGES) {
    const html = readFileSync(`${PAGES_DIR}/${page.file}`, 'utf8');
    app.get(page.url, { config: { access: page.access, page: true } }, async (_request, reply) =>
      reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html),
    );
  }
  app.get('/dashboard/', { config: { page: true } }, async (_request, reply) => reply.redirect('/dashboard', 302));
  // wildcard: false registers one route per file, so the route table lists every asset.
  await app.register(fastifyStatic, {
    root: DASHBOARD_STATIC_DIR,
    prefix: '/dashboard/',
    wildcard: false,
    index: false,
    decorateReply: false,
  });
}
