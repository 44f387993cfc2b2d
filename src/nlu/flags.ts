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
  // (asking for one's money back, "minta uang kembali", is a refund question, not extortion)
  /\b(diminta|dimintai|minta|disuruh|suruh) (bayar|uang(?! (kembali|balik|dikembalikan|refund))|biaya|tambahan)\b/,
  /\b(harus|dipaksa|terpaksa|kena|disuruh|diminta) bayar (lebih|tambahan|di luar)\b/, /\bbayar di luar (loket|resmi|billing|kode billing)\b/, /\b(uang|biaya) tambahan\b.*\b(petugas|orang|dalam|oknum)\b/,
  /\boknum\b/, /\borang dalam\b/, /\bbribe\b/, /\bbroker\b/, /\bextortion\b/, /\bgratifikasi\b/,
  /\b(offered|menawarkan|tawarkan|tawarin|nawarin)\b.*\b\d+ ?(juta|jt|million|ribu|rb)\b/,
  // someone asks an amount outright ("tukang parkir minta 10rb", "dimintai rp 50.000")
  /\b(minta|diminta|dimintai|meminta|memungut|dipungut|tarik|menarik|ditarik|palak|dipalak|malak) (rp ?)?\d/,
  // extra money "to make it faster" is a bribe, whatever it is called
  /\b(uang|biaya|bayar|duit) (tambahan|lebih|ekstra)\b(?: \S+){0,6} (biar|supaya|agar|untuk|asal) (cepat|lancar|cepat jadi|didahulukan|duluan|dibantu)\b/,
  // someone asks for a transfer, or claims to be an officer: a scam report is an integrity report
  /\b(minta|diminta|dimintai|meminta|suruh|disuruh|menyuruh)\b(?: \S+){0,2} (transfer|tf|kirim uang|kirim duit|setor)\b/,
  /\b(mengaku|ngaku|mengaku ngaku|ngaku ngaku|mengatasnamakan) (sebagai )?(petugas|pegawai|orang|pihak|staf|staff|admin|calo)( \S+)? (imigrasi|kantor|kanim)\b/,
  // quota, slots or queue numbers for sale are brokerage
  /\b(jual|menjual|dijual|jualan|jualin|tawarkan|menawarkan|tawarin) (kuota|slot|antrian|nomor antrian|jadwal|jadwal wawancara)\b/,
];

/**
 * An integrity word that is not a new report: refused ("tidak mau pakai calo", "tanpa calo"),
 * or a reference to an earlier report ("laporan saya soal calo sudah diproses?").
 */
const INTEGRITY_NOT_REPORTED = [
  /\b(sudah|pernah|kemarin|minggu lalu|waktu itu) (\S+ ){0,2}(lapor|melapor|melaporkan|mengadu|mengadukan|komplain) (soal|tentang|mengenai|terkait|perihal) (calo|pungli|suap|oknum|broker)\b/,
  /\b(tidak|jangan|tanpa|bukan|anti|hindari|menghindari) (mau |ingin |perlu |lewat |pakai |lewat |melalui )*(calo|pungli|suap|broker|oknum)\b/,
  /\b(laporan|aduan|keluhan|pengaduan|tiket)( saya| kami| kemarin)?( yang)? (soal|tentang|mengenai|terkait|perihal) (calo|pungli|suap|oknum|broker)\b/,
];

