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
      'kapal', 'feri', 'ferry', 'pelni', 'pesawat', 'penerbangan', 'bus', 'bemo', 'angkot', 'ojek', 'hotel', 'penginapan',
      'cuaca', 'hujan', 'gempa bumi', 'emas', 'beras', 'bbm', 'bensin', 'pulsa', 'kuota internet', 'paket data', 'lagu', 'musik', 'film',
      'bola', 'resep', 'kurs', 'dolar', 'saham', 'kripto', 'pinjol', 'pinjaman', 'judi', 'togel', 'slot gacor', 'lowongan', 'loker',
      'kuliah', 'beasiswa', 'shopee', 'tokopedia promo', 'facebook', 'tiktok', 'pacar', 'jodoh', 'zakat', 'dukcapil',
      `visa (untuk |ke |negara )?(${COUNTRIES})`, `(${COUNTRIES}) visa`,
      'kedutaan', 'embassy', 'weather', 'joke', 'jokes', 'flight', 'flights', 'restaurant',
      'tanah', 'pembeli', 'properti', 'kontrakan', 'kos', 'nyanyi', 'bernyanyi', 'menyanyi', 'nyanyikan', 'joget', 'menari', 'pantun', 'puisi', 'dongeng', 'tebak tebakan',
    ].join('|') +
    ')\\b',
);

/** Anything tying the message to passports or this office keeps it in scope. */
const PASSPORT = /\b(paspor|epaspor|mpaspor|imigrasi|kanim|kode billing|wawancara|petugas|tiket|keluhan|aduan|calo|pungli)\b/;

/** Words only passport business uses: with one of these a message is ours even if it looks odd. */
const ANCHOR = /\b(paspor|epaspor|mpaspor|imigrasi|kode billing|billing|otp|kuota|wawancara|percepatan|lansia|disabilitas|bap)\b/;

/** Advertising and chain messages: not a question for the office even when they name it. */
const SPAM = /\b(promosi|promo|iklan|open order|diskon|gratis ongkir|endorse|follow (ig|instagram|akun)|klik link|dm (saja|admin|kakak|kami))\b/;

export function isSpam(normalized: string): boolean {
  return SPAM.test(normalized);
}

export function isForeignDomain(normalized: string): boolean {
  return FOREIGN.test(normalized) && !PASSPORT.test(normalized);
}

/** True when the message is clearly about passports or this office, so out_of_scope is unlikely. */
export function isPassportAnchored(normalized: string): boolean {
  return ANCHOR.test(normalized);
}
