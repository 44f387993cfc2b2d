/**
 * Complaint flag and the intent patterns added with it. Our own representative messages:
 * never lines of the dev or independent evaluation files.
 */
import { TEST_CLASSIFIER_OPTIONS } from '../helpers/core.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadKnowledgeBase } from '../../src/knowledge/index.js';
import { createClassifier, detectComplaint, detectIntegrity, detectWrongData, normalize, type IntentClassifier } from '../../src/nlu/index.js';

let classifier: IntentClassifier;
beforeAll(() => {
  classifier = createClassifier(loadKnowledgeBase('intents', 'data/office.yaml'), TEST_CLASSIFIER_OPTIONS);
});

describe('complaint flag', () => {
  const complaints = [
    // frustration words on an FAQ topic
    'udah 4 hari nunggu kode verifikasi ga dateng2, capek bgt',
    'kesal sekali, upload akta gagal berkali-kali',
    'bikin pusing, tiap hari coba daftar gagal terus',
    // Kupang Malay
    'sonde jelas ini pelayanan, beta tunggu talalu lama',
    // repeated failure with a duration or a count
    'su dua minggu paspor belum jadi',
    'coba bayar 3x tetap gagal',
    // shouting with a failure word
    'APLIKASI TIDAK BISA DIBUKA DARI TADI!!!',
    // English
    'the waiting room is so dirty, ridiculous',
    "I'm fed up, the app still not working",
    'the air conditioner in the waiting room is broken, please fix',
    // facilities, wrong data, integrity
    'toilet di lantai dua kotor sekali',
    'AC di ruang tunggu rusak dari minggu lalu',
    'tempat lahir saya salah cetak di paspor',
    'ada oknum minta 500rb biar cepat',
    'pelayanan lelet, sudah 3 jam belum dipanggil',
    // reduplication in chat ("berjam2"), nonsense rules, money gone, wrong bot answers
    'bapak saya tunggu berjam2 di ruang tunggu',
    'aturan kuota ini tidak masuk akal',
    'transfer sudah, uang kami kemana sekarang',
    'jawabannya salah lagi, sambungkan ke petugas',
    // English: disappointing, nobody answers
    'this service is so disappointing',
    'I called three times and nobody ever answered',
    // queue order broken, an unstaffed counter
    'giliran kami dilangkahi orang yang baru datang',
    'petugas dahulukan kerabatnya duluan padahal kami antri',
    'antrean dipanggil tidak sesuai urutan',
    'loket 4 kosong, kami menunggu',
  ];
  it.each(complaints)('flags %s', (text) => {
    expect(classifier.classify(text).complaint).toBe(true);
  });

  const neutral = [
    'berapa biaya paspor anak',
    'otp tidak masuk ke email saya',
    // a single failure report, even repeated with "terus", is an FAQ question
    'upload foto gagal terus',
    'password salah terus gimana reset',
    'HALO ADMIN SELAMAT PAGI',
    'data di kk dan ktp beda, syaratnya apa',
    // integrity words that are not a new report
    'laporan saya tentang pungli sudah diproses?',
    'mau urus sendiri, tidak mau pakai calo',
    'kalau bayar lebih bisa jadi sehari?',
    'bayar tambahan biar selesai besok bisa?',
    // a failure since this morning is still a plain report; a deadline question is no grievance
    'upload ktp gagal dari tadi',
    'aplikasinya tidak bisa dibuka sejak pagi',
    'batas bayar kode billing sampai kapan',
    'masa berlaku kode otp sampai kapan',
  ];
  it.each(neutral)('does not flag %s', (text) => {
    expect(classifier.classify(text).complaint).toBe(false);
  });

  it('reads number words and counts as durations', () => {
    expect(detectComplaint(normalize('sudah tiga hari otp belum masuk'))).toBe(true);
    expect(detectComplaint(normalize('kode otp belum masuk'))).toBe(false);
  });

  it('needs a failure word for shouting', () => {
    expect(detectComplaint(normalize('HALO MIN!!!'), 'HALO MIN!!!')).toBe(false);
    expect(detectComplaint(normalize('KENAPA BELUM JADI'), 'KENAPA BELUM JADI')).toBe(true);
  });

  it('separates wrongly printed data from other "salah"', () => {
    expect(detectWrongData(normalize('jenis kelamin anak di paspor tertulis keliru'))).toBe(true);
    expect(detectWrongData(normalize('ejaan nama saya salah di paspor'))).toBe(true);
    expect(detectWrongData(normalize('kode otp salah katanya'))).toBe(false);
    expect(detectWrongData(normalize('transfer salah nominal'))).toBe(false);
    // a photo printed badly in the passport, unlike an unclear upload
    expect(detectWrongData(normalize('foto pada paspor anak saya gelap sekali'))).toBe(true);
    expect(detectWrongData(normalize('foto yang saya upload buram'))).toBe(false);
  });

  it('keeps refused or referenced brokers out of integrity', () => {
    expect(detectIntegrity(normalize('ada calo di parkiran tawarkan jasa'))).toBe(true);
    expect(detectIntegrity(normalize('jalur resmi saja, tanpa calo'))).toBe(false);
    expect(detectIntegrity(normalize('aduan saya soal calo bagaimana'))).toBe(false);
    expect(detectIntegrity(normalize('someone offered to help for 2 million'))).toBe(true);
  });
});

describe('intent patterns', () => {
  const examples: ReadonlyArray<readonly [string, string]> = [
    ['Assalamualaikum admin 🙏', 'greeting'],
    ['salam sejahtera kakak 🙏', 'greeting'],
    ['makasih 🙏', 'thanks'],
    ['the air conditioner in the waiting room is broken, please fix', 'complaint'],
    ['nama anak saya tercetak salah di paspor', 'complaint'],
    ['toilet di lantai dua kotor sekali', 'complaint'],
    ['do I need a visa to go to korea', 'out_of_scope'],
    ['promo paket foto studio dekat kantor imigrasi, dm kak', 'out_of_scope'],
    ['bot bisa nyanyi lagu daerah?', 'out_of_scope'],
    ['kantor buka tidak waktu hari raya', 'office_info'],
    ['biaya paspor dewasa dan anak sama tidak', 'fees'],
    ['kalau bayar tambahan besok bisa jadi?', 'express_service'],
    ['what does my daughter need to get a passport', 'requirements_child'],
    ['transfer saya kelebihan jumlah', 'payment'],
    ['tidak ada tanggal yang bisa saya pilih di m-paspor', 'mpaspor_quota'],
    ['APLIKASI TIDAK BISA DIBUKA DARI TADI!!!', 'mpaspor_app_error'],
    ['kesal sekali, upload akta gagal berkali-kali', 'mpaspor_upload'],
  ];
  it.each(examples)('%s -> %s', (text, intent) => {
    expect(classifier.classify(text).intent).toBe(intent);
  });

  it('keeps the topic of a complaint about an app or fee', () => {
    expect(classifier.classify('udah 4 hari nunggu kode verifikasi ga dateng2, capek bgt').intent).toBe('mpaspor_otp');
  });
});

describe('normalization of Kupang and English', () => {
  it('drops the Kupang question particle "ko" and keeps "bot"', () => {
    expect(normalize('su bisa ambil ko?')).toBe('sudah bisa ambil');
    expect(normalize('bot tidak paham')).toBe('bot tidak paham');
  });
  it('maps English facility words', () => {
    expect(normalize('the toilet has no water')).toBe('toilet tidak ada air');
  });
});