/** Dissatisfaction and service failures, whatever the topic. */
const COMPLAINT = [
  // an explicit complaint ("saya mau komplain", "ingin mengadu", "mau protes", "I want to complain")
  // ("komplain" reaches here as "keluhan" through the lexicon; "keluhan saya" alone is a status question)
  /\b(mau|ingin|mo|pengen|hendak|akan|perlu) (\S+ )?(komplain|keluhan|mengadu|protes|menyampaikan keluhan|sampaikan keluhan)\b/,
  /\b(saya|beta|kami) (mengadu|protes|menyampaikan keluhan)\b/,
  /\b(mau|ingin|mo|pengen|hendak) (lapor|melapor|melaporkan) (petugas|oknum|pelayanan|layanan|kejadian)\b/,
  /\b(want|wish|like) to (complain|file a complaint|report (a|an|the) (officer|staff|problem))\b/,
  // feelings, judgements
  /\bkecewa/, /\bmengecewakan\b/, /\bparah\b/, /\bkesal\b/, /\bkesel\b/, /\bjengkel\b/, /\bmarah\b/, /\bmenyebalkan\b/,
  /\bnyebelin\b/, /\bsebel\b/, /\bsebal\b/, /\bpayah\b/, /\bburuk\b/, /\bjelek\b/, /\bkacau\b/, /\bberantakan\b/, /\bamburadul\b/,
  /\bcapek\b/, /\bcape\b/, /\blelah (sekali|saya|kami)\b/, /\bpusing\b/, /\bribet\b/, /\bmuak\b/, /\bstres\b/, /\bstress\b/, /\bfrustasi\b/, /\bfrustrasi\b/,
  /\bsakit hati\b/, /\bgeram\b/, /\bemosi\b/, /\bya ampun\b/, /\bbuat susah\b/, /\bmenyusahkan\b/, /\bbertele (ber)?tele\b/, /\bberbelit (ber)?belit\b/, /\btidak masuk akal\b/,
  /\bmain main\b/, /\bdipermainkan\b/, /\bkok (begini|begitu|gini|gitu)\b/, /\bapa apaan\b/,
  /\bterlalu mahal\b/, /\bmahal (sekali|betul|amat)\b/, /\bkemahalan\b/, /\bmencekik\b/, /\bkasihan (orang|rakyat|kami)\b/,
  // slowness, waiting
  /\blambat sekali\b/, /\b(pelayanan|layanan|petugas|antrian|sistem|proses) lambat\b/, /\blama (sekali|betul|amat)\b/, /\bterlalu lama\b/, /\bkelamaan\b/,
  // "berjam-jam"; chat's "berjam2" reaches here as "berjam berjam"
  /\bber(jam|hari|minggu|bulan) (ber)?\1\b/,
  /\b(tunggu|menunggu|antri|antre|mengantri) (sampai |selama |sudah )?\d+ jam\b/, /\b(cuma|hanya) (\d+|se) loket\b/,
  /\b(sudah|lebih dari) \d+ (jam|hari|minggu|bulan)\b/, /\b\d+ (jam|hari|minggu|bulan) (tidak|belum)\b/,
  /\b(tunggu|menunggu|antri|antre|mengantri|duduk|berdiri|datang|di sini|disini|di kantor)\b(?: \S+){0,4} (dari|sejak) (pagi|subuh|kemarin)\b/,
  /\b(dari|sejak) (pagi|subuh)\b(?: \S+){0,4} (tunggu|menunggu|antri|antre|mengantri|duduk|berdiri|belum dipanggil|tidak dipanggil|belum dilayani|tidak dilayani)\b/,
  /\b(dari|sejak) (minggu lalu|bulan lalu)\b/,
  // people and conduct
  /\btidak (sopan|ramah|profesional|becus|ada kejelasan|jelas|adil|pantas|manusiawi|dilayani|dipanggil|ditanggapi|direspon|direspons|dibalas|dipedulikan|digubris|nyambung|membantu)\b/,
  /\bbelum (dilayani|dipanggil|ditanggapi|direspon|dibalas)\b/,
  /\btidak ada (yang|orang) (atur|mengatur|urus|layani|melayani|peduli|bantu|membantu|jawab|menjawab|respon|balas)\b/,
  /\btidak mau (bantu|membantu|layani|melayani|dengar|mendengar|jelaskan|menjelaskan)\b/,
  /\btidak ada (pengumuman|pemberitahuan|kejelasan)\b/,
  // an unstaffed counter while people wait
  /\b(loket|meja)( \d+)? kosong\b/, /\btidak ada (petugas|pegawai)\b(?: \S+){0,3} (dari|sejak) (tadi|pagi|siang)\b/,
  /\bkasar\b/, /\bcuek\b/, /\bjutek\b/, /\bjudes\b/, /\bsombong\b/, /\b(di|mem)?bentak\b/, /\bdimarahi\b/,
  /\bdisuruh pulang\b/, /\btanpa (penjelasan|alasan|pemberitahuan|kejelasan|informasi|kabar)\b/,
  /\bdiabaikan\b/, /\bdicuekin\b/, /\bdipersulit\b/, /\bmempersulit\b/, /\bdilempar lempar\b/, /\bdioper\b/, /\bdipingpong\b/,
  /\bdilompati\b/, /\bdiserobot\b/, /\bserobot\b/, /\bpilih kasih\b/, /\bseenaknya\b/, /\bsemena mena\b/, /\bmain ponsel\b/,
  // queue order broken: someone's turn skipped, acquaintances served first, numbers out of order
  /\b(nomor|antrian|antrean|giliran|kami|saya|beta|kita)\b(?: \S+){0,3} (dilewati|dilewatin|dilangkahi|dilangkahin)\b/,
  /\b(kenalan|kenalannya|keluarganya|temannya|kerabatnya)\b(?: \S+){0,3} (duluan|didahulukan)\b/,
  /\b(dipanggil|panggilan|antrian|antrean|nomor antrian)\b(?: \S+){0,3} tidak (urut|berurutan|sesuai urutan|sesuai nomor)\b/,
  /\b(bot|kamu|jawaban)\b.*\b(tidak (mengerti|paham|nyambung|membantu)|muter muter|berputar putar|bodoh)\b/,
  /\bjawaban(nya)?\b(?: \S+){0,2} salah\b/,
  // asking for a fix
  /\b(tolong|mohon) (diperbaiki|dibenahi|ditindak|ditindaklanjuti|dievaluasi|diperhatikan|perbaiki|dibersihkan)\b/, /\bperbaiki (pelayanan|sistem|layanan)\b/,
  /\bpelayanan (apa|macam apa|seperti apa) ini\b/, /\b(pelayanan|layanan) (buruk|jelek|lambat|parah)\b/,
  /\bantri(an)? (lama|panjang|mengular)\b/, /\b(menunggu|tunggu) lama\b/,
  // facilities
  /\btidak ada tempat duduk\b/, /\b(tempat duduk|kursi)( tunggu)? (kurang|tidak cukup|rusak)\b/, /\bac (mati|rusak|tidak (dingin|jalan|menyala|nyala))\b/,
  /\b(toilet|kamar mandi) (kotor|rusak|bau|jorok|mampet|tidak ada air)\b/, /\btidak ada air\b/, /\bair (mati|tidak (ada|jalan|mengalir))\b/,
  /\bkotor\b/, /\bjorok\b/, /\bpanas sekali\b/, /\bsumpek\b/, /\bpengap\b/,
  /\bpercuma\b/, /\bsia sia\b/, /\brugi\b/, /\bbohong\b/, /\bpenipuan\b/, /\bditipu\b/, /\bsampai kapan\b/, /\bkapan (diperbaiki|beres)\b/,
  /\btidak benar\b/, /\bketerlaluan\b/, /\buang (saya |kami )?(hilang|ke mana|kemana)\b/,
  /\b(itu|ini) (resmi|legal)\b/, /\b(that|this|it) legal\b/,
  // impersonation and fraud reports
  /\b(akun|nomor|situs|website|web|halaman|page|grup|orang)\b(?: \S+){0,4} (palsu|bodong|abal abal|tiruan|mengatasnamakan)\b/,
  /\b(mengaku|ngaku|mengaku ngaku|ngaku ngaku|mengatasnamakan|atas nama) (sebagai )?(petugas|pegawai|orang|pihak|staf|staff|admin|kantor|imigrasi)\b/,
  /\bpenipu\b/, /\bmenipu\b/, /\btipu\b/, /\bscam\b/, /\bfraud\b/,
  // English
  /\bdisappoint(ed|ing)\b/, /\bterrible\b/, /\bawful\b/, /\bhorrible\b/, /\brude\b/, /\bunacceptable\b/, /\bworst\b/, /\bripped off\b/,
  /\bmakes no sense\b/, /\b(nobody|no one)\b(?: \S+){0,2} (replied|answered|responded|replies|answers|responds|helped|helps|cares|picks up)\b/,
  /\bridiculous\b/, /\bfed up\b/, /\bstill (tidak|belum|not|no)\b/, /\buseless\b/, /\bannoy/, /\bfrustrat/, /\bangry\b/, /\bupset\b/,
  /\bwaste of time\b/, /\bnot helpful\b/, /\bunprofessional\b/, /\bfix (this|it|the)\b/,
];

