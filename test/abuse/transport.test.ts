/**
 * Abuse suite, transport (issue 17, part A): the real program (`sapa start`, the compiled
 * dist/ as `npm start` runs it) on loopback, attacked with real sockets from several
 * loopback source addresses (Linux routes all of 127.0.0.0/8 to lo), while a probe from
 * another address times GET /healthz and the server's memory is read from
 * /proc/<pid>/status. The figures are printed for the README.
 *
 * - 500 connections each trickling a 4 MB body to POST /chat/messages (half with a
 *   Content-Length, half chunked): each is refused (413) or cut off, RSS stays under
 *   300 MB and /healthz answers within 1 s throughout;
 * - 20,000 stream attempts from one address, each with a fresh visitor id and stream
 *   token: at most SSE_STREAMS_PER_ADDRESS are accepted, descriptors stay bounded and
 *   /healthz stays fine;
 * - idle sockets beyond HTTP_MAX_CONNECTIONS_PER_ADDRESS are closed at once;
 * - deep JSON is refused quickly (400 / 413);
 * - rotating X-Forwarded-For does not escape the login limit with the default TRUST_PROXY,
 *   while TRUST_PROXY=127.0.0.1 takes the header (the audit log shows which address);
 * - a malformed Telegram update with the right secret is acknowledged (200) and logged,
 *   and the bot still answers the next one.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest, type IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/paths.js';
import { createFakeBotApi, type FakeBotApi } from '../fakes/telegram-bot-api.js';

const dir = mkdtempSync(join(tmpdir(), 'sapa-abuse-transport-'));
const servers: RunningServer[] = [];
let fake: FakeBotApi | null = null;

afterAll(async () => {
  for (const server of servers) server.proc.kill('SIGKILL');
  await fake?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface RunningServer {
  readonly proc: ChildProcessWithoutNullStreams;
  readonly port: number;
  readonly pid: number;
  readonly dbPath: string;
  output(): string;
}

async function startServer(name: string, env: Record<string, string>): Promise<RunningServer> {
  const dbPath = join(dir, `${name}.db`);
  const proc = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'sapa.js'), 'start'], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env['PATH'] ?? '',
      SAPA_MODEL_CACHE: process.env['SAPA_MODEL_CACHE'] ?? '',
      DOTENV_CONFIG_QUIET: 'true',
      SAPA_DB: dbPath,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      ...env,
    },
  });
  let out = '';
  proc.stdout.on('data', (chunk: Buffer) => (out = (out + chunk.toString()).slice(-200_000)));
  proc.stderr.on('data', (chunk: Buffer) => (out = (out + chunk.toString()).slice(-200_000)));
  const deadline = Date.now() + 60_000;
  let port: number | null = null;
  while (port === null) {
    const match = /"url":"http:\/\/127\.0\.0\.1:(\d+)"/.exec(out);
    if (match) port = Number(match[1]);
    else if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`server did not start:\n${out}`);
    else await sleep(50);
  }
  const server: RunningServer = { proc, port, pid: proc.pid!, dbPath, output: () => out };
  servers.push(server);
  return server;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function procStatusMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

const openDescriptors = (pid: number): number => readdirSync(`/proc/${pid}/fd`).length;

/** CPU seconds the process has used (user + system). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

interface Reply {
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

/** One request on its own connection (or the given agent), from `localAddress`. */
function call(
  port: number,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string; localAddress?: string; agent?: Agent; timeoutMs?: number },
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: options.headers ?? {},
        localAddress: options.localAddress ?? '127.0.0.1',
        agent: options.agent ?? false,
        timeout: options.timeoutMs ?? 10_000,
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
        response.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timed out: ${options.path}`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

/**
 * GET /healthz from 127.0.0.1 every `everyMs` until stopped, from a separate process, so the
 * attackers' load on this process does not count as the server's slowness.
 */
const PROBE_SCRIPT = `
const http = require('node:http');
const [port, everyMs] = process.argv.slice(1).map(Number);
const latencies = [];
const failures = [];
const began = performance.now();
let maxAtMs = 0;
let running = true;
process.on('SIGTERM', () => (running = false));
const once = () => new Promise((resolve) => {
  const started = performance.now();
  const done = (failure) => {
    if (failure) failures.push(failure);
    const ms = performance.now() - started;
    if (ms > Math.max(0, ...latencies)) maxAtMs = started - began;
    latencies.push(ms);
    resolve();
  };
  const req = http.get({ host: '127.0.0.1', port, path: '/healthz', agent: false, timeout: 5000 }, (res) => {
    const ms = performance.now() - started;
    if (ms > 300) process.stderr.write('slow probe: connect ' + (connectedAt - started).toFixed(0) + ' ms, answer ' + ms.toFixed(0) + ' ms\\n');
    res.resume();
    res.on('end', () => done(res.statusCode === 200 ? null : 'status ' + res.statusCode));
  });
  let connectedAt = NaN;
  req.on('socket', (socket) => socket.on('connect', () => (connectedAt = performance.now())));
  req.on('timeout', () => req.destroy(new Error('timeout')));
  req.on('error', (err) => done(String(err)));
});
(async () => {
  while (running) {
    await once();
    await new Promise((r) => setTimeout(r, everyMs));
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  process.stdout.write(JSON.stringify({
    count: sorted.length,
    maxMs: sorted.at(-1) ?? null,
    maxAtMs,
    p99Ms: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? null,
    failures,
  }));
})();
`;

interface ProbeResult {
  readonly count: number;
  readonly maxMs: number;
  /** When the slowest probe started, from the probe's start. */
  readonly maxAtMs: number;
  readonly p99Ms: number;
  readonly failures: string[];
}

function probeHealth(port: number, everyMs = 100): { stop(): Promise<ProbeResult> } {
  const child = spawn(process.execPath, ['-e', PROBE_SCRIPT, String(port), String(everyMs)]);
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return {
    async stop() {
      child.kill('SIGTERM');
      await exited;
      const slow = out.split('\n').filter((line) => line.startsWith('slow probe'));
      if (slow.length > 0) console.log(slow.join('\n'));
      return JSON.parse(out.split('\n').filter((line) => !line.startsWith('slow probe')).join('')) as ProbeResult;
    },
  };
}

/** Samples the server's resident memory until stopped; returns the peak in MB. */
function sampleRss(pid: number, everyMs = 100): { stop(): number } {
  let peak = procStatusMb(pid, 'VmRSS');
  const timer = setInterval(() => {
    peak = Math.max(peak, procStatusMb(pid, 'VmRSS'));
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, procStatusMb(pid, 'VmRSS'));
    },
  };
}

const FOUR_MB = 4 * 1024 * 1024;

/**
 * Sends a 4 MB body slowly (16 KB every 50 ms) until it is all sent or the server answers
 * or closes; resolves with the status line the server sent (or how the socket ended).
 */
function trickleBody(port: number, localAddress: string, chunked: boolean): Promise<string> {
  return new Promise((resolve) => {
    const socket: Socket = connect({ host: '127.0.0.1', port, localAddress });
    let answer = '';
    let sent = 0;
    let done = false;
    const finish = (how: string): void => {
      if (done) return;
      done = true;
      clearInterval(timer);
      socket.destroy();
      resolve(answer === '' ? how : answer);
    };
    socket.on('data', (data: Buffer) => {
      answer ||= data.toString('latin1').split('\r\n')[0] ?? '';
      finish('answered');
    });
    socket.on('error', (err: NodeJS.ErrnoException) => finish(`error ${err.code ?? err.message}`));
    socket.on('close', () => finish('closed'));
    const prefix = '{"text":"';
    socket.write(
      'POST /chat/messages HTTP/1.1\r\nHost: sapa\r\nContent-Type: application/json\r\n' +
        (chunked ? `Transfer-Encoding: chunked\r\n\r\n${prefix.length.toString(16)}\r\n${prefix}\r\n` : `Content-Length: ${FOUR_MB}\r\n\r\n${prefix}`),
    );
    const piece = 'x'.repeat(16 * 1024);
    const timer = setInterval(() => {
      if (done || socket.destroyed) return;
      if (sent >= FOUR_MB) return finish('sent all');
      socket.write(chunked ? `${piece.length.toString(16)}\r\n${piece}\r\n` : piece);
      sent += piece.length;
    }, 50);
  });
}

describe('the real server under abuse', () => {
  it(
    '500 slow 4 MB bodies: each refused or cut off, RSS under 300 MB, /healthz within 1 s throughout',
    async () => {
      const server = await startServer('bodies', {});
      await sleep(500);
      const baseline = procStatusMb(server.pid, 'VmRSS');
      const startupPeak = procStatusMb(server.pid, 'VmHWM');
      const rss = sampleRss(server.pid);
      const probe = probeHealth(server.port);
      await sleep(1_000);
      const cpuBefore = cpuSeconds(server.pid);
      const started = performance.now();
      // 500 attackers with a body each at any time (they connect within the first 1.5 seconds):
      // refused, each waits a second and sends the next, for 8 seconds; from 50 source addresses
      // with 10 connections each, so the per-address caps are not what stops them.
      const outcomes: string[] = [];
      await Promise.all(
        Array.from({ length: 500 }, async (_, i) => {
          await sleep(i * 3);
          while (performance.now() - started < 8_000) {
            outcomes.push(await trickleBody(server.port, `127.0.1.${1 + Math.floor(i / 10)}`, i % 2 === 1));
            await sleep(1_000);
          }
        }),
      );
      const elapsedMs = performance.now() - started;
      const serverCpu = cpuSeconds(server.pid) - cpuBefore;
      const health = await probe.stop();
      const peak = rss.stop();
      const tally = outcomes.reduce<Record<string, number>>((acc, o) => ({ ...acc, [o]: (acc[o] ?? 0) + 1 }), {});
      console.log(
        `[abuse] 500 attackers sending slow 4 MB bodies: ${outcomes.length} bodies ${JSON.stringify(tally)} in ${Math.round(elapsedMs)} ms (server CPU ${serverCpu.toFixed(1)} s); server RSS ${baseline.toFixed(0)} MB before (start-up peak ${startupPeak.toFixed(0)} MB), peak ${peak.toFixed(0)} MB; ` +
          `/healthz ${health.count} probes, max ${health.maxMs.toFixed(0)} ms (at ${health.maxAtMs.toFixed(0)} ms), p99 ${health.p99Ms.toFixed(0)} ms`,
      );
      expect(tally['sent all'] ?? 0).toBe(0);
      expect(Object.keys(tally).filter((o) => !/^HTTP\/1\.1 413 |^error|^closed/.test(o))).toEqual([]);
      expect(tally['HTTP/1.1 413 Payload Too Large']).toBeGreaterThanOrEqual(500);
      expect(peak).toBeLessThan(300);
      expect(health.failures).toEqual([]);
      expect(health.maxMs).toBeLessThan(1_000);
      expect(health.count).toBeGreaterThan(5);
    },
    120_000,
  );

  it(
    'idle sockets beyond HTTP_MAX_CONNECTIONS_PER_ADDRESS are closed at once; deep JSON is refused quickly',
    async () => {
      const server = servers[0] ?? (await startServer('bodies', {}));
      const sockets = await Promise.all(
        Array.from({ length: 100 }, () => new Promise<Socket>((resolve) => {
          const socket = connect({ host: '127.0.0.1', port: server.port, localAddress: '127.0.0.9' }, () => resolve(socket));
          socket.on('error', () => undefined);
        })),
      );
      await sleep(500);
      const open = sockets.filter((s) => !s.destroyed && s.readyState === 'open').length;
      for (const socket of sockets) socket.destroy();
      console.log(`[abuse] 100 idle sockets from one address: ${open} kept open (cap 64)`);
      expect(open).toBeLessThanOrEqual(64);

      // A 3.8 MB nested JSON (the reported 0.9 s of parsing): refused from its length.
      const deep = `{"visitorId":${'['.repeat(1_900_000)}${']'.repeat(1_900_000)}}`;
      let started = performance.now();
      const tooLarge = await call(server.port, { method: 'POST', path: '/chat/messages', headers: { 'content-type': 'application/json' }, body: deep });
      const tooLargeMs = performance.now() - started;
      expect(tooLarge.status).toBe(413);
      // Nested within the limit: refused by the depth check before JSON.parse.
      const nested = `{"username":${'['.repeat(15_000)}${']'.repeat(15_000)}}`;
      started = performance.now();
      const tooDeep = await call(server.port, { method: 'POST', path: '/chat/messages', headers: { 'content-type': 'application/json' }, body: nested });
      const tooDeepMs = performance.now() - started;
      expect(tooDeep.status).toBe(400);
      expect(JSON.parse(tooDeep.body)).toEqual({ error: { code: 'BAD_REQUEST', message: 'the JSON body nests deeper than 20 levels' } });
      console.log(`[abuse] deep JSON: 3.8 MB refused (413) in ${tooLargeMs.toFixed(0)} ms, 30 KB nested refused (400) in ${tooDeepMs.toFixed(0)} ms`);
      expect(tooLargeMs).toBeLessThan(1_000);
      expect(tooDeepMs).toBeLessThan(1_000);
    },
    60_000,
  );

  it(
    '20,000 stream attempts from one address: at most SSE_STREAMS_PER_ADDRESS accepted, /healthz fine, descriptors bounded',
    async () => {
      // The request limit per address is off here, so the stream slots alone are what holds.
      const server = await startServer('streams', { HTTP_REQUESTS_PER_MINUTE: '0', WEB_CHAT_VISITORS_PER_HOUR: '100000', HTTP_MAX_CONNECTIONS_PER_ADDRESS: '200' });
      const ATTEMPTS = 20_000;
      const CONCURRENCY = 40;
      const attacker = '127.0.0.3';
      const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY, localAddress: attacker });
      const fdsBefore = openDescriptors(server.pid);
      let fdsPeak = fdsBefore;
      const fdTimer = setInterval(() => (fdsPeak = Math.max(fdsPeak, openDescriptors(server.pid))), 100);
      const probe = probeHealth(server.port);
      await sleep(1_000);
      const held: IncomingMessage[] = [];
      const outcomes: Record<string, number> = {};
      const count = (key: string): void => {
        outcomes[key] = (outcomes[key] ?? 0) + 1;
      };
      const started = performance.now();
      let next = 0;
      const attempt = async (): Promise<void> => {
        const visitor = await call(server.port, { method: 'POST', path: '/chat/visitors', agent });
        if (visitor.status !== 201) return count(`visitor ${visitor.status}`);
        const visitorId = (JSON.parse(visitor.body) as { visitorId: string }).visitorId;
        const token = await call(server.port, { method: 'POST', path: '/chat/stream-tokens', headers: { 'x-visitor-id': visitorId }, agent });
        if (token.status !== 201) return count(`token ${token.status}`);
        const url = `/chat/events?token=${(JSON.parse(token.body) as { token: string }).token}`;
        await new Promise<void>((resolve) => {
          const req = httpRequest({ host: '127.0.0.1', port: server.port, path: url, localAddress: attacker, agent: false }, (response) => {
            if (response.statusCode === 200) {
              count('stream 200');
              held.push(response);
              response.on('error', () => undefined);
              return resolve();
            }
            let body = '';
            response.setEncoding('utf8');
            response.on('data', (chunk: string) => (body += chunk));
            response.on('end', () => {
              count(`stream ${response.statusCode} ${(JSON.parse(body) as { error: { code: string } }).error.code} ${response.headers['connection']}`);
              resolve();
            });
          });
          req.on('error', (err: NodeJS.ErrnoException) => {
            count(`stream error ${err.code ?? err.message}`);
            resolve();
          });
          req.end();
        });
      };
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < ATTEMPTS) {
            next += 1;
            await attempt();
          }
        }),
      );
      const elapsedMs = performance.now() - started;
      const health = await probe.stop();
      clearInterval(fdTimer);
      const fdsAfter = openDescriptors(server.pid);
      console.log(
        `[abuse] ${ATTEMPTS} stream attempts from one address in ${Math.round(elapsedMs)} ms: ${JSON.stringify(outcomes)}; ` +
          `descriptors ${fdsBefore} before, peak ${fdsPeak}, ${fdsAfter} after; /healthz ${health.count} probes, max ${health.maxMs.toFixed(0)} ms (at ${health.maxAtMs.toFixed(0)} ms), p99 ${health.p99Ms.toFixed(0)} ms; ` +
          `server RSS peak ${procStatusMb(server.pid, 'VmHWM').toFixed(0)} MB`,
      );
      const attempts = Object.entries(outcomes)
        .filter(([key]) => key.startsWith('stream'))
        .reduce((sum, [, n]) => sum + n, 0);
      expect(attempts).toBe(ATTEMPTS);
      expect(outcomes['stream 200']).toBe(10);
      expect(outcomes['stream 429 RATE_LIMITED close']).toBe(ATTEMPTS - 10);
      // The first ten visitors hold their streams; nobody else got one.
      expect(held.filter((r) => !r.destroyed)).toHaveLength(10);
      expect(fdsPeak - fdsBefore).toBeLessThan(CONCURRENCY * 3 + 20);
      expect(health.failures).toEqual([]);
      expect(health.maxMs).toBeLessThan(1_000);
      for (const response of held) response.destroy();
      agent.destroy();
    },
    180_000,
  );

  it(
    'X-Forwarded-For does not escape the login limit by default; TRUST_PROXY=127.0.0.1 takes it',
    async () => {
      const login = (port: number, i: number, localAddress: string): Promise<Reply> =>
        call(port, {
          method: 'POST',
          path: '/api/session',
          localAddress,
          headers: { 'content-type': 'application/json', 'x-forwarded-for': `198.51.100.${i}` },
          body: JSON.stringify({ username: `nobody${i}`, password: 'a-wrong-password' }),
        });
      const auditIps = (dbPath: string): string[] => {
        const db = new Database(dbPath, { readonly: true, fileMustExist: true });
        try {
          return (db.prepare("SELECT ip FROM audit_log WHERE action = 'login_failed' ORDER BY id").all() as { ip: string }[]).map((r) => r.ip);
        } finally {
          db.close();
        }
      };

      const plain = servers[0] ?? (await startServer('bodies', {}));
      const statuses: number[] = [];
      for (let i = 0; i < 15; i += 1) statuses.push((await login(plain.port, i, '127.0.0.5')).status);
      // The route allows 10 attempts per address per minute, whatever the header says.
      expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
      expect(statuses.slice(10)).toEqual([429, 429, 429, 429, 429]);
      expect(new Set(auditIps(plain.dbPath))).toEqual(new Set(['127.0.0.5']));

      const proxied = await startServer('proxied', { TRUST_PROXY: '127.0.0.1' });
      const viaProxy: number[] = [];
      for (let i = 0; i < 15; i += 1) viaProxy.push((await login(proxied.port, i, '127.0.0.1')).status);
      // Each forwarded address has its own budget, and the audit log names it.
      expect(viaProxy.every((s) => s === 401)).toBe(true);
      // From an address that is not the proxy, the header is ignored.
      expect((await login(proxied.port, 99, '127.0.0.6')).status).toBe(401);
      expect(auditIps(proxied.dbPath)).toEqual([...Array.from({ length: 15 }, (_, i) => `198.51.100.${i}`), '127.0.0.6']);
    },
    120_000,
  );

  it(
    'a malformed Telegram update with the right secret is acknowledged (200) and logged, every time; the next good one is answered',
    async () => {
      fake = await createFakeBotApi();
      const secret = 'abuse-test-secret_0123';
      const server = await startServer('telegram', {
        TELEGRAM_BOT_TOKEN: fake.token,
        TELEGRAM_API_ROOT: fake.apiRoot,
        TELEGRAM_WEBHOOK_URL: 'https://sapa.example.go.id/telegram/webhook',
        TELEGRAM_WEBHOOK_SECRET: secret,
        TELEGRAM_SENDS_PER_SECOND: '0',
      });
      const deadline = Date.now() + 20_000;
      while (fake.callsOf('setWebhook').length === 0 && Date.now() < deadline) await sleep(50);
      const post = (body: string, secretHeader = secret): Promise<Reply> =>
        call(server.port, {
          method: 'POST',
          path: '/telegram/webhook',
          headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secretHeader },
          body,
        });
      const poison = [
        JSON.stringify({ update_id: 9001, message: { message_id: 1, date: 1, text: 'no chat' } }),
        JSON.stringify({ update_id: 9002, message: { message_id: 2, date: 1, chat: { id: 5, type: 'private' }, text: { not: 'text' } } }),
        '{"update_id": 9003, "message": ',
        '[]',
      ];
      for (const body of poison) {
        // Telegram redelivers whatever is not answered 2xx: the second delivery must be acknowledged too.
        expect((await post(body)).status, body).toBe(200);
        expect((await post(body)).status, body).toBe(200);
      }
      expect((await post(poison[0]!, 'wrong')).status).toBe(401);
      expect(server.output().match(/malformed (webhook )?update acknowledged/g)?.length).toBe(poison.length * 2);
      const good = fake.build.text(4242, 'berapa biaya paspor?');
      expect((await post(JSON.stringify(good))).status).toBe(200);
      const answered = Date.now() + 20_000;
      while (fake.sentTo(4242).length === 0 && Date.now() < answered) await sleep(50);
      expect(fake.sentTo(4242)[0]?.text).toContain('Rp950.000');
      expect(fake.callsOf('getMe')).toHaveLength(1);
    },
    90_000,
  );
});
