/**
 * The real program, as `npm start` runs it: starts with no credentials on embedded
 * SQLite, serves /healthz and the web chat, answers a visitor, and stops cleanly on SIGTERM.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../src/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'sapa-e2e-'));
let child: ChildProcessWithoutNullStreams | null = null;
afterAll(() => {
  child?.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function waitFor<T>(probe: () => T | undefined, what: string, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = (): void => {
      const value = probe();
      if (value !== undefined) return resolve(value);
      if (Date.now() > deadline) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 50);
    };
    tick();
  });
}

describe('sapa start', () => {
  it('serves the web chat and /healthz with no credentials, then stops on SIGTERM', async () => {
    const proc = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'sapa.js'), 'start'], {
      cwd: REPO_ROOT,
      env: { PATH: process.env['PATH'] ?? '', SAPA_DB: join(dir, 'sapa.db'), PORT: '0', LOG_LEVEL: 'info' },
    });
    child = proc;
    let out = '';
    proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    proc.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const url = await waitFor(() => /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(out)?.[1], 'the server to listen');
    expect(out).not.toMatch(/injected env/);

    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, channels: { web: 'connected' } });

    const issued = await fetch(`${url}/chat/visitors`, { method: 'POST' });
    expect(issued.status).toBe(201);
    const { visitorId } = (await issued.json()) as { visitorId: string };
    const posted = await fetch(`${url}/chat/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ visitorId, clientMessageId: 'e2e-msg-0001', text: 'berapa biaya paspor?' }),
    });
    expect(posted.status).toBe(202);
    let history: { messages: { author: string; text: string }[] } = { messages: [] };
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && !history.messages.some((m) => m.author === 'bot')) {
      history = (await (await fetch(`${url}/chat/history`, { headers: { 'x-visitor-id': visitorId } })).json()) as typeof history;
      if (!history.messages.some((m) => m.author === 'bot')) await new Promise((r) => setTimeout(r, 100));
    }
    expect(history.messages.find((m) => m.author === 'bot')?.text).toContain('Rp950.000');
    // Personal data, message text and the visitor id stay out of the logs.
    expect(out).not.toContain('berapa biaya paspor');
    expect(out).not.toContain(visitorId);

    const stoppedAt = Date.now();
    proc.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => proc.on('exit', resolve));
    expect(code).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(5_000);
    expect(out).toMatch(/SAPA stopped/);
  });
});