/** Wrongly printed or recorded personal data: the complaint intent, whatever document it names. */
const WRONG_DATA = [
  /\b(nama|tanggal lahir|tempat lahir|jenis kelamin|data|ejaan|nik|gelar|marga|foto)\b(?: \S+){0,6} (salah|keliru|terbalik|tertukar)\b(?! (password|kata sandi|kode|otp|nominal|jumlah|transfer))/,
  /\b(salah|keliru) (cetak|ketik|tulis|tertulis|input|dicetak|eja)\b/, /\btertulis (salah|keliru)\b/,
  // a printed photo that came out badly (an upload's unclear photo is not this)
  /\b(foto|gambar)\b(?: \S+){0,2} (di|pada|dalam) (paspor|epaspor)\b(?: \S+){0,3} (buram|blur|kabur|gelap|pecah)\b/,
  /\b(nama|tanggal lahir|tempat lahir|jenis kelamin|data)\b(?: \S+){0,3} (di|dalam) (paspor|epaspor)\b(?: \S+){0,3} tidak sesuai\b/,
];

/**
 * Spans that look like complaint cues but are not a complaint: a hypothetical queue ("kalau
 * antrinya panjang"), one's own typing mistake ("apa saya salah ketik email"), a photo that is
 * not sharp, and a reference to an earlier report in a status question ("laporan saya tentang
 * petugas yang kasar, bagaimana kelanjutannya").
 */
