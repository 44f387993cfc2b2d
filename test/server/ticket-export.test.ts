/**
 * The tickets CSV (#21): GET /api/tickets.csv?from=&to=&origin= (masked unless the caller is
 * an admin, audited) and `sapa tickets export --from --to [--origin] [--unmasked]`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.js';
import { createDeskIntake } from '../../src/desk-intake.js';
import { openDatabase } from '../../src/store/db.js';
import { csvField } from '../../src/ticket-export.js';
import { createTestCore } from '../helpers/core.js';
import { createHarness, type Harness } from './dashboard-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});
const dir = mkdtempSync(join(tmpdir(), 'sapa-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Rows of a CSV as arrays of fields (enough of RFC 4180 for these files: quoted fields with commas, quotes, line breaks). */
function parseCsv(text: string): string[][] {
  expect(text.startsWith('\uFEFF')).toBe(true);
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const body = text.slice(1);
  for (let i = 0; i < body.length; i += 1) {
    const c = body[i]!;
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && body[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 1;
    } else field += c;
  }
  return rows;
}

const asObjects = (text: string): Record<string, string>[] => {
  const [header, ...rows] = parseCsv(text);
  return rows.map((cells) => Object.fromEntries(header!.map((name, i) => [name, cells[i] ?? ''])));
};

async function seed(harness: Harness): Promise<{ phone: number; lapor: number; chat: number }> {
  const siti = await harness.login('siti');
  const phone = await siti.call('POST', '/api/tickets', {
    origin: 'phone',
    contact: { name: 'Yohanes Bria', phone: '0812-3456-7001', email: 'yohanes.bria@contoh.id' },
    text: 'Paspor belum jadi, NIK saya 5371011203900001, mohon dicek, "segera".',
  });
  const lapor = await siti.call('POST', '/api/tickets', {
    origin: 'lapor',
    laporTrackingId: 'LAPOR-4821907',
    contact: { name: 'Marthen Lakapu' },
    text: 'Laporan LAPOR!: biaya tambahan di loket.',
  });
  const chat = await harness.complaint('antrian lama sekali, saya kecewa', 'chat-1');
  return { phone: (phone.json() as { ticket: { id: number } }).ticket.id, lapor: (lapor.json() as { ticket: { id: number } }).ticket.id, chat };
}

describe('GET /api/tickets.csv', () => {
  it('an officer gets one row per ticket with personal data masked; an admin gets it in full; both exports are audited', async () => {
    h = await createHarness();
    const ids = await seed(h);
    const siti = await h.login('siti');
    const response = await siti.call('GET', '/api/tickets.csv?from=2026-11-30&to=2026-11-30');
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe('attachment; filename="tickets-2026-11-30-2026-11-30.csv"');
    const masked = asObjects(response.body);
    expect(masked.map((r) => r['ref'])).toEqual([`#${ids.phone}`, `#${ids.lapor}`, `#${ids.chat}`]);
    const phoneRow = masked[0]!;
    expect(phoneRow).toMatchObject({
      opened_at: '2026-11-30 09:00',
      origin: 'phone',
      channel: 'offline',
      status: 'open',
      contact_name: 'Y. B.',
      contact_phone: '6281****01',
      contact_email: 'y***@contoh.id',
      first_response_due_at: '2026-11-30 11:00',
      first_response_sla: 'pending',
    });
    expect(phoneRow['summary']).toContain('5371************');
    expect(phoneRow['summary']).toContain('"segera"');
    expect(response.body).not.toContain('5371011203900001');
    expect(response.body).not.toContain('Yohanes');
    expect(masked[1]).toMatchObject({ origin: 'lapor', lapor_tracking_id: 'LAPOR-4821907', contact_name: 'M. L.' });
    expect(masked[2]).toMatchObject({ origin: 'chat', channel: 'telegram' });

    const admin = await h.login('admin');
    const full = asObjects((await admin.call('GET', '/api/tickets.csv?from=2026-11-30&to=2026-11-30')).body);
    expect(full[0]).toMatchObject({ contact_name: 'Yohanes Bria', contact_phone: '6281234567001', contact_email: 'yohanes.bria@contoh.id' });
    expect(full[0]!['summary']).toContain('5371011203900001');

    const audit = h.t.db.prepare<[], { username: string; target: string; data: string }>("SELECT username, target, data FROM audit_log WHERE action = 'tickets_exported' ORDER BY id").all();
    expect(audit).toEqual([
      { username: 'siti', target: '2026-11-30..2026-11-30', data: JSON.stringify({ origin: null, masked: true }) },
      { username: 'admin', target: '2026-11-30..2026-11-30', data: JSON.stringify({ origin: null, masked: false }) },
    ]);
  });

  it('filters by origin and by the office-local days the tickets were opened; bad parameters are refused', async () => {
    h = await createHarness();
    const ids = await seed(h);
    const siti = await h.login('siti');
    const lapor = asObjects((await siti.call('GET', '/api/tickets.csv?from=2026-11-30&to=2026-11-30&origin=lapor')).body);
    expect(lapor.map((r) => r['ref'])).toEqual([`#${ids.lapor}`]);
    const dayBefore = await siti.call('GET', '/api/tickets.csv?from=2026-11-29&to=2026-11-29');
    expect(parseCsv(dayBefore.body)).toHaveLength(1); // the header only
    for (const query of ['', '?from=2026-11-30', '?from=2026-11-30&to=2026-11-29', '?from=2026-11-30&to=2026-11-30&origin=fax', '?from=30-11-2026&to=2026-11-30']) {
      const bad = await siti.call('GET', `/api/tickets.csv${query}`);
      expect(bad.statusCode, query).toBe(400);
    }
    expect((await h.app.inject({ method: 'GET', url: '/api/tickets.csv?from=2026-11-30&to=2026-11-30' })).statusCode).toBe(401);
  });

  it('quotes fields and defuses spreadsheet formulas', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('+62 812')).toBe("'+62 812");
    expect(csvField('plain')).toBe('plain');
  });
});

