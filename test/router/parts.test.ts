/** The router's small parts on their own: the pipeline, the dialogue memory, the cues. */
import { describe, expect, it } from 'vitest';
import { cleanText, normalize } from '../../src/nlu/normalize.js';
import {
  detectFacts,
  isContinuation,
  isPriorityApplicant,
  isScamReport,
  isSelfHelpFailure,
  isVagueOpener,
  type MessageForms,
} from '../../src/router/cues.js';
import { caseKeys, DIALOGUE_QUIET_MS, EMPTY_DIALOGUE, readDialogue, writeDialogue } from '../../src/router/dialogue.js';
import { compose } from '../../src/router/pipeline.js';
import type { Decision, Step, Turn } from '../../src/router/types.js';

const forms = (text: string): MessageForms => ({ normalized: normalize(text), lower: cleanText(text) });

describe('pipeline', () => {
  it('runs steps in order until one decides, and the last function when none does', () => {
    const seen: string[] = [];
    const passing = (name: string): Step => ({ name, run: (_turn, next) => (seen.push(name), next()) });
    const deciding: Step = { name: 'decides', run: () => (seen.push('decides'), { outcome: 'faq', classification: null, ticketId: null }) };
    const last = (): Decision => (seen.push('last'), { outcome: 'fallback', classification: null, ticketId: null });
    const turn = {} as Turn;
    expect(compose([passing('a'), deciding, passing('b')], last)(turn).outcome).toBe('faq');
    expect(seen).toEqual(['a', 'decides']);
    seen.length = 0;
    expect(compose([passing('a'), passing('b')], last)(turn).outcome).toBe('fallback');
    expect(seen).toEqual(['a', 'b', 'last']);
  });

  it('lets a step act after the rest of the pipeline (middleware style)', () => {
    const wrapping: Step = {
      name: 'wrap',
      run: (_turn, next) => {
        const inner = next();
        return { ...inner, ticketId: 7 };
      },
    };
    const last = (): Decision => ({ outcome: 'faq', classification: null, ticketId: null });
    expect(compose([wrapping], last)({} as Turn).ticketId).toBe(7);
  });
});

describe('dialogue memory', () => {
  const now = new Date('2026-11-30T01:00:00Z');
  it('round-trips through JSON and expires after the quiet period', () => {
    const state = { ...EMPTY_DIALOGUE, topic: 'lost_damaged', aspect: 'fee' as const, facts: { situation: 'damaged' as const, who: 'child' as const, disaster: true as const }, advice: null, at: now.getTime() };
    const json = writeDialogue(state);
    expect(json).not.toBeNull();
    expect(readDialogue(json, new Date(now.getTime() + DIALOGUE_QUIET_MS))).toEqual(state);
    expect(readDialogue(json, new Date(now.getTime() + DIALOGUE_QUIET_MS + 1))).toBe(EMPTY_DIALOGUE);
    expect(writeDialogue(EMPTY_DIALOGUE)).toBeNull();
    expect(readDialogue('not json', now)).toBe(EMPTY_DIALOGUE);
    expect(readDialogue('{"t": 5, "at": 1}', new Date(2))).toEqual({ ...EMPTY_DIALOGUE, at: 1 });
  });

  it('orders case keys most specific first', () => {
    expect(caseKeys({ who: 'child', situation: 'abroad' })).toEqual(['abroad', 'child']);
  });
});