const NEUTRAL_SPANS = [
  /\b(kalau|jika|apabila|bila|seandainya|andaikan|misalnya|takutnya|biasanya|katanya|if)\b(?: \S+){0,2} (antri|antrian|antre|antrean|menunggu|tunggu|waiting|queue)\b(?: \S+)? (lama|panjang|mengular|berjam jam|long)\b/g,
  /\b(saya|beta|aku|kami|sendiri)( yang)? (salah|keliru) (ketik|tulis|input|isi|masukkan|memasukkan|pilih|klik|ketikkan)\b/g,
  /\b(foto|gambar|scan|hasil scan|file|dokumen|berkas|tulisan|fotonya)\b(?: \S+){0,4} (tidak|kurang) (jelas|terbaca|fokus)\b/g,
  // a deadline question ("batas reschedule sampai kapan"), not "how long must we wait"
  /\b(batas|batasnya|tenggat|deadline|berlaku|dibuka|buka)\b(?: \S+){0,3} sampai kapan\b/g,
  // a negated judgement is praise ("tidak ribet", "ga lama", "tanpa kecewa")
  /\b(tidak|bukan|tanpa|nggak|gak) (ribet|rumit|lambat|lama|susah|sulit|kecewa|mengecewakan|menyusahkan|bertele tele|berbelit belit|jelek|buruk|parah|kacau|payah|pusing)\b/g,
];
/** A status question about an earlier report: its subject is not a new complaint. */
const FOLLOW_UP = /\b(kelanjutan|tindak lanjut|ditindaklanjuti|diproses|sampai mana|kabar|update|ditanggapi|direspon|follow up|status|bagaimana hasil)\b/;
const REPORT_REFERENCE =
  /\b(laporan|aduan|keluhan|pengaduan|lapor|melapor|melaporkan|mengadu|mengadukan|komplain)\b(?: (saya|kami|beta|sudah|yang|kemarin|dulu|minggu lalu))* (soal|tentang|mengenai|terkait|perihal)\b(?: \S+){1,6}/g;

function neutralized(text: string): string {
  let out = text;
  for (const span of NEUTRAL_SPANS) out = out.replace(span, ' ');
  if (FOLLOW_UP.test(out)) out = out.replace(REPORT_REFERENCE, ' ');
  return out;
}

/** A failure that persists: counted attempts, days of waiting, every day. */
const PERSISTENT = [
  /\bberkali kali\b/, /\b\d+ ?(x|kali)\b/, /\b(dari|sejak) (awal|kemarin|minggu lalu|bulan lalu)\b/,
  /\b(tiap|setiap) (hari|pagi|malam)\b/, /\bterus (terusan|menerus)\b/, /\b(seminggu|sebulan) lebih\b/,
  /\b(sudah|lebih dari) (seminggu|sebulan|dua minggu|berhari hari)\b/,
];
const FAILURE = /\b(tidak (bisa|masuk|ada|pernah|jadi|muncul|terkirim|berhasil|berubah)|belum (masuk|jadi|ada|lunas|berubah|diproses|selesai|terkirim)|gagal|error|penuh|kosong)\b/;

