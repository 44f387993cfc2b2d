/**
 * The deployment recipes stay true: the systemd unit, the nginx example and the
 * Dockerfile. Parse-level checks always run; `systemd-analyze verify` and `nginx -t` run
 * when those tools are installed (Debian packages systemd and nginx; .ci/run installs
 * them) and are skipped with the reason otherwise. There is no Docker engine here, so
 * the Dockerfile is only read.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { REPO_ROOT } from '../../src/paths.js';

const UNIT_FILE = join(REPO_ROOT, 'deploy', 'sapa.service');
const NGINX_FILE = join(REPO_ROOT, 'deploy', 'nginx.conf');
const DOCKERFILE = join(REPO_ROOT, 'Dockerfile');
const DEFAULT_PORT = loadConfig({}).port;

const dir = mkdtempSync(join(tmpdir(), 'sapa-deploy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The absolute path of a program on PATH or in the sbin directories, or null. */
function which(program: string): string | null {
  const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/sbin', '/usr/bin', '/bin'];
  for (const d of dirs) {
    if (d && existsSync(join(d, program))) return join(d, program);
  }
  return null;
}

// ---- systemd ---------------------------------------------------------------------------

/** A unit file as section -> key -> values (a key may repeat). */
function parseUnit(text: string): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let current: Map<string, string[]> | null = null;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header?.[1]) {
      current = new Map();
      sections.set(header[1], current);
      continue;
    }
    const eq = line.indexOf('=');
    if (eq < 0 || current === null) throw new Error(`not a unit-file line: ${raw}`);
    const key = line.slice(0, eq).trim();
    current.set(key, [...(current.get(key) ?? []), line.slice(eq + 1).trim()]);
  }
  return sections;
}

describe('systemd unit (deploy/sapa.service)', () => {
  const text = readFileSync(UNIT_FILE, 'utf8');
  const unit = parseUnit(text);
  const service = unit.get('Service') ?? new Map<string, string[]>();
  const one = (key: string): string | undefined => service.get(key)?.at(-1);

  it('runs `node bin/sapa.js start` as the dedicated user, umask 077, restarts on failure, logs to journald', () => {
    expect(one('User')).toBe('sapa');
    expect(one('Group')).toBe('sapa');
    expect(one('UMask')).toBe('0077');
    expect(one('Restart')).toBe('on-failure');
    expect(one('StandardOutput')).toBe('journal');
    expect(one('StandardError')).toBe('journal');
    const workDir = one('WorkingDirectory');
    expect(workDir).toBeDefined();
    expect(one('ExecStart')).toBe(`/usr/bin/node ${workDir}/bin/sapa.js start`);
    expect(existsSync(join(REPO_ROOT, 'bin', 'sapa.js'))).toBe(true);
    expect(one('EnvironmentFile')).toBe(`${workDir}/.env`);
    expect(unit.get('Install')?.get('WantedBy')).toEqual(['multi-user.target']);
  });

  it('is hardened: read-only system, the database in the state directory, no privileges', () => {
    expect(one('NoNewPrivileges')).toBe('yes');
    expect(one('ProtectSystem')).toBe('strict');
    expect(one('ProtectHome')).toBe('yes');
    expect(one('PrivateTmp')).toBe('yes');
    expect(one('CapabilityBoundingSet')).toBe('');
    const stateDir = `/var/lib/${one('StateDirectory')}`;
    expect(one('StateDirectoryMode')).toBe('0700');
    expect(service.get('ReadWritePaths')?.join(' ').split(/\s+/)).toContain(stateDir);
    const db = (service.get('Environment') ?? []).map((e) => /^SAPA_DB=(.+)$/.exec(e)?.[1]).find(Boolean);
    expect(db && posix.dirname(db)).toBe(stateDir);
    // V8's JIT needs writable and executable memory: this option would stop node.
    expect(one('MemoryDenyWriteExecute')).not.toBe('yes');
  });

  const analyze = which('systemd-analyze');
  const skip = analyze ? null : 'systemd-analyze is missing: apt-get install systemd (.ci/run installs it) to verify the unit';
  if (skip) {
    it.skip(`systemd-analyze verify: ${skip}`, () => undefined);
  } else {
    it('passes `systemd-analyze verify` without a warning, and `security` rates it OK', () => {
      // ExecStart must name an existing executable; on a machine whose node is elsewhere,
      // check the copy with this node's path (the unit's own path is checked above).
      const copy = existsSync('/usr/bin/node') ? text : text.replace('/usr/bin/node', process.execPath);
      const file = join(dir, 'sapa.service');
      writeFileSync(file, copy);
      const verify = spawnSync(analyze as string, ['verify', '--man=no', file], { encoding: 'utf8', env: { ...process.env, SYSTEMD_LOG_COLOR: '0' } });
      expect({ status: verify.status, stderr: verify.stderr.trim() }).toEqual({ status: 0, stderr: '' });
      // Exposure 0-10 (shown as "OK" up to 3.9); fail above 2.0 so loosened hardening is noticed.
      const security = spawnSync(analyze as string, ['security', '--offline=yes', '--threshold=20', '--no-pager', file], { encoding: 'utf8' });
      expect(security.stdout).toMatch(/Overall exposure level for sapa\.service: \d\.\d OK/);
      expect(security.status, security.stdout.split('\n').filter((l) => l.includes('✗')).join('\n')).toBe(0);
    });
  }
});

