/**
 * `sapa doctor` and the go-live checks (#18 part C): the shipped files are not ready (empty
 * office profile, unconfirmed hours, no HTTPS): exit 1 with clear lines; a filled-in setup
 * exits 0. The same checks feed the dashboard's admin checklist (GET /api/golive).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli.js';
import { goLiveBlocked, goLiveChecks, type GoLiveFacts } from '../src/go-live.js';
import { createStaffService } from '../src/staff.js';
import { openDatabase } from '../src/store/db.js';
import { createHarness, type Harness } from './server/dashboard-harness.js';

const READY: GoLiveFacts = {
  hoursConfirmed: true,
  office: { address: 'Jl. Contoh 1, Kupang', phone: '(0380) 000000', whatsapp: '', email: '', maps_url: 'x', website: 'x', instagram: 'x', quota_schedule: 'x', priority_hours: 'x' },
  channels: [{ name: 'web', linked: true }, { name: 'whatsapp', linked: true }],
  accounts: [{ role: 'admin', disabled: false }, { role: 'supervisor', disabled: false }],
  supervisorTargets: 1,
  https: { ok: true, where: 'https://sapa.example.go.id' },
};

describe('goLiveChecks', () => {
  it('passes a ready office and names each missing piece otherwise', () => {
    expect(goLiveBlocked(goLiveChecks(READY))).toBe(false);
    const failing = (facts: Partial<GoLiveFacts>) => goLiveChecks({ ...READY, ...facts }).filter((c) => !c.ok).map((c) => c.id);
    expect(failing({ hoursConfirmed: false })).toEqual(['hours_confirmed']);
    expect(failing({ office: { ...READY.office, address: '' } })).toEqual(['office_profile']);
    expect(failing({ office: { ...READY.office, phone: '' } })).toEqual(['office_profile']);
    expect(failing({ channels: [{ name: 'web', linked: true }] })).toEqual(['channels']);
    expect(failing({ channels: [{ name: 'web', linked: true }, { name: 'whatsapp', linked: false }] })).toEqual(['channels']);
    expect(failing({ accounts: [{ role: 'admin', disabled: false }, { role: 'supervisor', disabled: true }] })).toEqual([]);
    expect(failing({ accounts: [{ role: 'staff', disabled: false }] })).toEqual(['supervisors', 'admin']);
    expect(failing({ https: { ok: false, where: 'http://10.0.0.5:3000' } })).toEqual(['https']);
    // Supervisor chats are advised, not required: the dashboard's alert feed reaches supervisors.
    const noChats = goLiveChecks({ ...READY, supervisorTargets: 0 });
    expect(goLiveBlocked(noChats)).toBe(false);
    expect(noChats.find((c) => c.id === 'supervisors')?.detail.id).toMatch(/TELEGRAM_SUPERVISOR_CHAT_IDS/);
  });
});

describe('sapa doctor', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sapa-doctor-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function doctor(env: Record<string, string>): Promise<{ code: number; out: string }> {
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    const code = await runCli(['doctor'], { stdin: new PassThrough(), stdout, stderr: new PassThrough(), env: { LOG_LEVEL: 'silent', ...env } });
    return { code, out };
  }

  it('exits 1 on an empty office profile and unconfirmed hours, with Indonesian and English lines naming what to do', async () => {
    // As shipped: every office field empty, hours_confirmed false (forced here, whatever the office has filled in).
    const empty = join(dir, 'office-empty.yaml');
    writeFileSync(empty, readFileSync('data/office.yaml', 'utf8').replace(/^(address|phone|whatsapp|email): .*$/gm, "$1: ''"));
    const unconfirmed = join(dir, 'sla-unconfirmed.yaml');
    writeFileSync(unconfirmed, readFileSync('data/sla.yaml', 'utf8').replace(/hours_confirmed: \w+/, 'hours_confirmed: false').replace('holidays_file: data/holidays.json', `holidays_file: ${join(process.cwd(), 'data/holidays.json')}`));
    const { code, out } = await doctor({ SAPA_DB: join(dir, 'never.db'), SAPA_OFFICE_FILE: empty, SAPA_SLA_FILE: unconfirmed });
    expect(code).toBe(1);
    expect(out).toContain('[PERLU] Jam layanan dikonfirmasi (data/sla.yaml) / Office hours confirmed (data/sla.yaml)');
    expect(out).toContain('hours_confirmed: true');
    expect(out).toContain('[PERLU] Profil kantor terisi (data/office.yaml)');
    expect(out).toMatch(/Belum diisi: address, phone\/whatsapp\/email/);
    expect(out).toContain('PUBLIC_URL is not set');
    expect(out).toContain('Only the web chat is on');
    expect(out).toMatch(/Belum siap: .*\n?.*Not ready/);
  });

  it('exits 0 once everything needed is in place', async () => {
    const office = join(dir, 'office.yaml');
    writeFileSync(
      office,
      readFileSync('data/office.yaml', 'utf8')
        .replace("address: ''", "address: 'Jl. Contoh 1, Kupang'")
        .replace("phone: ''", "phone: '(0380) 000000'"),
    );
    const sla = join(dir, 'sla.yaml');
    writeFileSync(sla, readFileSync('data/sla.yaml', 'utf8').replace('hours_confirmed: false', 'hours_confirmed: true').replace('holidays_file: data/holidays.json', `holidays_file: ${join(process.cwd(), 'data/holidays.json')}`));
    const dbPath = join(dir, 'sapa.db');
    const db = openDatabase(dbPath);
    const staff = createStaffService(db);
    staff.add({ username: 'siti', role: 'admin', password: 'sepeda-biru-lasiana' });
    staff.add({ username: 'sari', role: 'supervisor', password: 'sepeda-biru-lasiana' });
    db.close();
    const { code, out } = await doctor({
      SAPA_DB: dbPath,
      SAPA_OFFICE_FILE: office,
      SAPA_SLA_FILE: sla,
      TELEGRAM_BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi',
      TELEGRAM_SUPERVISOR_CHAT_IDS: '-1001234567890',
      PUBLIC_URL: 'https://sapa.example.go.id',
    });
    expect(out).not.toContain('[PERLU]');
    expect(code).toBe(0);
    expect(out).toContain('Siap operasi. / Ready to go live.');
  });
});

describe('GET /api/golive (admin checklist)', () => {
  let h: Harness | null = null;
  afterEach(async () => {
    await h?.close();
    h = null;
  });

  it('reports the running bot: its hours, office profile, accounts and plain http; admins only', async () => {
    h = await createHarness();
    const admin = await h.login('admin');
    const response = await admin.call('GET', '/api/golive');
    expect(response.statusCode).toBe(200);
    const body = response.json() as { ready: boolean; checks: { id: string; ok: boolean }[] };
    expect(body.ready).toBe(false);
    const byId = Object.fromEntries(body.checks.map((c) => [c.id, c.ok]));
    // The harness runs with the hours confirmed (testPolicy) and a recording Telegram channel.
    expect(byId).toMatchObject({ hours_confirmed: true, office_profile: false, supervisors: true, admin: true, https: false });
    expect((await (await h.login('sari')).call('GET', '/api/golive')).statusCode).toBe(403);
  });

  it('judges HTTPS by the configured PUBLIC_URL, not by how the admin reached the page', async () => {
    h = await createHarness({ dashboard: { publicUrl: 'https://sapa.kanimkupang.example' } });
    const checks = ((await (await h.login('admin')).call('GET', '/api/golive')).json() as { checks: { id: string; ok: boolean }[] }).checks;
    expect(checks.find((c) => c.id === 'https')?.ok).toBe(true);
    await h.close();
    h = await createHarness({ dashboard: { publicUrl: 'http://10.0.0.5:3000' } });
    const plain = ((await (await h.login('admin')).call('GET', '/api/golive')).json() as { checks: { id: string; ok: boolean }[] }).checks;
    expect(plain.find((c) => c.id === 'https')?.ok).toBe(false);
  });
});
