/**
 * Which part of a topic a message asks about: "biayanya berapa?" asks the fee of whatever is
 * under discussion, "dokumennya apa saja?" its documents. Read on normalized tokens (the lexicon
 * has already turned "brp" into "berapa", "dokumen2" into "dokumen dokumen").
 *
 * Only explicit cues count; a message without one asks about the topic as a whole (null).
 * Order matters where cues overlap: "berapa lama" is time, not a fee. Words are looked up in
 * sets (a regex per aspect over the whole text cost more than the rest of classifying).
 */
import type { AnswerAspect } from './types.js';

/** Single words that name an aspect, with their -nya forms. */
const WORDS: ReadonlyMap<string, AnswerAspect> = new Map([
  ...words('fee', 'biaya biayanya harga harganya tarif tarifnya ongkos ongkosnya denda dendanya mahal murah cost costs fee fees price'),
  ...words('documents', 'dokumen dokumennya syarat syaratnya persyaratan persyaratannya berkas berkasnya document documents requirement requirements'),
  ...words('steps', 'caranya langkah langkahnya prosedur prosedurnya alur alurnya'),
  ...words('where', 'dimana kemana tempatnya lokasi lokasinya alamat alamatnya where'),
  ...words('who', 'siapa diwakilkan diwakili who'),
]);

/** Two-word cues, checked before single words ("berapa lama" is time even though "berapa" asks a fee). */
const PAIRS: ReadonlyMap<string, AnswerAspect> = new Map([
  ...pairs('time', ['berapa lama', 'berapa hari', 'berapa minggu', 'berapa jam', 'lama jadi', 'lamanya jadi', 'kapan jadi', 'kapan selesai', 'kapan diambil', 'kapan keluar', 'jadinya kapan', 'how long', 'how many']),
  ...pairs('fee', ['bayar berapa', 'berapa bayar', 'berapa duit', 'berapa uang', 'berapa rupiah', 'how much']),
  ...pairs('documents', ['bawa apa', 'membawa apa', 'perlu bawa', 'harus bawa', 'surat apa', 'to bring']),
  ...pairs('steps', ['cara mengurus', 'cara urus', 'cara daftar', 'cara buat', 'cara bikin', 'bagaimana mengurus', 'bagaimana cara', 'gimana caranya', 'how do', 'how to', 'how can']),
  ...pairs('where', ['di mana', 'ke mana', 'kantor mana']),
  ...pairs('who', ['on my', 'boleh diwakilkan']),
]);

function words(aspect: AnswerAspect, list: string): [string, AnswerAspect][] {
  return list.split(' ').map((word) => [word, aspect]);
}

function pairs(aspect: AnswerAspect, list: readonly string[]): [string, AnswerAspect][] {
  return list.map((pair) => [pair, aspect]);
}

/** The aspect the message asks about, or null when it names none. Time wins over the others. */
export function detectAspect(normalized: string): AnswerAspect | null {
  const tokens = normalized.split(' ');
  let found: AnswerAspect | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const pair = i + 1 < tokens.length ? PAIRS.get(`${tokens[i]} ${tokens[i + 1]}`) : undefined;
    if (pair === 'time') return 'time';
    found ??= pair ?? WORDS.get(tokens[i]!) ?? null;
  }
  return found;
}
