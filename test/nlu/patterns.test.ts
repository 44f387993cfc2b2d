/**
 * Rules added for long chat messages, near-domain out-of-scope questions, money amounts,
 * priority-group access, opening days, rush requests and complaint precision. Our own
 * representative messages: never lines of the dev or independent evaluation files.
 */
import { TEST_CLASSIFIER_OPTIONS } from '../helpers/core.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadKnowledgeBase } from '../../src/knowledge/index.js';
import { coreOf } from '../../src/nlu/classifier.js';
import { isForeignDomain } from '../../src/nlu/domain.js';
import { isAmount, MONEY, stems } from '../../src/nlu/features.js';
import { createClassifier, detectComplaintFlags, normalize, normalizeTokens, type IntentClassifier } from '../../src/nlu/index.js';

let classifier: IntentClassifier;
beforeAll(() => {
  classifier = createClassifier(loadKnowledgeBase('intents', 'data/office.yaml'), TEST_CLASSIFIER_OPTIONS);
});

function expectIntent(cases: ReadonlyArray<readonly [string, string]>): void {
  for (const [text, intent] of cases) expect(classifier.classify(text).intent, text).toBe(intent);
}

describe('greeting or thanks around real content', () => {
  it('classifies the content, not the courtesy', () => {
    expectIntent([
      ['selamat pagi bapak ibu, maaf mengganggu, saya mau tanya, ponakan saya mau kerja di hongkong tahun depan, daftar paspornya di aplikasi hp itu langkahnya gimana ya', 'mpaspor_register'],
      ['permisi kak mau nanya, saya dan istri mau jalan jalan ke bali terus ke singapura, paspor elektronik sekarang harganya berapa ya per orang', 'fees'],
      ['pagi min, anak saya umur 4 tahun mau ikut kami ke australia liburan, dokumen apa saja yang perlu disiapkan untuk paspornya', 'requirements_child'],
      ['halo kak, selamat pagi. saya tinggal di rote, belum pernah punya paspor. mau daftar lewat hp, tahapannya apa saja?', 'mpaspor_register'],
      ['pagi min, saya sudah dapat kode billing tapi belum bayar, bayarnya bisa lewat apa saja', 'payment'],
    ]);
  });

  it('keeps short greetings and closing thanks', () => {
    expectIntent([
      ['selamat siang kak', 'greeting'],
      ['halo selamat malam admin imigrasi', 'greeting'],
      ['oke siap, sudah jelas, terima kasih banyak ya kak', 'thanks'],
      ['baik pak, nanti saya datang besok, makasih', 'thanks'],
      ['terima kasih atas informasinya, sangat membantu', 'thanks'],
    ]);
  });

  it('coreOf strips the opener only when content remains', () => {
    expect(coreOf(normalizeTokens('pagi kak, mau tanya, biaya paspor 10 tahun berapa'))).toEqual(['biaya', 'paspor', '10', 'tahun', 'berapa']);
    expect(coreOf(normalizeTokens('selamat pagi kak'))).toBeUndefined();
    expect(coreOf(normalizeTokens('berapa biaya paspor'))).toBeUndefined();
    // "ibu saya" is a relative, not an address: it stays
    expect(coreOf(normalizeTokens('ibu saya hamil mau bikin paspor'))).toBeUndefined();
  });
});

