/**
 * Flags read from a message independently of its intent: complaint (dissatisfaction or a
 * reported service failure), integrity (brokers, illegal fees, bribes), priority group
 * (elderly, disabled, pregnant, infants, sick) and a mentioned ticket number.
 * They run on normalized text, so "sonde dilayani" already reads "tidak dilayani".
 */

/** Integrity reports: always high priority, and always a complaint. */
const INTEGRITY = [
  /\bcalo\b/, /\bpercaloan\b/, /\bpungli\b/, /\bpungutan\b/, /\bsuap\b/, /\bdisuap\b/, /\bmenyuap\b/,
  /\bsogok/, /\bdisogok/, /\bpelicin\b/, /\buang (rokok|kopi|jalan|lelah|terima kasih)\b/,
  /\b(diminta|dimintai|minta|disuruh|suruh) (bayar|uang|biaya|tambahan)\b/,
  /\bbayar (lebih|tambahan|di luar)\b/, /\b(uang|biaya) tambahan\b.*\b(petugas|orang|dalam|oknum)\b/,
  /\boknum\b/, /\borang dalam\b/, /\bbribe\b/, /\bbroker\b/, /\bextortion\b/, /\bgratifikasi\b/,
];

/** Dissatisfaction and service failures, whatever the topic. */
const COMPLAINT = [
  /\bkecewa/, /\bmengecewakan\b/, /\bparah\b/, /\bkesal\b/, /\bjengkel\b/, /\bmarah\b/, /\bmenyebalkan\b/,
  /\bnyebelin\b/, /\bpayah\b/, /\bburuk\b/, /\bjelek\b/, /\bkacau\b/, /\bberantakan\b/, /\bamburadul\b/,
  /\blambat sekali\b/, /\b(pelayanan|layanan|petugas|antrian) lambat\b/, /\blama (sekali|betul|amat)\b/, /\bterlalu lama\b/, /\bkelamaan\b/,
  /\bberjam jam\b/, /\bberhari hari\b/, /\bberminggu minggu\b/, /\bberbulan bulan\b/,
  /\bsudah \d+ (jam|hari|minggu|bulan)\b/, /\b\d+ (jam|hari|minggu|bulan) (tidak|belum)\b/,
  /\bdari (pagi|subuh|kemarin|minggu lalu|bulan lalu)\b/, /\bsejak (pagi|kemarin|minggu lalu|bulan lalu)\b/,
  /\btidak (sopan|ramah|profesional|becus|ada kejelasan|dilayani|dipanggil|ditanggapi|direspon|direspons|dibalas|dipedulikan|digubris)\b/,
  /\bbelum (dilayani|dipanggil|ditanggapi|direspon|dibalas)\b/,
  /\bkasar\b/, /\bcuek\b/, /\bjutek\b/, /\bjudes\b/, /\bsombong\b/, /\bdibentak\b/, /\bdimarahi\b/, /\bmembentak\b/,
  /\bdiabaikan\b/, /\bdicuekin\b/, /\bdipersulit\b/, /\bmempersulit\b/, /\bdilempar lempar\b/, /\bdioper\b/,
  /\btolong (diperbaiki|dibenahi|ditindak|ditindaklanjuti|dievaluasi|diperhatikan)\b/, /\bperbaiki (pelayanan|sistem|layanan)\b/,
  /\bpelayanan (apa|macam apa|seperti apa) ini\b/, /\b(pelayanan|layanan) (buruk|jelek|lambat|parah)\b/,
  /\bantri(an)? (lama|panjang|mengular)\b/, /\b(menunggu|tunggu) lama\b/, /\bsalah (cetak|ketik|tulis)\b/,
  /\bdata (saya )?salah\b/, /\bnama (saya )?salah\b/, /\btidak ada tempat duduk\b/, /\bac (mati|rusak)\b/,
  /\btoilet (kotor|rusak|bau)\b/, /\bpanas sekali\b/, /\bsumpek\b/, /\bpercuma\b/, /\bsia sia\b/, /\brugi\b/,
  /\bbohong\b/, /\bpenipuan\b/, /\bditipu\b/, /\bsampai kapan\b/, /\bkapan (diperbaiki|beres)\b/, /\btidak benar\b/, /\bketerlaluan\b/,
  /\bdisappointed\b/, /\bterrible\b/, /\bawful\b/, /\brude\b/, /\bunacceptable\b/, /\bworst\b/, /\bripped off\b/,
];

const PRIORITY = [
  /\blansia\b/, /\bjompo\b/, /\bnenek\b/, /\bkakek\b/, /\bsudah tua\b/, /\bsepuh\b/, /\blanjut usia\b/,
  /\bdisabilitas\b/, /\bdisabled\b/, /\bpenyandang\b/, /\bkursi roda\b/, /\bwheelchair\b/, /\btuna (netra|rungu|wicara|daksa|grahita)\b/,
  /\bbuta\b/, /\btuli\b/, /\blumpuh\b/, /\bstroke\b/, /\bautis/, /\bberkebutuhan khusus\b/, /\btidak bisa (jalan|berjalan)\b/,
  /\bhamil\b/, /\bpregnant\b/, /\bbayi\b/, /\bbalita\b/, /\binfant\b/, /\btoddler\b/, /\bnewborn\b/,
  /\bsakit(?! hati)\b/, /\bopname\b/, /\bdirawat\b/, /\belderly\b/,
];

const AGE = /\b(?:usia|umur|berusia|berumur|usianya|umurnya)\s+(\d{2,3})\b/;

/** "#12", "T-31", "tiket 12", "tiket nomor 12", "laporan no. 7", "ticket #5". */
const TICKET_PATTERNS = [
  /(?:^|[^\p{L}\p{N}&])#\s?(\d{1,9})\b/u,
  /\b(?:tiket|ticket|tkt|aduan|pengaduan|laporan|keluhan|komplain|complaint|report)\s*(?:no\.?|nomor|nomer|nmr|number|num|nr)?\s*[:.]?\s*#?\s*(?:t\s?-?\s?)?(\d{1,9})\b/u,
  /\bt-(\d{1,9})\b/u,
];

export interface MessageFlags {
  readonly complaint: boolean;
  readonly integrity: boolean;
  readonly priorityGroup: boolean;
}

export function detectIntegrity(normalized: string): boolean {
  return INTEGRITY.some((pattern) => pattern.test(normalized));
}

/** Complaint cues; integrity reports count as complaints too. */
export function detectComplaint(normalized: string): boolean {
  return COMPLAINT.some((pattern) => pattern.test(normalized)) || detectIntegrity(normalized);
}

export function detectPriorityGroup(normalized: string): boolean {
  if (PRIORITY.some((pattern) => pattern.test(normalized))) return true;
  const age = AGE.exec(normalized);
  return age?.[1] !== undefined && Number(age[1]) >= 60 && Number(age[1]) < 130;
}

/** The ticket number a message mentions; reads lowercase cleaned text (before the lexicon). */
export function extractTicketNumber(cleaned: string): number | undefined {
  for (const pattern of TICKET_PATTERNS) {
    const match = pattern.exec(cleaned);
    if (match?.[1] !== undefined) {
      const value = Number(match[1]);
      if (Number.isSafeInteger(value) && value > 0) return value;
    }
  }
  return undefined;
}
