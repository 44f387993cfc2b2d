/**
 * A crash between storing Meta's events and answering the webhook's 200 loses nothing and
 * answers nothing twice: the real `sapa start` process with Messenger configured against the
 * fake Graph API, killed with SIGKILL in the middle of a batch, started again on the same
 * database while "Meta" (this test) delivers again every post that got no 200, as Meta does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { signBody } from '../../channels/meta.js';
import { REPO_ROOT } from '../../src/paths.js';
import { createFakeGraphApi, type FakeGraphApi } from '../fakes/meta-graph-api.js';
import { APP_SECRET, PAGE_ID, PAGE_TOKEN, VERIFY_TOKEN, VERSION, envelope, type Json } from '../helpers/meta-harness.js';

const dir = mkdtempSync(join(tmpdir(), 'sapa-meta-crash-'));
const children: ChildProcess[] = [];
let fake: FakeGraphApi | null = null;
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await fake?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function until(probe: () => boolean | Promise<boolean>, what: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function startProcess(graph: FakeGraphApi, db: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'sapa.js'), 'start'], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env['PATH'] ?? '',
      SAPA_DB: db,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      META_APP_SECRET: APP_SECRET,
      META_VERIFY_TOKEN: VERIFY_TOKEN,
      MESSENGER_PAGE_ID: PAGE_ID,
      MESSENGER_PAGE_ACCESS_TOKEN: PAGE_TOKEN,
      META_GRAPH_API_ROOT: graph.apiRoot,
    },
    stdio: 'ignore',
  });
  children.push(child);
  await until(async () => {
    try {
      return (await fetch(`http://127.0.0.1:${port}/healthz`)).ok;
    } catch {
      return false;
    }
  }, 'sapa start listening', 60_000);
  return child;
}

async function kill(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/** One webhook post as Meta makes it; the status, or null when the connection broke (no answer). */
async function deliver(port: number, payload: Json): Promise<number | null> {
  const raw = JSON.stringify(payload);
  try {
    const response = await fetch(`http://127.0.0.1:${port}/webhooks/meta`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(APP_SECRET, raw) },
      body: raw,
    });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return null;
  }
}

const text = (psid: string, time: number, mid: string, body: string): Json => ({ sender: { id: psid }, recipient: { id: PAGE_ID }, timestamp: time, message: { mid, text: body } });

function readDb<T>(path: string, work: (db: Database.Database) => T): T {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return work(db);
  } finally {
    db.close();
  }
}