describe('near-domain out of scope', () => {
  it('sends other agencies documents, recruitment and religious texts out of scope', () => {
    const texts = [
      'kartu keluarga saya hilang waktu pindahan, urusnya di mana',
      'e-ktp saya rusak, bisa cetak ulang di kantor imigrasi?',
      'akte kematian bapak saya hilang, urus ulang di mana',
      'skck untuk kerja ke luar negeri bikin di polres atau polda',
      'kapan dibuka pendaftaran pegawai kemenkumham',
      'ada lowongan honorer di imigrasi kupang?',
      'ayat firman tuhan tentang kasih apa kak',
      'siapa juara liga inggris tahun ini',
      'tolong kirim doa pagi',
    ];
    for (const text of texts) expect(classifier.classify(text).intent, text).toBe('out_of_scope');
  });

  it('keeps documents used as passport requirements in scope', () => {
    expect(isForeignDomain(normalize('kk saya hilang, bisa pakai surat keterangan untuk paspor?'))).toBe(false);
    expect(isForeignDomain(normalize('ijazah hilang, bisa pakai akta saja?'))).toBe(false);
    expect(isForeignDomain(normalize('ktp saya hilang, urus di imigrasi juga?'))).toBe(true);
    expectIntent([
      ['ktp saya masih yang lama, bisa dipakai untuk paspor?', 'requirements_new'],
      ['paspor dan ktp saya hilang dicopet di terminal', 'lost_damaged'],
    ]);
  });

  it('treats travel words as the story of a long message, the topic of a short one', () => {
    expect(isForeignDomain(normalize('jadwal kapal ke larantuka'))).toBe(true);
    expect(isForeignDomain(normalize('adik saya mau kuliah di luar negeri tahun depan, dia sudah tamat sma, daftarnya lewat aplikasi bagaimana caranya'))).toBe(false);
  });

  it('does not answer banter about passports', () => {
    expectIntent([
      ['paspor bisa dipake buat beli pulsa ga? wkwk', 'out_of_scope'],
      ['min kalau paspor saya jadi pembatas buku boleh ga wkwk', 'out_of_scope'],
    ]);
  });
});

describe('money amounts', () => {
  it('maps amounts to one symbol and leaves counts alone', () => {
    const tokens = (text: string): string[] => stems(normalizeTokens(text));
    expect(tokens('1jt cukup')).toContain(MONEY);
    expect(tokens('350rb masih')).toContain(MONEY);
    expect(tokens('bayar 950 ribu')).toContain(MONEY);
    expect(tokens('rp 650.000')).toContain(MONEY);
    expect(tokens('650 atau 950')).toEqual([MONEY, 'atau', MONEY]);
    expect(tokens('umur 72 tahun')).not.toContain(MONEY);
    expect(tokens('loket 3 jam 9')).not.toContain(MONEY);
    expect(tokens('tahun 2024')).not.toContain(MONEY);
    expect(isAmount(['berangkat', 'tanggal', '20'], 2)).toBe(false);
  });

  it('reads amount questions as fees', () => {
    expectIntent([
      ['siapin 800 ribu cukup untuk paspor?', 'fees'],
      ['kenapa e-paspor 650 tapi ada yang 950', 'fees'],
      ['1,5jt cukup buat 2 paspor?', 'fees'],
      ['teman bilang 600 ribu sudah cukup, benar?', 'fees'],
    ]);
  });
});