describe('cues', () => {
  it('reads the case in Indonesian, Kupang Malay and English', () => {
    expect(detectFacts(forms('paspor saya rusak kena air'))).toEqual({ situation: 'damaged' });
    expect(detectFacts(forms('beta pung paspor ilang di kapal'))).toEqual({ situation: 'lost' });
    expect(detectFacts(forms('paspor saya dicuri di Malaysia'))).toEqual({ situation: 'abroad' });
    expect(detectFacts(forms('paspor ditahan majikan'))).toEqual({ situation: 'abroad' });
    expect(detectFacts(forms('and for my son?'))).toEqual({ who: 'child' });
    expect(detectFacts(forms('beta pung ana mau bikin paspor'))).toEqual({ who: 'child' });
    expect(detectFacts(forms('nama saya berubah karena putusan pengadilan'))).toEqual({ situation: 'data_change' });
    expect(detectFacts(forms('oma saya umur 70, paspor 10 tahun'))).toEqual({ who: 'elderly', years: 10 });
    expect(detectFacts(forms('berapa biaya paspor'))).toEqual({});
  });

  it('reads an age as the person the passport is for, never a validity as an age', () => {
    expect(detectFacts(forms("and for my son? he's 10"))).toEqual({ who: 'child' });
    expect(detectFacts(forms('My mother is 75 and uses a wheelchair'))).toEqual({ who: 'elderly' });
    expect(detectFacts(forms('she is 12 years old'))).toEqual({ who: 'child' });
    expect(detectFacts(forms('anak saya umur 20 mau bikin paspor'))).toEqual({ who: 'adult' });
    expect(detectFacts(forms('anak saya umur 8 thn'))).toEqual({ who: 'child' });
    expect(detectFacts(forms('beta mama su 65 taun'))).toEqual({ who: 'elderly' });
    expect(detectFacts(forms('bapak saya 45 tahun'))).toEqual({ who: 'adult' });
    expect(detectFacts(forms('paspor untuk saya sendiri'))).toEqual({ who: 'adult' });
    // A validity, a count, a fee: no one's age.
    expect(detectFacts(forms('paspor 5 tahun berapa?'))).toEqual({ years: 5 });
    expect(detectFacts(forms('sudah 3 hari menunggu'))).toEqual({});
    expect(detectFacts(forms('umur paspor saya tinggal 6 bulan'))).toEqual({});
  });

  it('reads a denied case as not stated, marriage as adulthood, and old age in words', () => {
    expect(detectFacts(forms('eh bukan rusak, hilang maksudnya'))).toEqual({ situation: 'lost' });
    expect(detectFacts(forms('not lost, it was damaged by water'))).toEqual({ situation: 'damaged' });
    expect(detectFacts(forms('paspor saya tidak hilang'))).toEqual({});
    expect(detectFacts(forms('tapi dia sudah menikah'))).toEqual({ who: 'adult' });
    expect(detectFacts(forms("she's married though"))).toEqual({ who: 'adult' });
    // The marriage book is a document, not a marriage.
    expect(detectFacts(forms('buku nikah harus dibawa?'))).toEqual({});
    expect(detectFacts(forms('sa pung bapa su tua, jalan susah'))).toEqual({ who: 'elderly' });
  });

  it('knows a passport lost or damaged in a disaster, and only then', () => {
    expect(detectFacts(forms('paspor hilang pas banjir kemarin'))).toEqual({ situation: 'lost', disaster: true });
    expect(detectFacts(forms('mine was damaged in a flood'))).toEqual({ situation: 'damaged', disaster: true });
    expect(detectFacts(forms('rumah kami terendam'), { situation: 'damaged' })).toEqual({ disaster: true });
    // A flood with no lost or damaged passport is no case; rain is no disaster.
    expect(detectFacts(forms('jalan ke kantor banjir, bisa datang besok?'))).toEqual({});
    expect(detectFacts(forms('paspor basah kena hujan'))).toEqual({ situation: 'damaged' });
    expect(caseKeys({ situation: 'damaged', disaster: true })).toEqual(['disaster', 'damaged']);
    // Abroad, the mission decides (SPLP): the disaster case is not the domestic one.
    expect(caseKeys({ situation: 'abroad', disaster: true })).toEqual(['abroad']);
  });

  it('lets the elderly fall back to the adult case where a topic has none of their own', () => {
    expect(caseKeys({ who: 'elderly' })).toEqual(['elderly', 'adult']);
    expect(caseKeys({ who: 'elderly', situation: 'lost' })).toEqual(['lost', 'elderly', 'adult']);
    expect(caseKeys({ who: 'child' })).toEqual(['child']);
  });

  it('knows a continuation, a vague opener, a failed self-help, a scam', () => {
    for (const text of ['terus?', 'trus gmn?', 'lalu?', 'selanjutnya bagaimana', 'then?', 'what next?', 'itu saja?', 'cuma itu?', "that's all?", 'is that all?']) {
      expect(isContinuation(forms(text)), text).toBe(true);
    }
    expect(isContinuation(forms('terus biayanya berapa'))).toBe(false);
    for (const text of ['bisa bantu saya?', 'saya bingung', 'mau tanya', 'tolong', 'kak mau tanya dong', '🙏🙏😭', 'can you help me?', 'beta bingung']) {
      expect(isVagueOpener(forms(text)), text).toBe(true);
    }
    for (const text of ['tolong sambungkan ke petugas', 'mau tanya biaya paspor', '🙏', 'terima kasih']) expect(isVagueOpener(forms(text)), text).toBe(false);
    for (const text of ['masih sama', 'sudah dicoba tetap tidak bisa', 'sdh dicoba tp msh sm', 'su coba, tetap sonde masuk', 'still not working', 'I tried that, still nothing', 'I already reinstalled it, still crashes', 'it keeps crashing']) {
      expect(isSelfHelpFailure(forms(text)), text).toBe(true);
    }
    expect(isSelfHelpFailure(forms('berapa biaya paspor'))).toBe(false);
    for (const text of [
      'ada nomor WA ngaku petugas minta transfer 300rb biar dapat kuota, benar?',
      'ada yg jual kuota m-paspor 500rb via tf',
      'akun facebook palsu imigrasi kupang tawarkan paspor cepat',
      'someone claiming to be an officer asked me to transfer money',
    ]) {
      expect(isScamReport(forms(text)), text).toBe(true);
    }
    for (const text of ['bayar kode billing bisa transfer lewat m-banking?', 'berapa biaya paspor', 'kuota penuh terus']) expect(isScamReport(forms(text)), text).toBe(false);
  });

  it('takes a priority group from who the applicant is, not from the word "sakit"', () => {
    expect(isPriorityApplicant(forms('ibu saya lansia pakai kursi roda'))).toBe(true);
    expect(isPriorityApplicant(forms('istri saya sedang hamil 7 bulan'))).toBe(true);
    expect(isPriorityApplicant(forms('ayah saya dirawat di rumah sakit, tidak bisa datang'))).toBe(true);
    expect(isPriorityApplicant(forms('kode otp tidak masuk, saya sampai sakit kepala'))).toBe(false);
    expect(isPriorityApplicant(forms('sakit hati saya dengan pelayanannya'))).toBe(false);
  });
});