// ---- nginx -----------------------------------------------------------------------------

describe('reverse proxy (deploy/nginx.conf)', () => {
  const text = readFileSync(NGINX_FILE, 'utf8');
  const body = text.replace(/#.*$/gm, '');

  /** The directives inside `location = path { ... }` (no nested blocks in this file). */
  function location(path: string): string | undefined {
    const escaped = path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    return new RegExp(`location\\s*=\\s*${escaped}\\s*\\{([^}]*)\\}`).exec(body)?.[1];
  }

  it('proxies to the default port over HTTPS and passes the client address and scheme', () => {
    expect(body).toMatch(new RegExp(`server\\s+127\\.0\\.0\\.1:${DEFAULT_PORT}\\s*;`));
    expect(body).toMatch(/listen\s+443\s+ssl\b/);
    expect(body).toMatch(/ssl_certificate\s+\S+;/);
    expect(body).toMatch(/ssl_certificate_key\s+\S+;/);
    expect(body).toMatch(/return\s+301\s+https:\/\/\$host\$request_uri;/);
    expect(body).toMatch(/proxy_set_header\s+X-Forwarded-For\s+\$proxy_add_x_forwarded_for;/);
    expect(body).toMatch(/proxy_set_header\s+X-Forwarded-Proto\s+\$scheme;/);
  });

  it('turns buffering off for every server-sent-events route the server has', () => {
    // Every route that opens an event stream (src/server, openEventStream or, within the stream limits, openLimitedStream).
    const routes: string[] = [];
    const walk = (d: string): void => {
      for (const entry of readdirSync(d, { withFileTypes: true })) {
        const path = join(d, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith('.ts')) {
          // A route is an event stream when its handler (up to the next route) opens one.
          const source = readFileSync(path, 'utf8');
          const found = [...source.matchAll(/app\.(?:get|post|route)\(\s*'([^']+)'/g)];
          found.forEach((m, i) => {
            const handler = source.slice(m.index, found[i + 1]?.index ?? source.length);
            if (m[1] && /open(?:Event|Limited)Stream\(/.test(handler)) routes.push(m[1]);
          });
        }
      }
    };
    walk(join(REPO_ROOT, 'src', 'server'));
    expect(routes.sort()).toEqual(['/api/events', '/chat/events']);
    for (const route of routes) {
      const block = location(route);
      expect(block, `location = ${route}`).toBeDefined();
      expect(block).toMatch(/proxy_buffering\s+off;/);
      expect(block).toMatch(/proxy_read_timeout\s+\S+;/);
      // A block with its own proxy_set_header would drop the server's X-Forwarded-* headers.
      expect(block).not.toMatch(/proxy_set_header/);
    }
  });

  it('lets voice notes from the chat page through, up to the server\'s own limit (#22)', () => {
    const block = location('/chat/voice');
    expect(block, 'location = /chat/voice').toBeDefined();
    const size = /client_max_body_size\s+(\d+)m;/.exec(block!)?.[1];
    expect(Number(size) * 1024 * 1024).toBeGreaterThanOrEqual(loadConfig({}).http.voiceBodyLimit);
    expect(block).toMatch(/proxy_pass\s+http:\/\/sapa;/);
    expect(block).not.toMatch(/proxy_set_header/);
  });

  const nginx = which('nginx');
  const openssl = which('openssl');
  const skip = !nginx
    ? 'nginx is missing: apt-get install nginx (.ci/run installs it) to check the example'
    : !openssl
      ? 'openssl is missing: it makes the test certificate'
      : null;
  if (skip) {
    it.skip(`nginx -t: ${skip}`, () => undefined);
  } else {
    it('passes `nginx -t` inside a minimal nginx.conf, with a throwaway certificate', () => {
      const cert = join(dir, 'cert.pem');
      const key = join(dir, 'key.pem');
      const made = spawnSync(openssl as string, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=sapa.example.go.id'], { encoding: 'utf8' });
      expect(made.status, made.stderr).toBe(0);
      const site = text
        .replace(/ssl_certificate\s+\S+;/, `ssl_certificate ${cert};`)
        .replace(/ssl_certificate_key\s+\S+;/, `ssl_certificate_key ${key};`);
      writeFileSync(join(dir, 'site.conf'), site);
      const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((k) => `  ${k}_temp_path ${join(dir, k)};`).join('\n');
      const mime = existsSync('/etc/nginx/mime.types') ? '  include /etc/nginx/mime.types;\n' : '';
      writeFileSync(
        join(dir, 'nginx.conf'),
        `pid ${join(dir, 'nginx.pid')};\nerror_log stderr;\nevents {}\nhttp {\n${mime}  access_log off;\n${temp}\n  include ${join(dir, 'site.conf')};\n}\n`,
      );
      const result = spawnSync(nginx as string, ['-t', '-q', '-p', dir, '-e', 'stderr', '-c', join(dir, 'nginx.conf')], { encoding: 'utf8' });
      // nginx 1.25.1+ prefers `http2 on;` to `listen ... http2` (Debian 12 has 1.22, where `http2 on` does not exist).
      const problems = result.stderr.split('\n').filter((l) => /\[(emerg|alert|crit|error|warn)\]/.test(l) && !/"listen \.\.\. http2" directive is deprecated/.test(l));
      expect({ status: result.status, problems }).toEqual({ status: 0, problems: [] });
    });
  }
});

// ---- Dockerfile ------------------------------------------------------------------------

interface Instruction {
  readonly op: string;
  readonly args: string;
}

/** Dockerfile instructions, continuation lines joined, comments dropped. */
function parseDockerfile(text: string): Instruction[] {
  const joined = text
    .split('\n')
    .filter((l) => !/^\s*#/.test(l))
    .join('\n')
    .replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const m = /^(\S+)\s+(.*)$/.exec(l);
      if (!m?.[1] || m[2] === undefined) throw new Error(`not an instruction: ${l}`);
      return { op: m[1].toUpperCase(), args: m[2].replace(/\s+/g, ' ') };
    });
}

describe('container recipe (Dockerfile, read only: no Docker engine here)', () => {
  const instructions = parseDockerfile(readFileSync(DOCKERFILE, 'utf8'));
  const lastFrom = instructions.map((i) => i.op).lastIndexOf('FROM');
  const build = instructions.slice(0, lastFrom);
  const final = instructions.slice(lastFrom);
  const all = (op: string, list = final): string[] => list.filter((i) => i.op === op).map((i) => i.args);
  const env = new Map(
    all('ENV').flatMap((args) => [...args.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1] as string, m[2] as string] as const)),
  );

  it('builds on Node.js 24 LTS, the version engines and CI promise', () => {
    const froms = all('FROM', instructions);
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const from of froms) expect(from).toMatch(/^node:24-bookworm-slim\b/);
    const engines = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
    expect(engines).toMatch(/\^24\./);
  });

  it('compiles better-sqlite3 with build tools and runs only the install scripts package.json allows', () => {
    const run = all('RUN', build).join(' && ');
    for (const tool of ['python3', 'make', 'g++']) expect(run).toContain(` ${tool}`);
    expect(run).toMatch(/npm ci --ignore-scripts/);
    const allowed = Object.entries((JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { allowScripts: Record<string, boolean> }).allowScripts)
      .filter(([, yes]) => yes)
      .map(([name]) => name);
    expect(allowed).toEqual(['better-sqlite3']);
    for (const name of allowed) expect(run).toContain(`npm rebuild ${name}`);
    expect(run).toMatch(/npm run build/);
    expect(run).toMatch(/npm prune --omit=dev/);
  });

  it('runs as a non-root user on the default port, keeps the database in a volume, umask 077', () => {
    const users = all('USER');
    expect(users).toHaveLength(1);
    expect(users[0]).not.toMatch(/^(root|0)(:|$)/);
    expect(all('EXPOSE')).toEqual([String(DEFAULT_PORT)]);
    expect(env.get('PORT')).toBe(String(DEFAULT_PORT));
    expect(env.get('HOST')).toBe('0.0.0.0');
    const db = env.get('SAPA_DB');
    expect(db).toBeDefined();
    expect(all('VOLUME').join(' ')).toContain(`"${posix.dirname(db as string)}"`);
    const cmd = all('CMD');
    expect(cmd).toHaveLength(1);
    expect(cmd[0]).toContain('umask 077');
    expect(cmd[0]).toContain('exec node bin/sapa.js start');
    expect(all('HEALTHCHECK').join(' ')).toContain(`127.0.0.1:${DEFAULT_PORT}/healthz`);
  });

  it('keeps secrets and local databases out of the build context, and keeps what the build compiles', () => {
    const ignore = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim());
    for (const entry of ['.env', 'node_modules', 'dist', 'data/*.db', '.git']) expect(ignore).toContain(entry);
    // tsconfig.build.json compiles some test folders (fakes for the benchmark): they must stay in.
    const include = (JSON.parse(readFileSync(join(REPO_ROOT, 'tsconfig.build.json'), 'utf8')) as { include: string[] }).include;
    for (const path of include.filter((p) => p.startsWith('test/'))) expect(ignore).toContain(`!${path}`);
    expect(existsSync(join(dirname(DOCKERFILE), '.dockerignore'))).toBe(true);
  });
});
