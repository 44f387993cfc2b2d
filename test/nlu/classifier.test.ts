import { TEST_CLASSIFIER_OPTIONS } from '../helpers/core.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadKnowledgeBase } from '../../src/knowledge/index.js';
import {
  createClassifier,
  extractTicketNumber,
  MAX_CLASSIFY_CHARS,
  type IntentClassifier,
} from '../../src/nlu/index.js';

let classifier: IntentClassifier;
beforeAll(() => {
  classifier = createClassifier(loadKnowledgeBase('intents', 'data/office.yaml'), TEST_CLASSIFIER_OPTIONS);
});

// Our own representative messages (not dev-set lines).
const examples: ReadonlyArray<readonly [string, string]> = [
  ['halo selamat pagi kak', 'greeting'],
  ['makasih banyak infonya min', 'thanks'],
  ['sy mau ngobrol dgn petugas aja', 'human_handoff'],
  ['tiket #88 bagaimana kabarnya', 'ticket_status'],
  ['petugas di loket kasar sekali ke saya', 'complaint'],
  ['gimana cara daftar akun di aplikasi m-paspor', 'mpaspor_register'],
  ['kode otp ga masuk2 ke email', 'mpaspor_otp'],
  ['kuota kupang penuh terus sampai bulan depan', 'mpaspor_quota'],
  ['mau ganti tanggal wawancara bisa?', 'mpaspor_reschedule'],
  ['upload foto akta gagalll terus', 'mpaspor_upload'],
  ['aplikasi m paspor tidak bisa login', 'mpaspor_app_error'],
  ['kode billing sudah lewat 2 jam belum dibayar', 'payment'],
  ['brp harga e-paspor 10 thn', 'fees'],
  ['ada paspor jadi sehari?', 'express_service'],
  ['syarat bikin paspor buat kerja ke luar negeri', 'requirements_new'],
  ['anak umur 3 tahun mau bikin paspor bawa apa', 'requirements_child'],
  ['paspor sy udh expired mau perpanjang', 'renewal'],
  ['beta pung paspor hilang di kapal', 'lost_damaged'],
  ['berapa hari kerja paspor selesai setelah wawancara', 'processing_time'],
  ['alamat kantor imigrasi kupang di mana', 'office_info'],
  ['nenek sy umur 75 mau bikin paspor, ada jalur khusus?', 'priority_service'],
  ['syarat bikin sim c', 'out_of_scope'],
  ['my passport was lost at the airport', 'lost_damaged'],
  ['how much does an e-passport cost', 'fees'],
];

describe('classify', () => {
  it.each(examples)('%s -> %s', (text, intent) => {
    expect(classifier.classify(text).intent).toBe(intent);
  });

  it('sends clearly unrelated messages to out_of_scope', () => {
    for (const text of ['cuaca besok cerah?', 'harga tiket pesawat ke jakarta', 'daftar bpjs kesehatan di mana', 'ceritakan lelucon lucu']) {
      expect(classifier.classify(text).intent, text).toBe('out_of_scope');
    }
  });

  it('calibrates confidence: in-scope answers clear the threshold', () => {
    const known = classifier.classify('berapa biaya paspor 10 tahun');
    expect(known.confidence).toBeGreaterThanOrEqual(classifier.threshold);
    expect(classifier.classify('qwerty zxcvb').intent).toBe('out_of_scope');
  });

  it('detects the reply language', () => {
    expect(classifier.classify('how long does it take to get my passport').language).toBe('en');
    expect(classifier.classify('berapa lama paspor jadi').language).toBe('id');
    expect(classifier.classify('beta pung paspor hilang').language).toBe('id');
    // Contractions and case words English-only ("she's married though" was answered in Indonesian).
    expect(classifier.classify("she's married though").language).toBe('en');
    expect(classifier.classify('dia sudah menikah').language).toBe('id');
  });
});

