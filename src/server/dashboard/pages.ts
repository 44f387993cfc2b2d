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

/**
 * Signed-in pages are a fragment (pages/<name>.html) inside the shared layout (header,
 * menu, the page's script `<name>.js`); the login page is a whole document.
 */
type Page =
  | { readonly url: string; readonly access: Access; readonly layout: 'none'; readonly file: string }
  | { readonly url: string; readonly access: Access; readonly layout: 'staff'; readonly name: string; readonly title: string };

const PAGES: readonly Page[] = [
  { url: '/dashboard/login', access: 'public', layout: 'none', file: 'login.html' },
  { url: '/dashboard', access: 'staff', layout: 'staff', name: 'queue', title: 'Antrean' },
  { url: '/dashboard/tickets/:id', access: 'staff', layout: 'staff', name: 'ticket', title: 'Tiket' },
  { url: '/dashboard/record', access: 'staff', layout: 'staff', name: 'record', title: 'Catat aduan' },
  { url: '/dashboard/knowledge', access: 'staff', layout: 'staff', name: 'knowledge', title: 'Pengetahuan' },
  { url: '/dashboard/reports', access: 'supervisor', layout: 'staff', name: 'reports', title: 'Laporan' },
  { url: '/dashboard/channels', access: 'admin', layout: 'staff', name: 'channels', title: 'Kanal' },
  { url: '/dashboard/accounts', access: 'admin', layout: 'staff', name: 'accounts', title: 'Akun' },
  { url: '/dashboard/audit', access: 'admin', layout: 'staff', name: 'audit', title: 'Log audit' },
];

function renderPage(page: Page, layout: string): string {
  if (page.layout === 'none') return readFileSync(`${PAGES_DIR}/${page.file}`, 'utf8');
  const body = readFileSync(`${PAGES_DIR}/${page.name}.html`, 'utf8');
  // Plain replacement: the values are our own constants and files, never request data.
  return layout.replace('{{title}}', () => page.title).replace('{{script}}', () => page.name).replace('{{body}}', () => body);
}

export async function registerPages(app: FastifyInstance): Promise<void> {
  const layout = readFileSync(`${PAGES_DIR}/_layout.html`, 'utf8');
  for (const page of PAGES) {
    const html = renderPage(page, layout);
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