/** Shouting: "!!!", or a sentence in capitals. Read on the raw text (case kept). */
const EXCLAMATIONS = /[!?]{2,}|!\s*!/;
const NEGATIVE = /\b(tidak|belum|gagal|error|salah|lama|penuh|hilang|rusak|kapan|kenapa|mana)\b/;

function shouting(raw: string): boolean {
  if (EXCLAMATIONS.test(raw)) return true;
  const letters = raw.replace(/[^\p{L}]/gu, '');
  if (letters.length < 12) return false;
  const upper = letters.replace(/[^\p{Lu}]/gu, '').length;
  return upper / letters.length >= 0.8;
}

/** Number words read as numbers, so "sudah dua minggu" matches like "sudah 2 minggu". */
const NUMBER_WORDS = /\b(satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|beberapa|belasan|puluhan)\b/g;
const PRIORITY = [
  /\blansia\b/, /\bjompo\b/, /\bnenek\b/, /\bkakek\b/, /\bsudah tua\b/, /\bsepuh\b/, /\blanjut usia\b/,
  /\bdisabilitas\b/, /\bdisabled\b/, /\bpenyandang\b/, /\bkursi roda\b/, /\bwheelchair\b/, /\btuna (netra|rungu|wicara|daksa|grahita)\b/,
  /\bbuta\b/, /\btuli\b/, /\blumpuh\b/, /\bstroke\b/, /\bautis/, /\bberkebutuhan khusus\b/, /\btidak bisa (jalan|berjalan)\b/,
  /\bhamil\b/, /\bpregnant\b/, /\bbayi\b/, /\bbalita\b/, /\binfant\b/, /\btoddler\b/, /\bnewborn\b/,
  // the sick are a priority group; "sakit hati", "sakit kepala" of a rant ("sampai sakit kepala") are feelings
  /(?<!sampai |bikin |buat |jadi )\bsakit(?! hati| kepala| jiwa)\b/, /\bopname\b/, /\bdirawat\b/, /\belderly\b/,
];

const AGE = /\b(?:usia|umur|berusia|berumur|usianya|umurnya)\s+(\d{2,3})\b/;

/** "#12", "T-31", "tiket 12", "tiket nomor 12", "laporan no. 7", "ticket #5". */
const TICKET_PATTERNS = [
  /(?:^|[^\p{L}\p{N}&])#\s?(\d{1,9})\b/u,
  /\b(?:tiket|ticket|tkt|aduan|pengaduan|laporan|keluhan|komplain|complaint|report)\s*(?:no\.?|nomor|nomer|nmr|number|num|nr)?\s*[:.]?\s*#?\s*(?:t\s?-?\s?)?(\d{1,9})\b/u,
  /\bt-(\d{1,9})\b/u,
];

/** One alternation per list: a single scan is several times faster than a hundred `test` calls. */
function anyOf(patterns: readonly RegExp[]): RegExp {
  return new RegExp(patterns.map((pattern) => `(?:${pattern.source})`).join('|'));
}
const INTEGRITY_ANY = anyOf(INTEGRITY);
const INTEGRITY_NOT_REPORTED_ALL = new RegExp(anyOf(INTEGRITY_NOT_REPORTED).source, 'g');
const COMPLAINT_ANY = anyOf(COMPLAINT);
const WRONG_DATA_ANY = anyOf(WRONG_DATA);
const PERSISTENT_ANY = anyOf(PERSISTENT);
const PRIORITY_ANY = anyOf(PRIORITY);

export interface MessageFlags {
  readonly complaint: boolean;
  readonly integrity: boolean;
  readonly priorityGroup: boolean;
}