describe('flags', () => {
  it('flags complaints whatever the intent', () => {
    expect(classifier.classify('sudah 3 hari otp tidak masuk, parah').complaint).toBe(true);
    expect(classifier.classify('beta su tunggu dari pagi sonde dilayani').complaint).toBe(true);
    expect(classifier.classify('kecewa sekali, tolong diperbaiki').complaint).toBe(true);
    expect(classifier.classify('otp tidak masuk ke email').complaint).toBe(false);
    expect(classifier.classify('berapa biaya paspor').complaint).toBe(false);
  });

  it('flags integrity reports as complaints', () => {
    const result = classifier.classify('ada calo minta uang pelicin 2 juta');
    expect(result.integrity).toBe(true);
    expect(result.complaint).toBe(true);
    expect(classifier.classify('petugas minta pungli').integrity).toBe(true);
    expect(classifier.classify('syarat paspor baru').integrity).toBe(false);
  });

  it('flags priority groups', () => {
    for (const text of ['ibu saya lansia', 'pakai kursi roda', 'istri sedang hamil', 'paspor untuk bayi', 'bapak saya umur 72 tahun']) {
      expect(classifier.classify(text).priorityGroup, text).toBe(true);
    }
    expect(classifier.classify('paspor anak harus bawa apa').priorityGroup).toBe(false);
    expect(classifier.classify('umur 30 tahun').priorityGroup).toBe(false);
  });
});

describe('ticket numbers', () => {
  it('extracts ticket references', () => {
    expect(extractTicketNumber('cek #12')).toBe(12);
    expect(extractTicketNumber('tiket 45 belum dibalas')).toBe(45);
    expect(extractTicketNumber('tiket nomor 7')).toBe(7);
    expect(extractTicketNumber('laporan no. 301')).toBe(301);
    expect(extractTicketNumber('t-31 gimana')).toBe(31);
    expect(extractTicketNumber('ticket #5')).toBe(5);
  });

  it('ignores amounts, durations and plain numbers', () => {
    expect(extractTicketNumber('biaya rp 950.000')).toBeUndefined();
    expect(extractTicketNumber('jadi dalam 4 hari')).toBeUndefined();
    expect(extractTicketNumber('anak umur 12')).toBeUndefined();
  });

  it('routes a ticket number to ticket_status', () => {
    const result = classifier.classify('#27');
    expect(result.intent).toBe('ticket_status');
    expect(result.ticketNumber).toBe(27);
    expect(classifier.classify('berapa biaya paspor').ticketNumber).toBeUndefined();
  });
});