describe('Meta webhook: a crash between the store and the 200', () => {
  it('keeps the message stored before the crash, and answers it once after Meta delivers the batch again', async () => {
    fake = await createFakeGraphApi({ version: VERSION, accountId: PAGE_ID, token: PAGE_TOKEN });
    const db = join(dir, 'one.db');
    const port = await freePort();
    const time = Date.now();
    // The batch: A's question, then B's photo, whose download from Meta's CDN hangs, so the
    // webhook has stored A and not yet answered when the process dies.
    fake.addFile('ktp.jpg', 'image/jpeg', new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]));
    fake.holdFile('ktp.jpg');
    const a = '7600000000000001';
    const b = '7600000000000002';
    const batch = envelope('page', PAGE_ID, time, [
      text(a, time, 'm_crash_A_0001', 'berapa biaya paspor?'),
      { sender: { id: b }, recipient: { id: PAGE_ID }, timestamp: time + 1, message: { mid: 'm_crash_B_0001', attachments: [{ type: 'image', payload: { url: `${fake.apiRoot}/cdn/ktp.jpg` } }] } },
    ]);

    let child = await startProcess(fake, db, port);
    const first = deliver(port, batch);
    // A is stored, routed and its answer sent; the post still waits for B's photo.
    await until(
      () =>
        readDb(db, (d) => (d.prepare("SELECT COUNT(*) AS n FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.external_id = ? AND m.direction = 'out' AND m.delivery_status = 'sent'").get(a) as { n: number }).n) === 1,
      "A's answer sent",
      30_000,
    );
    const answersToA = fake.sent().filter((c) => c.body.recipient?.id === a).length;
    expect(answersToA).toBeGreaterThanOrEqual(1);
    await kill(child);
    // Meta got no 200 for the post.
    expect(await first).toBeNull();
    expect(readDb(db, (d) => d.prepare("SELECT external_id FROM messages WHERE direction = 'in'").all())).toEqual([{ external_id: 'm_crash_A_0001' }]);

    fake.releaseFile('ktp.jpg');
    child = await startProcess(fake, db, port);
    // Meta delivers the whole batch again, A included.
    expect(await deliver(port, batch)).toBe(200);
    await until(() => fake!.sent().some((c) => c.body.recipient?.id === b), "B's answer", 30_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const answersToB = fake.sent().filter((c) => c.body.recipient?.id === b).length;
    // And once more for good measure (Meta may send a post it got a 200 for).
    expect(await deliver(port, batch)).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await kill(child);

    const inbound = readDb(db, (d) => d.prepare("SELECT external_id, (SELECT COUNT(*) FROM attachments t WHERE t.message_id = m.id AND t.data IS NOT NULL) AS files FROM messages m WHERE direction = 'in' ORDER BY id").all());
    expect(inbound).toEqual([
      { external_id: 'm_crash_A_0001', files: 0 },
      { external_id: 'm_crash_B_0001', files: 1 },
    ]);
    // A was answered before the crash and not again; B once, after the redelivery.
    expect(fake.sent().filter((c) => c.body.recipient?.id === a)).toHaveLength(answersToA);
    expect(fake.sent().filter((c) => c.body.recipient?.id === b)).toHaveLength(answersToB);
    expect(readDb(db, (d) => (d.prepare("SELECT COUNT(*) AS n FROM messages WHERE direction = 'out' AND delivery_status = 'sent'").get() as { n: number }).n)).toBe(2);
  }, 120_000);

  it('answers every applicant of a burst of batches through a SIGKILL at a random moment, storing each message once', async () => {
    fake ??= await createFakeGraphApi({ version: VERSION, accountId: PAGE_ID, token: PAGE_TOKEN });
    const graph = fake;
    const db = join(dir, 'burst.db');
    const port = await freePort();
    const applicants = 90;
    const perBatch = 3;
    const texts = ['berapa biaya paspor', 'antrian lama sekali, saya kecewa', 'syarat paspor anak', 'halo kak'];
    const psid = (i: number): string => String(7700000000000000 + i);
    const time = Date.now();
    const batches: Json[] = [];
    for (let i = 0; i < applicants; i += perBatch) {
      batches.push(envelope('page', PAGE_ID, time + i, Array.from({ length: perBatch }, (_, k) => text(psid(i + k), time + i + k, `m_burst_${i + k}`, texts[(i + k) % texts.length]!))));
    }
    const answered = (): number => new Set(graph.sent().map((c) => c.body.recipient?.id).filter((id) => id?.startsWith('77'))).size;

    let child = await startProcess(graph, db, port);
    let alive = true;
    // "Meta": each post is delivered again until it gets a 200, a few at a time.
    const acknowledged = new Set<number>();
    const meta = (async () => {
      const pending = batches.map((_, i) => i);
      while (pending.length > 0) {
        const round = pending.splice(0, 6);
        const results = await Promise.all(round.map(async (i) => ({ i, status: alive ? await deliver(port, batches[i]!) : null })));
        for (const { i, status } of results) {
          if (status === 200) acknowledged.add(i);
          else pending.push(i);
        }
        if (results.some((r) => r.status !== 200)) await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    const point = Math.floor(applicants * (0.2 + Math.random() * 0.4));
    await until(() => answered() >= point, `${point} applicants answered`, 60_000);
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 30));
    alive = false;
    await kill(child);
    expect(answered()).toBeLessThan(applicants);
    // Sends Meta accepted that SAPA had not yet recorded as sent when it died: the outbox
    // sends those again (it delivers at least once; the Send API has no idempotency key).
    const recorded = readDb(db, (d) =>
      new Map(
        (d.prepare("SELECT c.external_id AS id, COUNT(*) AS n FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE m.direction = 'out' AND m.delivery_status = 'sent' GROUP BY c.external_id").all() as { id: string; n: number }[]).map((r) => [r.id, r.n]),
      ),
    );
    const acceptedAtKill = new Map<string, number>();
    for (const call of graph.sent()) acceptedAtKill.set(call.body.recipient?.id ?? '', (acceptedAtKill.get(call.body.recipient?.id ?? '') ?? 0) + 1);
    const unrecorded = new Set([...acceptedAtKill].filter(([id, n]) => id.startsWith('77') && n > (recorded.get(id) ?? 0)).map(([id]) => id));
    child = await startProcess(graph, db, port);
    alive = true;
    await meta;
    await until(() => answered() === applicants, 'every applicant answered', 60_000);
    // Meta sends every post once more: nothing new is stored or answered.
    const sendsBefore = graph.sent().length;
    for (const batch of batches) expect(await deliver(port, batch)).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await kill(child);
    expect(graph.sent().length).toBe(sendsBefore);

    readDb(db, (d) => {
      const inbound = d.prepare("SELECT COUNT(*) AS n, COUNT(DISTINCT external_id) AS d FROM messages WHERE direction = 'in'").get() as { n: number; d: number };
      expect(inbound).toEqual({ n: applicants, d: applicants });
      expect((d.prepare("SELECT COUNT(*) AS n FROM messages WHERE direction = 'in' AND processed_at IS NULL").get() as { n: number }).n).toBe(0);
      expect((d.prepare("SELECT COUNT(*) AS n FROM messages WHERE delivery_status = 'queued'").get() as { n: number }).n).toBe(0);
    });
    const perApplicant = new Map<string, number>();
    for (const call of graph.sent()) {
      const id = call.body.recipient?.id ?? '';
      if (id.startsWith('77')) perApplicant.set(id, (perApplicant.get(id) ?? 0) + 1);
    }
    const answersOf = (i: number): number => perApplicant.get(psid(i)) ?? 0;
    const all = Array.from({ length: applicants }, (_, i) => i);
    expect(all.every((i) => answersOf(i) >= 1)).toBe(true);
    // Applicants who wrote the same text get the same answer (the same number of Send API calls).
    const usual = (i: number): number => Math.min(...all.filter((j) => j % texts.length === i % texts.length).map(answersOf));
    const twice = all.filter((i) => answersOf(i) > usual(i));
    // Answered twice only where a send was in flight at the kill; never because Meta delivered a post again.
    expect(twice.every((i) => unrecorded.has(psid(i)))).toBe(true);
    expect(twice.every((i) => answersOf(i) === usual(i) + 1)).toBe(true);
  }, 180_000);
});
