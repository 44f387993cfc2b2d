/**
 * One source of truth for the office hours: data/sla.yaml's business_hours, stated to
 * applicants only once the office confirmed them (hours_confirmed). The FAQ answer and the
 * ticket replies must agree: while unconfirmed, neither names an opening time.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { KnowledgeError, loadKnowledgeBase } from '../../src/knowledge/index.js';
import { createTestCore, testPolicy, unconfirmedPolicy, type TestCore } from '../helpers/core.js';
import { copyKnowledge } from './helpers.js';

/** Friday 27 November 2026, 17:00 WITA: after hours, the office (by the default hours) opens Monday 08:00. */
const FRIDAY_EVENING = '2026-11-27T09:00:00Z';

let core: TestCore | null = null;
afterEach(() => {
  core?.close();
  core = null;
});

describe('office hours come from data/sla.yaml only', () => {
  it('refuses opening_hours written in data/office.yaml, naming where the hours live', () => {
    const temp = copyKnowledge();
    try {
      const text = readFileSync(temp.office, 'utf8').replace("opening_hours: ''", "opening_hours: 'Senin-Jumat 07.30-15.00'");
      writeFileSync(temp.office, text);
      expect(() => loadKnowledgeBase(temp.intents, temp.office)).toThrow(KnowledgeError);
      expect(() => loadKnowledgeBase(temp.intents, temp.office)).toThrow(/opening_hours must stay '': .*data\/sla\.yaml \(business_hours, then hours_confirmed: true\)/);
    } finally {
      temp.cleanup();
    }
  });

  it('the shipped data/sla.yaml has not confirmed the hours', () => {
    expect(unconfirmedPolicy().hoursConfirmed).toBe(false);
  });

  it('"jam buka?" shows the confirmed SLA hours, and says they are unconfirmed otherwise', async () => {
    core = createTestCore({ policy: testPolicy() });
    const confirmed = (await core.say('jam buka kantor imigrasi kupang jam berapa?')).join('\n');
    expect(confirmed).toContain('Senin–Jumat 08.00–16.00 WITA');
    core.close();

    core = createTestCore({ policy: unconfirmedPolicy() });
    const unconfirmed = (await core.say('jam buka kantor imigrasi kupang jam berapa?')).join('\n');
    expect(unconfirmed).toMatch(/Jam layanan[^\n]*: belum ada informasi yang terkonfirmasi/);
    expect(unconfirmed).not.toContain('08.00');
  });

  it('after hours with unconfirmed hours a complaint reply names no time: "pada jam kerja berikutnya"', async () => {
    core = createTestCore({ policy: unconfirmedPolicy(), start: FRIDAY_EVENING });
    const reply = (await core.say('petugas loket kemarin kasar sekali, saya kecewa')).join('\n');
    expect(reply).toMatch(/tiket #1/);
    expect(reply).not.toContain('08.00');
    expect(reply).not.toContain('buka kembali');
    expect(reply).not.toMatch(/pukul \d{2}\.\d{2}/);
    expect(reply).toContain('pada jam kerja berikutnya');
  });

  it('with confirmed hours the same complaint names the opening and the due time', async () => {
    core = createTestCore({ policy: testPolicy(), start: FRIDAY_EVENING });
    const reply = (await core.say('petugas loket kemarin kasar sekali, saya kecewa')).join('\n');
    expect(reply).toContain('buka kembali Senin, 30 November pukul 08.00 WITA');
    expect(reply).toContain('paling lambat Senin, 30 November pukul 10.00 WITA');
  });
});