describe('robustness', () => {
  const nasty = ['', ' ', '\u0000\u0001\u0002', '\uD800\uDC00\uD800', '\uDFFF', '😀🙈🔥', '\u200B\u200B', 'a'.repeat(5000), '\n\t\r'];
  it.each(nasty.map((text) => [JSON.stringify(text).slice(0, 30), text]))('never throws on %s', (_label, text) => {
    const result = classifier.classify(text);
    expect(typeof result.intent).toBe('string');
    expect(result.confidence).toBeGreaterThanOrEqual(0);
    expect(result.confidence).toBeLessThanOrEqual(1);
  });

  it('handles 1 MB quickly by classifying a bounded prefix', () => {
    const huge = 'paspor saya hilang '.repeat(60_000);
    const started = performance.now();
    const result = classifier.classify(huge);
    expect(performance.now() - started).toBeLessThan(500);
    expect(result.intent).toBe('lost_damaged');
    // Text past the bound does not count.
    const tail = `${'x '.repeat(MAX_CLASSIFY_CHARS)} tiket #99`;
    expect(classifier.classify(tail).ticketNumber).toBeUndefined();
  });

  it('never reads a question without a word of thanks as thanks', () => {
    // The model weighed "use the app" towards thanks (reviews thanking for an app easy to use).
    for (const text of ['Does she need to use the app?', 'My mother is 75 and uses a wheelchair. Does she need to use the app?']) {
      expect(classifier.classify(text).intent, text).not.toBe('thanks');
    }
    for (const text of ['makasih kak, sudah jelas?', 'thanks, is that all?', 'ok 🙏?']) expect(classifier.classify(text).intent, text).toBe('thanks');
  });

  it('treats a lone emoji of thanks as thanks', () => {
    expect(classifier.classify('🙏').intent).toBe('thanks');
  });

  it('builds one model per knowledge base: a second classifier takes the trained one', () => {
    const again = createClassifier(loadKnowledgeBase('intents', 'data/office.yaml'), TEST_CLASSIFIER_OPTIONS);
    expect(again.modelSource).toBe('memory');
    expect(again.classify('berapa biaya paspor?')).toEqual(classifier.classify('berapa biaya paspor?'));
  });

  it('gives the top three candidates, best first, the decided intent first', () => {
    const result = classifier.classify('kode otp tidak masuk ke email saya');
    expect(result.candidates).toHaveLength(3);
    expect(result.candidates[0]).toEqual({ intent: result.intent, confidence: result.confidence });
    expect(new Set(result.candidates.map((c) => c.intent)).size).toBe(3);
  });

  it.each([
    ['berapa biaya paspor 10 tahun dan berapa lama jadinya?', 'fees', 'processing_time'],
    ['Kode OTP tidak masuk. Terus kalau kuota penuh bagaimana?', 'mpaspor_otp', 'mpaspor_quota'],
    ['how much is an e-passport and what documents do i need to bring?', 'fees', 'requirements_new'],
  ])('finds the second ask in %j', (text, first, second) => {
    const result = classifier.classify(text);
    // Either ask may be the main one; both must be found.
    expect([result.intent, result.secondIntent].sort()).toEqual([first, second].sort());
  });

  it('has no second ask in a single question or small talk', () => {
    expect(classifier.classify('berapa biaya paspor 10 tahun?').secondIntent).toBeNull();
    expect(classifier.classify('halo kak. terima kasih ya').secondIntent).toBeNull();
  });

  it('reads the part of a topic a follow-up asks about', () => {
    expect(classifier.classify('biayanya berapa?').aspect).toBe('fee');
    expect(classifier.classify('dokumennya apa saja?').aspect).toBe('documents');
  });

  it.each([
    ['Aplikasi sampah!!! loading terus dari kemarin, mau daftar aja gak bisa 😡😡', true],
    ['udah 4 hari coba daftar gagal trs, pemerintah bikin aplikasi kok gini amat', true],
    ['saya sedang hamil 7 bulan, apakah ada jalur prioritas di kantor?', false],
    ['aplikasinya bagus, ga ribet, terima kasih imigrasi', false],
    ['kode otp tidak masuk, bagaimana solusinya?', false],
  ])('flags dissatisfaction, not topics: %j -> %s', (text, complaint) => {
    expect(classifier.classify(text).complaint).toBe(complaint);
  });

  it('never sends a message that names the domain to out_of_scope', () => {
    for (const text of ['aplikasi m-paspor kenapa begini', 'kuota kapan dibuka lagi', 'billingnya gimana', 'imigrasi kupang hari ini']) {
      expect(classifier.classify(text).intent).not.toBe('out_of_scope');
    }
  });
});

describe('flags found in conversation', () => {
  it('reads "my son" as a child, not the Kupang Malay "son" (not)', () => {
    expect(classifier.classify('and for my son?').intent).toBe('requirements_child');
  });

  it('a "petugas" asking for a transfer is an integrity report', () => {
    const result = classifier.classify('ada nomor WA ngaku petugas minta transfer 300rb biar dapat kuota, benar?');
    expect(result).toMatchObject({ integrity: true, complaint: true });
  });

  it('"sampai sakit kepala" is a feeling, not a sick applicant', () => {
    expect(classifier.classify('sampai sakit kepala saya urus paspor di aplikasi ini').priorityGroup).toBe(false);
    expect(classifier.classify('ibu saya sakit stroke, bisa dilayani di rumah?').priorityGroup).toBe(true);
  });
});

describe('scam reports (facts §9: quota or passports offered for a transfer, fake pages)', () => {
  it.each([
    'someone on WhatsApp says he can get me a quota slot if I transfer 400k first',
    'ada orang di wa bilang bisa atur jadwal wawancara asal tf 600 ribu dulu',
    'ada akun facebook imigrasi express yang menawarkan paspor jadi 3 hari',
  ])('%s -> integrity', (text) => {
    expect(classifier.classify(text)).toMatchObject({ integrity: true, complaint: true });
  });

  it('paying the billing code by transfer is not a scam', () => {
    expect(classifier.classify('cara transfer bayar kode billing paspor lewat m-banking gimana').integrity).toBe(false);
  });
});