describe('topic rules', () => {
  it('priority group asking about access is priority_service', () => {
    expectIntent([
      ['oma saya 78 tahun jalan pakai tongkat, perlu antri di aplikasi atau boleh langsung ke kantor', 'priority_service'],
      ['saya pakai kursi roda, apakah wajib daftar online dulu', 'priority_service'],
      ['istri hamil 8 bulan, harus ikut rebutan kuota juga atau ada jalur lain', 'priority_service'],
      ['nenek saya sudah 85 tahun dan tidak bisa pakai aplikasi, bisa datang langsung ke kantor?', 'priority_service'],
      // a child's documents stay requirements_child
      ['bayi saya 3 bulan, untuk paspornya perlu akta dan kk saja?', 'requirements_child'],
    ]);
  });

  it('opening days and regional offices are office_info', () => {
    expectIntent([
      ['hari paskah kantor imigrasi buka tidak', 'office_info'],
      ['tanggal 25 desember ada pelayanan paspor?', 'office_info'],
      ['hari minggu kantor buka?', 'office_info'],
      ['apakah ada kantor imigrasi di ruteng', 'office_info'],
      ['di kalabahi ada layanan paspor atau harus ke kupang', 'office_info'],
    ]);
    // red dates in the app are the quota, not a holiday
    expectIntent([['di aplikasi semua tanggal merah, sonde ada yang bisa dipilih', 'mpaspor_quota']]);
  });

  it('a rush is express_service', () => {
    expectIntent([
      ['paspor kilat 1 hari bisa di kupang?', 'express_service'],
      ['darurat, adik saya kecelakaan di malaysia, saya perlu paspor secepatnya', 'express_service'],
      ['ada layanan sehari jadi untuk perpanjangan?', 'express_service'],
    ]);
  });

  it('misc topics', () => {
    expectIntent([
      ['after the interview, how long until i can collect my passport', 'processing_time'],
      ['sudah hapus aplikasi dan pasang lagi tapi tetap blank putih', 'mpaspor_app_error'],
      ['kalau saya tidak bayar sampai batas waktu, uangnya hangus?', 'payment'],
      ['email verifikasi belum juga masuk', 'mpaspor_otp'],
      ['saya kakek dari anak yang orang tuanya sudah meninggal, bisa saya urus paspornya?', 'requirements_child'],
      ['syarat?', 'requirements_new'],
    ]);
  });
});

describe('complaint precision', () => {
  it('neutral queue and counter statements are not complaints', () => {
    for (const text of ['tadi saya duduk di depan loket 5', 'saya antri nomor 45', 'barusan dipanggil ke loket 6', 'istri saya lagi di loket foto']) {
      const result = classifier.classify(text);
      expect(result.intent, text).not.toBe('complaint');
      expect(result.complaint, text).toBe(false);
    }
  });

  it('real queue grievances still are', () => {
    for (const text of ['sudah 3 jam di ruang tunggu belum dipanggil juga', 'loket 2 kosong tidak ada petugas dari tadi', 'petugas di loket foto marah marah ke ibu saya']) {
      const result = classifier.classify(text);
      expect(result.intent, text).toBe('complaint');
      expect(result.complaint, text).toBe(true);
    }
  });

  it('bribes, impersonation and suspicious fees are integrity complaints', () => {
    for (const text of [
      'orang di dalam bilang kalau mau paspor cepat kasih 500 ribu lagi, padahal saya sudah bayar resmi',
      'ada akun tiktok ngaku admin imigrasi jual kuota wawancara',
      'tukang parkir minta 15rb, memang tarif kantor segitu?',
      'ada yang telepon ngaku petugas imigrasi minta transfer biar paspor cepat jadi',
      'di grup wa ada yang jual antrian paspor 200rb, itu penipuan kan',
    ]) {
      const result = classifier.classify(text);
      expect(result.intent, text).toBe('complaint');
      expect(result.complaint, text).toBe(true);
    }
    expect(detectComplaintFlags(normalize('satpam minta 20rb waktu masuk')).integrity).toBe(true);
    // the official express service is no bribe
    expect(detectComplaintFlags(normalize('layanan percepatan tambah bayar 1 juta biar cepat?')).integrity).toBe(false);
  });

  it('ignores hypothetical queues, own typos, blurry photos and earlier reports', () => {
    const neutral = [
      'kalau antriannya panjang, lansia bisa didahulukan?',
      'kode otp tidak masuk, apa saya salah tulis nomor hp?',
      'upload foto ktp ditolak katanya fotonya kurang jelas',
      'aduan saya kemarin tentang petugas yang tidak ramah sudah diproses?',
      'laporan saya soal pungli minggu lalu sudah ada tindak lanjut?',
    ];
    for (const text of neutral) expect(classifier.classify(text).complaint, text).toBe(false);
    expect(classifier.classify('kalau antriannya panjang, lansia bisa didahulukan?').intent).toBe('priority_service');
    expect(classifier.classify('laporan saya soal pungli minggu lalu sudah ada tindak lanjut?').intent).toBe('ticket_status');
  });
});