describe('sapa tickets export', () => {
  async function cli(args: string[], db: string): Promise<{ code: number; out: string; err: string }> {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const stdin = new PassThrough();
    stdin.end('');
    const code = await runCli(args, { stdin, stdout, stderr, env: { SAPA_DB: db } });
    return { code, out, err };
  }

  it('writes the CSV of a range (masked unless --unmasked), filters by --origin, refuses bad options', async () => {
    const file = join(dir, 'export.db');
    const t = createTestCore({ db: openDatabase(file) });
    const staffId = Number(t.db.prepare("INSERT INTO staff (username, role, created_at) VALUES ('siti', 'staff', 0)").run().lastInsertRowid);
    const intake = createDeskIntake({ db: t.db, clock: t.clock, tickets: t.core.tickets });
    const letter = intake.record({ origin: 'letter', contact: { name: 'Kornelis Tefa', phone: '081300001111' }, text: 'Surat keluhan antrean.' }, staffId).ticket;
    const lapor = intake.record({ origin: 'lapor', laporTrackingId: 'LAPOR-99', contact: { name: 'Ana' }, text: 'Laporan.' }, staffId).ticket;
    t.close();

    const all = await cli(['tickets', 'export', '--from', '2026-11-30', '--to', '2026-11-30'], file);
    expect(all.code, all.err).toBe(0);
    const rows = asObjects(all.out);
    expect(rows.map((r) => [r['ref'], r['origin'], r['contact_name'], r['contact_phone']])).toEqual([
      [letter.ref, 'letter', 'K. T.', '6281****11'],
      [lapor.ref, 'lapor', 'A.', ''],
    ]);
    const only = asObjects((await cli(['tickets', 'export', '--from', '2026-11-01', '--to', '2026-11-30', '--origin', 'lapor'], file)).out);
    expect(only.map((r) => [r['ref'], r['lapor_tracking_id']])).toEqual([[lapor.ref, 'LAPOR-99']]);
    const unmasked = asObjects((await cli(['tickets', 'export', '--from', '2026-11-30', '--to', '2026-11-30', '--unmasked'], file)).out);
    expect(unmasked[0]).toMatchObject({ contact_name: 'Kornelis Tefa', contact_phone: '6281300001111' });

    const missing = await cli(['tickets', 'export', '--from', '2026-11-30'], file);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('--from and --to are required');
    const badOrigin = await cli(['tickets', 'export', '--from', '2026-11-30', '--to', '2026-11-30', '--origin', 'fax'], file);
    expect(badOrigin.code).toBe(2);
    expect(badOrigin.err).toContain('--origin accepts chat, desk, phone, letter, lapor, email, other; got "fax"');
    const badDate = await cli(['tickets', 'export', '--from', '2026-11-31', '--to', '2026-12-01'], file);
    expect(badDate.code).toBe(2);

    const db = openDatabase(file);
    try {
      const audit = db.prepare<[], { username: string; data: string }>("SELECT username, data FROM audit_log WHERE action = 'tickets_exported' ORDER BY id").all();
      expect(audit.map((a) => [a.username.startsWith('cli:'), JSON.parse(a.data) as unknown])).toEqual([
        [true, { origin: null, masked: true }],
        [true, { origin: 'lapor', masked: true }],
        [true, { origin: null, masked: false }],
      ]);
    } finally {
      db.close();
    }
  });
});
