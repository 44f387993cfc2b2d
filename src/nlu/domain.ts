/**
 * High-precision out-of-domain rule. Short messages about another agency's business
 * ("jadwal kapal ke alor", "perpanjang stnk") share their verbs with passport intents
 * (jadwal, perpanjang, harga), so the model alone over-trusts the verb. When a message names
 * a non-passport thing and nothing passport-related, it is out_of_scope.
 */

/** Other countries (their visas are their embassies' business), as the lexicon leaves them. */
const COUNTRIES = [
  'jepang', 'korea', 'schengen', 'amerika', 'australia', 'inggris', 'china', 'cina', 'tiongkok', 'taiwan', 'singapura',
  'malaysia', 'thailand', 'vietnam', 'filipina', 'philippines', 'hongkong', 'hong kong', 'arab', 'eropa', 'europe', 'jerman',
  'prancis', 'perancis', 'france', 'belanda', 'italia', 'italy', 'spanyol', 'spain', 'turki', 'turkey', 'kanada', 'canada',
  'selandia baru', 'new zealand', 'india', 'qatar', 'dubai', 'uae', 'timor leste', 'brunei', 'mesir', 'egypt', 'rusia', 'russia',
].join('|');

/** Things SAPA never handles. Matched on normalized text. */
const FOREIGN = new RegExp(
  '\\b(' +
    [
      'stnk', 'bpkb', 'sim [abc]', 'sim', 'samsat', 'pajak (motor|mobil|kendaraan)', 'npwp', 'bpjs', 'skck', 'cpns', 'pppk',
      'pelni',
      'cuaca', 'gempa bumi', 'emas', 'beras', 'bbm', 'bensin', 'pulsa', 'kuota internet', 'paket data', 'lagu', 'musik', 'film',
      'bola', 'resep', 'kurs', 'dolar', 'saham', 'kripto', 'pinjol', 'pinjaman', 'judi', 'togel', 'slot gacor', 'lowongan', 'loker',
      'shopee', 'tokopedia promo', 'pacar', 'jodoh', 'zakat', 'dukcapil',
      'ayat', 'alkitab', 'al quran', 'alquran', 'quran', 'injil', 'hadis', 'hadits', 'khotbah', 'renungan', 'firman tuhan', 'misa', 'kebaktian',
      'doa', 'berdoa', 'sholat', 'shalat', 'lagu rohani', 'ramalan', 'zodiak', 'horoskop', 'primbon', 'mimpi',
      'skor', 'timnas', 'liga', 'pertandingan', 'piala dunia', 'klasemen', 'sepak bola', 'sepakbola',
      'paket (umroh|umrah|haji|wisata|tour|tur|liburan|perjalanan)', 'biro (perjalanan|travel|umroh|umrah)', 'agen (travel|perjalanan)', 'open trip',
      `visa (untuk |ke |negara )?(${COUNTRIES})`, `(${COUNTRIES}) visa`,
      'kedutaan', 'embassy', 'weather', 'joke', 'jokes', 'flight', 'flights', 'restaurant',
      'tanah', 'pembeli', 'properti', 'kontrakan', 'kos', 'nyanyi', 'bernyanyi', 'menyanyi', 'nyanyikan', 'joget', 'menari', 'pantun', 'puisi', 'dongeng', 'tebak tebakan',
    ].join('|') +
    ')\\b',
);

/**
 * Words that name another topic in a short message ("jadwal kapal ke alor", "cuaca besok") but
 * are only the story in a long one ("anak saya mau kuliah di malaysia ... daftar lewat aplikasi
 * bagaimana"): they count as foreign only in short messages.
 */
const CONTEXT = /\b(kapal|feri|ferry|pesawat|penerbangan|bus|bemo|angkot|ojek|hotel|penginapan|hujan|kuliah|beasiswa|facebook|tiktok)\b/;
/** Up to this many normalized words a context word decides the topic. */
const SHORT_MESSAGE_WORDS = 10;

/**
 * Another agency's business even when the message names the immigration office: documents of
 * Dukcapil, Polri, Samsat, BPJS handled ("ktp saya hilang, urus di imigrasi juga?"), and
 * recruitment ("pendaftaran cpns imigrasi"). Only passport words themselves keep these ours.
 */
