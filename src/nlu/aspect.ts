/**
 * Which part of a topic a message asks about: "biayanya berapa?" asks the fee of whatever is
 * under discussion, "dokumennya apa saja?" its documents. Read on normalized tokens (the lexicon
 * has already turned "brp" into "berapa", "dokumen2" into "dokumen dokumen").
 *
 * Only explicit cues count; a message without one asks about the topic as a whole (null).
 * Order matters where cues overlap: "berapa lama" is time, not a fee.
 */
import type { AnswerAspect } from './types.js';

const ASPECT_CUES: readonly (readonly [AnswerAspect, RegExp])[] = [
  ['time', /\b(berapa (lama|hari|minggu|jam)|lama(nya)? (jadi|proses|selesai|pembuatan)|kapan (jadi|selesai|bisa diambil|diambil|keluar)|jadinya kapan|prosesnya berapa|how long|how many days|when (is it|will it be) ready)\b/],
  ['fee', /\b(biaya\w*|harga\w*|tarif\w*|ongkos\w*|bayar berapa|berapa (bayar|duit|uang|rupiah|ribu)|dendanya|denda|mahal|murah|cost|costs|fee|fees|price|how much)\b/],
  ['documents', /\b(dokumen\w*|syarat\w*|persyaratan\w*|berkas\w*|bawa apa|membawa apa|dibawa|perlu bawa|harus bawa|surat apa|documents?|requirements?|what (do i|should i|to) bring)\b/],
  ['steps', /\b(caranya|cara (nya|mengurus|urus|daftar|buat|bikin)|langkah\w*|prosedur\w*|alur\w*|bagaimana (mengurus|urus|cara)|gimana (urus|ngurus|caranya)|how (do i|to|can i))\b/],
  ['where', /\b(di ?mana|dimana|ke mana|kemana|tempatnya|lokasi\w*|alamat\w*|kantor mana|where)\b/],
  ['who', /\b(siapa|boleh diwakilkan|diwakilkan|diwakili|who|on my behalf)\b/],
];

/** The aspect the message asks about, or null when it names none. */
export function detectAspect(normalized: string): AnswerAspect | null {
  for (const [aspect, cue] of ASPECT_CUES) if (cue.test(normalized)) return aspect;
  return null;
}