/** Money handed over outside the system ("kasih 500 ribu lagi", "setor uang"), read with a reason below. */
const MONEY_HANDOVER = /\b(kasih|kasi|beri|berikan|memberi|setor|titip|tambah|tambahkan|transfer)\b(?: \S+){0,2} (uang|amplop|duit|rp ?\d|\d[\d.,]* ?(ribu|rb|juta|jt|k)\b|\d[\d.,]*(rb|jt|k)\b)/;
/** ...to be faster or served first, or on top of the fee already paid: a bribe request. */
const BRIBE_REASON = /\b(cepat|lebih cepat|duluan|didahulukan|lancar|dibantu|diloloskan|padahal (saya |kami )?sudah (bayar|lunas|membayar))\b/;

/** Money sent by transfer ("transfer 500k", "tf 750 ribu", "kirim uang")... */
const TRANSFER = /\b(transfer|tf|transferan|kirim uang|kirim duit|send money|wire)\b/;
/** ...to get what only M-Paspor and the billing code give: a scam (SE of the Directorate General, facts §9). */
const WHAT_SCAMS_SELL = /\b(kuota|quota|slot|jadwal|antrian|nomor antrian|paspor|passport|cepat jadi|langsung jadi)\b/;
/** Paying the billing code (by bank transfer, m-banking, ATM) is the official way, not a scam. */
const OFFICIAL_PAYMENT = /\b(kode billing|billing|id billing|kode bayar|pnbp|m banking|mbanking|internet banking|atm|teller)\b/;
/** A page or account offering passports or quota: not an official channel. */
const FAKE_OFFER =
  /\b(page|halaman|akun|account|fb|facebook|ig|instagram|tiktok|website|situs|web|grup|group)\b(?: \S+){0,8} (offering|offers|menawarkan|tawarkan|tawarin|nawarin|jual|menjual|jualan|buka jasa|jasa)\b(?: \S+){0,3} (paspor|passport|passports|kuota|quota|slot)\b/;

function integrityOf(text: string): boolean {
  if (MONEY_HANDOVER.test(text) && BRIBE_REASON.test(text) && !/\b(percepatan|layanan percepatan)\b/.test(text)) return true;
  if ((TRANSFER.test(text) && WHAT_SCAMS_SELL.test(text) && !OFFICIAL_PAYMENT.test(text)) || FAKE_OFFER.test(text)) return true;
  if (!INTEGRITY_ANY.test(text)) return false;
  // "tidak mau pakai calo": the word is there, the report is not (unless another cue is).
  return INTEGRITY_ANY.test(text.replace(INTEGRITY_NOT_REPORTED_ALL, ' '));
}

export function detectIntegrity(normalized: string): boolean {
  return integrityOf(normalized.replace(NUMBER_WORDS, '9'));
}

/** Wrongly printed or recorded personal data ("nama di paspor salah cetak"). */
export function detectWrongData(normalized: string): boolean {
  return WRONG_DATA_ANY.test(normalized);
}

export interface ComplaintFlags {
  readonly complaint: boolean;
  readonly integrity: boolean;
  readonly wrongData: boolean;
}

/** Complaint, integrity and wrong-data cues in one pass (the classifier needs all three). */
export function detectComplaintFlags(normalized: string, raw?: string): ComplaintFlags {
  const text = neutralized(normalized.replace(NUMBER_WORDS, '9'));
  const integrity = integrityOf(text);
  const wrongData = WRONG_DATA_ANY.test(text);
  const complaint =
    integrity ||
    wrongData ||
    COMPLAINT_ANY.test(text) ||
    (FAILURE.test(text) && PERSISTENT_ANY.test(text)) ||
    (raw !== undefined && NEGATIVE.test(text) && shouting(raw));
  return { complaint, integrity, wrongData };
}

/**
 * Complaint cues; integrity reports count as complaints too. `raw` (the message as typed,
 * case kept) adds shouting: "!!!" or capitals together with a failure word.
 */
export function detectComplaint(normalized: string, raw?: string): boolean {
  return detectComplaintFlags(normalized, raw).complaint;
}

/**
 * The text without the spans that look like grievances but are not: negated judgements ("tidak
 * ribet"), hypothetical queues, one's own typing mistakes, refused brokers ("tidak mau pakai
 * calo"). What is left is where a problem, if any, is stated.
 */
export function withoutNeutralSpans(normalized: string): string {
  return neutralized(normalized).replace(INTEGRITY_NOT_REPORTED_ALL, ' ');
}

export function detectPriorityGroup(normalized: string): boolean {
  if (PRIORITY_ANY.test(normalized)) return true;
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