const OTHER_DOCUMENT = '(ektp|ktp|kk|akta( lahir| kematian| nikah| perkawinan| cerai)?|surat (nikah|pindah|domisili|kematian)|buku nikah|kartu identitas anak|kia|sim( [abc])?|stnk|bpkb|skck|npwp|bpjs|kis|ijazah|sertifikat tanah|kartu (prakerja|kuning|pencari kerja|bpjs|tani))';
/** Something done to the document itself: lost, made, printed, replaced, legalised. */
const DOCUMENT_DONE = '(hilang|rusak|diurus|urusnya|pengurusan|dibuat|pembuatan|dicetak|cetak ulang|diperpanjang|legalisir|dilegalisir|terbit|diterbitkan)';
const DOCUMENT_DO = '(buat|bikin|membuat|urus|mengurus|cetak|mencetak|perpanjang|memperpanjang)( ulang| baru)?';
/** The document as a passport requirement ("ijazah hilang, bisa pakai akta saja?"): ours. */
const REQUIREMENT_USE = /\b(pakai|pake|gunakan|menggunakan|ganti|pengganti|diganti|gantinya|sebagai|syarat|persyaratan|lampiran|melampirkan|lampirkan|bawa|dibawa|unggah|cukup|wajib|fotokopi|fotocopy|asli)\b/;
/** Recruitment by the ministry or anyone else: not the passport helpdesk's business. */
const RECRUITMENT = new RegExp(
  '\\b(' +
    [
      'cpns', 'pppk', 'asn', 'rekrutmen', 'lowongan', 'loker', 'seleksi (pegawai|petugas|taruna|calon)', 'penerimaan (pegawai|petugas|taruna|calon|cpns)',
      'taruna', 'poltekip', 'politeknik imigrasi', 'sekolah kedinasan', 'magang', 'jadi (pegawai|petugas|pns)( \\S+)? imigrasi',
      'kerja (di|jadi) (kantor )?imigrasi',
    ].join('|') +
    ')\\b',
);
/** Another agency's document, lost, made or printed. */
const DOCUMENT_ONLY = new RegExp(`\\b(${OTHER_DOCUMENT}( \\S+){0,3} ${DOCUMENT_DONE}|${DOCUMENT_DO} ${OTHER_DOCUMENT})\\b`);
/** Words that only passport business uses: they keep even another-agency message ours. */
const PASSPORT_STRICT = /\b(paspor|epaspor|mpaspor|passport|kode billing|billing|otp|wawancara|percepatan)\b/;

/** Anything tying the message to passports or this office keeps it in scope. */
const PASSPORT = /\b(paspor|epaspor|mpaspor|imigrasi|kanim|kode billing|wawancara|petugas|tiket|keluhan|aduan|calo|pungli)\b/;

/** Words only passport business uses: with one of these a message is ours even if it looks odd. */
const ANCHOR = /\b(paspor|epaspor|mpaspor|passport|imigrasi|kanim|kode billing|billing|otp|kuota|wawancara|percepatan|lansia|disabilitas|bap|aplikasi|aplikasinya|apk|app|apps|timeout|time out|login|log in)\b/;

/** Advertising and chain messages: not a question for the office even when they name it. */
const SPAM = /\b(promosi|promo|iklan|open order|diskon|gratis ongkir|endorse|follow (ig|instagram|akun)|klik link|dm (saja|admin|kakak|kami)|jual (pulsa|paket data|voucher|followers|akun|obat|murah)|(pulsa|voucher|followers|obat) murah)\b/;

export function isSpam(normalized: string): boolean {
  return SPAM.test(normalized);
}

export function isForeignDomain(normalized: string): boolean {
  if (!PASSPORT_STRICT.test(normalized)) {
    if (RECRUITMENT.test(normalized)) return true;
    if (DOCUMENT_ONLY.test(normalized) && !REQUIREMENT_USE.test(normalized)) return true;
  }
  if (PASSPORT.test(normalized)) return false;
  if (FOREIGN.test(normalized)) return true;
  return CONTEXT.test(normalized) && normalized.split(' ').length <= SHORT_MESSAGE_WORDS;
}

/** True when the message is clearly about passports or this office, so out_of_scope is unlikely. */
export function isPassportAnchored(normalized: string): boolean {
  return ANCHOR.test(normalized);
}
