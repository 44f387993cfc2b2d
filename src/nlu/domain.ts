/**
 * High-precision out-of-domain rule. Short messages about another agency's business
 * ("jadwal kapal ke alor", "perpanjang stnk") share their verbs with passport intents
 * (jadwal, perpanjang, harga), so the model alone over-trusts the verb. When a message names
 * a non-passport thing and nothing passport-related, it is out_of_scope.
 */

/** Things SAPA never handles. Matched on normalized text. */
const FOREIGN = new RegExp(
  '\\b(' +
    [
      'stnk', 'bpkb', 'sim [abc]', 'sim', 'samsat', 'pajak (motor|mobil|kendaraan)', 'npwp', 'bpjs', 'skck', 'cpns', 'pppk',
      'kapal', 'feri', 'ferry', 'pelni', 'pesawat', 'penerbangan', 'bus', 'bemo', 'angkot', 'ojek', 'hotel', 'penginapan',
      'cuaca', 'hujan', 'gempa bumi', 'emas', 'beras', 'bbm', 'bensin', 'pulsa', 'kuota internet', 'paket data', 'lagu', 'musik', 'film',
      'bola', 'resep', 'kurs', 'dolar', 'saham', 'kripto', 'pinjol', 'pinjaman', 'judi', 'togel', 'slot gacor', 'lowongan', 'loker',
      'kuliah', 'beasiswa', 'shopee', 'tokopedia promo', 'facebook', 'tiktok', 'pacar', 'jodoh', 'zakat', 'dukcapil',
      'visa (jepang|korea|schengen|amerika|australia|inggris|china|cina|taiwan|singapura|malaysia|arab|eropa)',
      'kedutaan', 'weather', 'joke', 'flight', 'flights', 'restaurant',
    ].join('|') +
    ')\\b',
);

/** Anything tying the message to passports or this office keeps it in scope. */
const PASSPORT = /\b(paspor|epaspor|mpaspor|imigrasi|kanim|kode billing|wawancara|petugas|tiket|keluhan|aduan|calo|pungli)\b/;

/** Words only passport business uses: with one of these a message is ours even if it looks odd. */
const ANCHOR = /\b(paspor|epaspor|mpaspor|imigrasi|kode billing|billing|otp|kuota|wawancara|percepatan|lansia|disabilitas|bap)\b/;

export function isForeignDomain(normalized: string): boolean {
  return FOREIGN.test(normalized) && !PASSPORT.test(normalized);
}

/** True when the message is clearly about passports or this office, so out_of_scope is unlikely. */
export function isPassportAnchored(normalized: string): boolean {
  return ANCHOR.test(normalized);
}
