/**
 * What the router reads in a message besides its intent: the applicant's case (child,
 * lost, abroad, ...), a follow-up that only makes sense in context ("terus?"), a vague
 * opener ("saya bingung"), self-help that did not work ("masih sama"), a scam report, and
 * whether the applicant belongs to a priority group.
 *
 * Each cue is tested on two forms of the message: the classifier's normalized text
 * (standard Indonesian: "beta pung ana" -> "saya punya anak", "su coba" -> "sudah coba")
 * and the lower-cased original (English: the lexicon reads "son" as Kupang "sonde").
 */
import type { CaseFacts, Situation, Who } from './dialogue.js';

export interface MessageForms {
  /** The classifier's normalization: lowercase standard Indonesian words. */
  readonly normalized: string;
  /** The original, lower-cased, punctuation kept. */
  readonly lower: string;
}

/** One regular expression for a list of cues: one scan of each form instead of one per cue. */
function anyOf(patterns: readonly RegExp[]): RegExp {
  return new RegExp(patterns.map((pattern) => `(?:${pattern.source})`).join('|'), 'u');
}

const test = (cue: RegExp, forms: MessageForms): boolean => cue.test(forms.normalized) || (forms.lower !== forms.normalized && cue.test(forms.lower));

const CHILD = anyOf([
  /\b(anak|anaknya|bayi|balita|putra|putri|cucu)\b/,
  /\b(my|our|for (my|our)) (son|daughter|child|kid|kids|children|baby|toddler|grandchild)\b/,
  /\b(child|children|kid|kids|baby|infant|minor|under 17)\b/,
  /\b(di ?bawah|belum) 17 tahun\b/,
]);
const ELDERLY = anyOf([
  /\b(lansia|lanjut usia|kakek|nenek|manula|opa|oma)\b/,
  /\b(usia|umur|berumur|berusia) ([6-9]\d|1[01]\d)\b/,
  // "bapak saya sudah 65", "mama su 70 tahun"
  /\b(bapak|bapa|ayah|papa|mama|mamak|ibu|mertua|orang tua|ortu)( saya| kami)? (sudah |su |udah )?([6-9]\d|1[01]\d)( tahun| thn)?\b/,
  /\b(elderly|senior citizen|grandmother|grandfather|grandma|grandpa|aged ([6-9]\d))\b/,
  // "sa pung bapa su tua", "ibu saya sudah tua", "my old father"
  /\b(sudah|su|udah|so) (tua|sepuh|uzur)\b/,
  /\bmy (old|elderly|aged) (mother|father|mom|mum|dad|parents?)\b/,
]);
const ADULT = anyOf([
  /\b(dewasa|sudah menikah|adult|grown up|myself|married)\b/,
  /\b(saya|beta|aku|sa) sendiri\b/,
  // Married: the 10-year passport whatever the age. Not the marriage book or certificate (a document).
  /(?<!\b(buku|surat|akta) )\b(menikah|nikah|kawin)\b/,
]);

/**
 * An age stated for the person the passport is for: "umur 8", "usia 70 tahun", "he's 10",
 * "my mother is 75", "12 years old". Only with a word that makes the number an age: a bare
 * "5 tahun" is the passport's validity.
 */
const AGE = anyOf([
  /\b(?:umur|usia|umurnya|usianya|berumur|berusia|aged|age) (\d{1,3})\b/,
  /\b(\d{1,3}) ?(?:years? old|yrs? old|y\/o|yo)\b/,
  /\b(?:he|she|son|daughter|mother|father|mom|mum|dad|wife|husband|grandmother|grandfather|grandma|grandpa|brother|sister)(?: is|'s|\u2019s) (\d{1,3})\b/,
  /\b(?:anak|bapak|bapa|ayah|papa|mama|mamak|ibu|nenek|kakek|adik|kakak|istri|suami|mertua)(?: saya| beta| kami| sa)? (?:sudah |su |udah |baru )?(\d{1,3}) (?:tahun|thn|th|taun)\b/,
]);
/** Below this age the child's passport rules apply; from `ELDERLY_AGE` the priority service. */
const ADULT_AGE = 17;
const ELDERLY_AGE = 60;

function statedAge(forms: MessageForms): number | undefined {
  for (const text of forms.lower === forms.normalized ? [forms.normalized] : [forms.normalized, forms.lower]) {
    const match = AGE.exec(text);
    const digits = match?.slice(1).find((group) => group !== undefined);
    if (digits !== undefined) {
      const age = Number(digits);
      // 0 or over 120 is no age (a count, a year, a typo).
      if (age > 0 && age <= 120) return age;
    }
  }
  return undefined;
}

function whoByAge(age: number): Who {
  if (age < ADULT_AGE) return 'child';
  return age >= ELDERLY_AGE ? 'elderly' : 'adult';
}

const ABROAD = anyOf([
  /\b(luar negeri|luar negri|mancanegara|di negara lain|kbri|kjri|perwakilan ri)\b/,
  /\b(di|in|at) (malaysia|singapura|singapore|hong ?kong|taiwan|arab|arab saudi|saudi|mekkah|makkah|madinah|jeddah|jedah|riyadh|jepang|japan|tokyo|osaka|korea|seoul|australia|darwin|perth|sydney|melbourne|brisbane|timor leste|dili|brunei|thailand|bangkok|filipina|philippines|manila|china|tiongkok|amerika|usa|eropa|europe|belanda|netherlands|jerman|germany|inggris|london|uni emirat arab|dubai|abu dhabi|qatar|doha|kuwait|turki|turkey|istanbul|kuala lumpur|johor|sabah|sarawak|tawau|kota kinabalu|penang|taipei|new zealand|selandia baru)\b/,
  /\b(abroad|overseas|embassy|consulate)\b/,
]);
/** A passport kept by an employer or agent abroad: the mission (KBRI/KJRI) helps, as for a lost one. */
const HELD_BY_EMPLOYER = anyOf([
  /\b(ditahan|dipegang|disita|diambil) (oleh )?(majikan|agen|bos|perusahaan)\b/,
  /\b(held|kept|taken) by (my )?(employer|agent|boss)\b/,
]);
const LOST = anyOf([
  /\b(hilang|ilang|kehilangan|dicuri|kecurian|tercecer|dicopet|kecopetan|raib)\b/,
  /\b(lost|stolen|missing|misplaced)\b/,
]);
const DAMAGED = anyOf([
  /\b(rusak|basah|sobek|robek|terbakar|terlipat|tercoret|dicoret|kena air|kena banjir|berjamur|terkelupas|lecek|koyak)\b/,
  /\b(damaged|torn|wet|burnt|burned|ripped|water damage)\b/,
]);
const DATA_CHANGE = anyOf([
  /\b(ganti|ubah|mengganti|mengubah|perubahan|pergantian|penggantian|koreksi|perbaikan|memperbaiki|membetulkan) (nama|data|tanggal lahir|tempat lahir)\b/,
  /\bnama (saya |anak saya |istri saya |suami saya )?(sudah )?(berubah|diganti|diubah|ganti)\b/,
  /\b(putusan|penetapan|keputusan) pengadilan\b/,
  /\btanggal lahir (saya |di paspor |di ktp |nya )?(berubah|diubah|diganti|dikoreksi|diperbaiki|beda|berbeda|tidak sama)\b/,
  /\b(name change|changed my name|change (my|the) name|court (order|decision|ruling)|correct(ed)? (my )?(date of birth|birth date)|(date of birth|birth date) (was )?(changed|corrected))\b/,
]);
/** Force majeure: the passport was lost or damaged in a disaster. */
const DISASTER = anyOf([
  /\b(bencana|keadaan kahar|force majeure|banjir|kebanjiran|terendam|kebakaran|terbakar bersama rumah|rumah (terbakar|hangus)|gempa|tsunami|longsor|tanah longsor|angin (puting beliung|topan)|badai|erupsi)\b/,
  /\b(flood|flooded|flooding|house fire|fire|earthquake|tsunami|landslide|cyclone|typhoon|disaster|natural disaster)\b/,
]);
const FIVE_YEARS = anyOf([/\b(5|lima) (tahun|thn|th|years?)\b/]);
const TEN_YEARS = anyOf([/\b(10|sepuluh) (tahun|thn|th|years?)\b/]);

/**
 * The case facts a message states (none it does not). "abroad" is the case of a passport lost,
 * stolen or held abroad: being abroad alone ("suami kerja di Malaysia", "mau kerja di Hongkong")
 * says nothing about the passport, unless the case under discussion is already a lost one.
 */
export function detectFacts(forms: MessageForms, known: CaseFacts = {}): CaseFacts {
  let who: Who | undefined;
  // An age decides ("anak saya umur 20" is an adult's passport); otherwise the words do.
  const age = statedAge(forms);
  if (age !== undefined) who = whoByAge(age);
  else if (test(CHILD, forms)) who = 'child';
  else if (test(ELDERLY, forms)) who = 'elderly';
  else if (test(ADULT, forms)) who = 'adult';
  let situation: Situation | undefined;
  // "bukan rusak, hilang maksudnya": a case denied is not stated (the correction names the other).
  const affirmed = withoutDenials(forms);
  const damaged = test(DAMAGED, affirmed);
  const lost = test(LOST, affirmed);
  if (test(DATA_CHANGE, forms)) situation = 'data_change';
  else if (test(HELD_BY_EMPLOYER, forms)) situation = 'abroad';
  else if (test(ABROAD, forms) && !damaged && (lost || known.situation === 'lost' || known.situation === 'abroad')) situation = 'abroad';
  // "hilang atau rusak": neither case in particular.
  else if (damaged && !lost) situation = 'damaged';
  else if (lost && !damaged) situation = 'lost';
  const years = test(TEN_YEARS, forms) ? 10 : test(FIVE_YEARS, forms) ? 5 : undefined;
  // A disaster counts for a lost or damaged passport (said now or known): "kena banjir" alone is no case.
  const disaster = test(DISASTER, affirmed) && (lost || damaged || known.situation === 'lost' || known.situation === 'damaged');
  return {
    ...(who !== undefined ? { who } : {}),
    ...(situation !== undefined ? { situation } : {}),
    ...(years !== undefined ? { years } : {}),
    ...(disaster ? { disaster: true as const } : {}),
  };
}

/** A lost or damaged case denied: "bukan rusak", "sonde ilang", "not damaged", "it wasn't lost". */
const DENIED_CASE = /\b(bukan|tidak|tak|sonde|ndak|nggak|gak|ga|not|isn't|wasn't|never) (rusak|hilang|ilang|dicuri|damaged|lost|stolen)\b/gu;

function withoutDenials(forms: MessageForms): MessageForms {
  return { normalized: forms.normalized.replace(DENIED_CASE, ' '), lower: forms.lower.replace(DENIED_CASE, ' ') };
}

/** "terus?", "lalu bagaimana?", "what next?": go on with the topic under discussion. */
const CONTINUATION = anyOf([
  /^(terus|lalu|trus|trs|kemudian|selanjutnya|setelah itu|habis itu|sesudah itu|lanjut|lanjutkan|lanjutannya|terusannya)( (bagaimana|apa|lagi|nya))?$/,
  /^(terus|lalu|kemudian|setelah itu|habis itu) (saya )?(harus )?(bagaimana|apa|ke mana|kemana)( lagi)?$/,
  /^(ada lagi|yang lain|lainnya|selengkapnya|info lengkap|lebih lengkap|penjelasan lengkap)$/,
  /^(itu saja|itu aja|itu sa|cuma itu|cuma itu saja|hanya itu|segitu saja|segitu aja|sudah itu saja|begitu saja)$/,
  /^(that'?s all|is that all|that is all|only that|anything else|nothing else)\W*$/,
  /^(then|and then|what next|next|what now|what else|more|tell me more|go on|and after that|after that|what do i do next)\W*$/,
]);

export function isContinuation(forms: MessageForms): boolean {
  return test(CONTINUATION, forms);
}

/**
 * Openers that ask for help without saying with what: answered "tentu, soal apa?" with the
 * main topics (never a ticket, never the out-of-scope text). Only the whole message counts.
 */
const VAGUE = anyOf([
  /^((halo|hai|hallo|permisi|selamat (pagi|siang|sore|malam)|pagi|siang|sore|malam|shalom|assalamualaikum|om|kak|kakak|min|admin|pak|bu|bapak|ibu|mas|mbak) )*(saya |kami |aku )?(mau|ingin|boleh|bisa|mohon|izin|numpang|minta|perlu) (tanya|bertanya|informasi|info|bantuan|dibantu|bantu|tolong)( (dong|ya|kak|kakak|min|admin|pak|bapak|bu|ibu|sedikit|sebentar|nih|saja))*$/,
  /^((halo|hai|permisi|kak|kakak|min|admin|pak|bu|bapak|ibu) )*(bisa|boleh|mohon|tolong) (bantu|dibantu|membantu|tolong|minta tolong|ditolong)( (saya|kami|aku))?( (dong|ya|kak|kakak|min|admin|pak|bapak|bu|ibu|tidak|kah))*$/,
  /^((halo|hai|permisi|kak|kakak|min|admin|pak|bu|bapak|ibu) )*(ada yang )?(bisa|dapat) (bantu|membantu|dibantu)( (saya|kami|aku))?$/,
  /^((halo|hai|kak|kakak|min|admin|pak|bu|bapak|ibu|aduh|duh|waduh) )*(saya |kami |aku )?(bingung|pusing|tidak mengerti|tidak paham|kurang paham|tidak tahu harus bagaimana|bingung harus bagaimana)( (sekali|banget|ini|nih|kak|min|pak|bu|ya|harus bagaimana|mau bagaimana))*$/,
  /^((halo|hai|kak|kakak|min|admin|pak|bu|bapak|ibu) )*(tolong|mohon bantuan|minta tolong|bantu|bantuan|help|tanya|pertanyaan|mau tanya|halo tanya)( (saya|kami|aku|dong|ya|kak|kakak|min|admin|pak|bapak|bu|ibu|please))*$/,
  /^(hi |hello |excuse me |sorry )*(can|could) (you|someone|anyone) help( me| us)?( please)?\W*$/,
  /^(hi |hello )*(i need help|i have a question|i have some questions|help me|help please|please help|i am confused|i'm confused|question|quick question)( please)?\W*$/,
]);
/** Crying or pleading with no words at all ("🙏🙏😭"): a plea, not thanks. */
const DISTRESS_EMOJI = /[\u{1F62D}\u{1F622}\u{1F97A}\u{1F61E}\u{1F614}\u{1F625}\u{1F630}\u{1F623}\u{1F629}\u{1F62B}\u{2639}\u{1F641}]/u;
const ONLY_SYMBOLS = /^[\s\p{P}\p{S}\p{M}\u200D\uFE0F]*$/u;

/** Longer messages say what they are about. */
const VAGUE_MAX_WORDS = 10;

export function isVagueOpener(forms: MessageForms): boolean {
  if (forms.normalized === '') return ONLY_SYMBOLS.test(forms.lower) && DISTRESS_EMOJI.test(forms.lower);
  if (wordCount(forms.lower) > VAGUE_MAX_WORDS) return false;
  return test(VAGUE, forms);
}

/** After troubleshooting advice: it did not work. */
const SELF_HELP_FAILED = anyOf([
  /\b(masih|tetap|tetep) (sama|saja|begitu|begini|gagal|error|eror|tidak|belum|gak|ga|nggak|kosong|muter|loading|sama saja)\b/,
  /\b(sudah|udah|telah) (saya |kami )?(coba|dicoba|mencoba|ikuti|diikuti|lakukan|dilakukan|praktikkan|install ulang|instal ulang|hapus|cek|dicek)\b/,
  /\b(tidak|belum|gak|ga) (berhasil|bisa juga|jalan|mempan|ngefek|ada perubahan|berubah)\b/,
  /\b(gagal|error|eror) (terus|lagi|melulu)\b/,
  /\b(coba|dicoba) (semua|berkali kali|terus|lagi) (tapi|tetap|masih)\b/,
  /\b(still|again) (not|no|the same|failing|fails|doesn't|does not|can't|cannot|won't|nothing|same)\b/,
  /\b(still|keeps?) (crash|crashes|crashing|freezes|freezing|hangs|loading|errors?|showing the error)\b/,
  /\b(already|i) (tried|reinstalled|re-installed|restarted|updated|cleared the cache|did (that|this|it|all|everything))\b/,
  /\b(tried|done) (that|this|it|everything|all|all of (that|it|them)|those|these)\b/,
  /\b(didn't|did not|doesn't|does not|not) (work|working|help)\b/,
  /\b(same (problem|error|issue|thing))\b/,
]);

export function isSelfHelpFailure(forms: MessageForms): boolean {
  return test(SELF_HELP_FAILED, forms);
}

/**
 * Someone asking for money in the office's name, a fake "petugas" on WhatsApp, a fake page,
 * quota sold for a transfer: a scam report (an integrity complaint), answered with a warning.
 */
const SCAM = anyOf([
  /\b(penipu|penipuan|menipu|ditipu|tertipu|tipuan|modus penipuan|scam|scammer|scammed|fraud|fraudster)\b/,
  /\b(nomor|akun|halaman|page|situs|website|web|whatsapp|wa|instagram|ig|facebook|fb|petugas|link|tautan|sms|aplikasi|account|number|site|officer)( \S+)? (palsu|fake|abal abal|bodong|penipu|tipu)\b/,
  /\b(palsu|fake) (nomor|akun|halaman|page|situs|website|whatsapp|petugas|account|number|site|officer|profile)\b/,
  /\b(mengaku|ngaku|mengakunya|ngakunya|katanya|mengatasnamakan|atas nama) (sebagai )?(petugas|pegawai|staf|staff|orang|pihak|admin|karyawan)( dari)?( kantor)?( imigrasi)?\b/,
  /\b(minta|meminta|diminta|dimintai|disuruh|suruh|menyuruh|harus|wajib|perlu) (saya )?(transfer|kirim uang|kirim duit|mengirim uang|bayar lewat transfer|transfer uang|transfer dana|dp|uang muka)\b/,
  /\btransfer\b.*\b(rekening pribadi|rekening orang|ke nomor|biar|supaya|agar|untuk dapat|dapat kuota|dapat jadwal|kuota|slot|jadwal)\b/,
  /\b(jual|menjual|dijual|jualan|beli|membeli|dibeli|tawarkan|menawarkan|ditawari|ditawarkan|nawarin|tawarin|nawarkan|offering|offered|offers)\b(?: \S+){0,2} (kuota|slot|jadwal|antrian|nomor antrian|quota|paspor|passport|passports)\b/,
  // a broker's offer with a price ("ada orang tawar bantu urus paspor 1,5 juta langsung jadi",
  // "agen bilang urus semua, kasih uang 5 juta")
  /\b(orang(?! tua)|agen|agent|calo|oknum|seseorang|biro|jasa|someone|guy|man|woman)\b(?: \S+){0,6} (tawar|tawari|tawarkan|menawarkan|nawarin|tawarin|janji|menjanjikan|offer|offered|offers|promised)\b(?: \S+){0,8} (\d[\d.,]* ?(juta|jt|ribu|rb|k|million)|uang|duit|money)\b/,
  /\b(agen|agent|calo|biro jasa|jasa pengurusan|jasa urus)\b(?: \S+){0,8} \d[\d.,]* ?(juta|jt|ribu|rb|k|million)\b/,
  // a deposit handed to a person ("su kasi DP 500 ribu"; not "bayar dp rumah")
  /\b(kasih|kasi|transfer|tf|beri|kirim|gave|sent)\b(?: \S+){0,2} (dp|uang muka|panjar|deposit|down payment)\b(?: \S+){0,2} \d[\d.,]* ?(juta|jt|ribu|rb|k|million)\b/,
  /\b(kuota|slot|jadwal)\b.*\b(bayar|transfer|harga|rp ?\d|\d+ ?(rb|ribu|k|jt|juta))\b.*\b(nomor|whatsapp|wa|dm|instagram|facebook|orang|akun)\b/,
  /\b(asked|asking|told) (me )?(to )?(transfer|send money|pay (him|her|them)|wire)\b/,
  /\b(pretend(s|ing)?|claim(s|ing|ed)?) to be (an? )?(officer|official|staff|immigration)\b/,
  /\b(selling|sells|sold|buy|bought) (a )?(quota|slot|appointment)\b/,
]);

export function isScamReport(forms: MessageForms): boolean {
  return test(SCAM, forms);
}

/**
 * The applicant (or the person they apply for) belongs to a priority group: elderly,
 * disabled, pregnant, infants, or too ill to come. Stricter than the mere word "sakit":
 * "sampai sakit kepala" is no reason for the priority-service note.
 */
const PRIORITY_APPLICANT = anyOf([
  /\b(lansia|lanjut usia|manula|kakek|nenek|opa|oma|disabilitas|difabel|penyandang|tunanetra|tunarungu|tunadaksa|tuna netra|tuna rungu|kursi roda|lumpuh|stroke|buta|tuli|hamil|ibu hamil|bayi|balita)\b/,
  /\b(usia|umur|berumur|berusia) ([6-9]\d|1[01]\d)\b/,
  /\b(sakit keras|sakit parah|dirawat|opname|rawat inap|terbaring|tidak bisa berjalan|tidak bisa jalan|sulit berjalan)\b/,
  /\b(sedang|lagi|masih) sakit\b.*\b(tidak bisa|belum bisa|sulit) (datang|hadir|ke kantor)\b/,
  /\b(elderly|wheelchair|disabled|disability|blind|deaf|pregnant|baby|infant|toddler|bedridden|hospitali[sz]ed|seriously ill)\b/,
]);

export function isPriorityApplicant(forms: MessageForms): boolean {
  return test(PRIORITY_APPLICANT, forms);
}

/**
 * With a ticket open, a question about its answer ("kapan ada jawaban?", "sudah dibaca?",
 * "when will someone call me?") asks for the ticket's status, not for an FAQ.
 */
const TICKET_FOLLOW_UP = anyOf([
  /\b(kapan|kpn|when)\b(?: \S+){0,4} (jawab|dijawab|jawaban|jawabannya|balas|dibalas|balasan|balasannya|respon|direspon|responnya|ditanggapi|tanggapan|dihubungi|ditelepon|ditelpon|telepon|diproses|ditindaklanjuti|ditangani|kabar|kabarnya|selesai)\b/,
  /\b(sudah|udah|belum|blm) (ada )?(jawaban|balasan|tanggapan|kabar|dibaca|dibalas|direspon|ditanggapi|diproses|ditangani)\b/,
  /\b(sampai mana|bagaimana kelanjutannya|gimana kelanjutannya|kelanjutannya bagaimana|ada kabar|ada update)\b/,
  /\b(when will|how long until|how long before) (someone|you|an officer|the officer|the staff|staff|i)\b/,
  /\b(any (update|news|reply|answer)|still waiting for (a|an|your) (reply|answer|call))\b/,
]);

export function isTicketFollowUp(forms: MessageForms): boolean {
  return test(TICKET_FOLLOW_UP, forms);
}

/** With a ticket open: "kirim ke mana?", "where do I send the photo?": here, to the ticket. */
const SEND_WHERE = anyOf([
  /\b(kirim|kirimkan|dikirim|mengirim|serahkan|diserahkan|upload|unggah|lampirkan|kasih)\b(?: \S+){0,4} (ke mana|kemana|ke siapa|di mana|dimana|lewat mana|lewat apa)\b/,
  /\b(ke mana|kemana|lewat mana) (saya )?(harus |bisa |boleh )?(kirim|kirimkan|mengirim|lampirkan|serahkan)\b/,
  /\b(where|how) (do|can|should) i (send|submit|upload|attach|share)\b/,
  /\b(send|submit) (it|them|the \S+|this|these|a photo|photos|evidence|proof) (to )?where\b/,
]);

export function asksWhereToSend(forms: MessageForms): boolean {
  return test(SEND_WHERE, forms);
}

/** A question: a question mark, or a question word ("berapa", "bisa", "how", ...). */
const QUESTION = anyOf([
  /\?/,
  /\b(apa|apakah|berapa|bagaimana|gimana|gmn|bagemana|kapan|kpn|dimana|di mana|kemana|ke mana|siapa|kenapa|mengapa|knp|bisa|bisakah|boleh|bolehkah|harus|haruskah|perlu|perlukah|mana|how|what|when|where|which|who|why|can|could|should|may|do i|does|is it|are)\b/,
]);

export function isQuestion(forms: MessageForms): boolean {
  return test(QUESTION, forms);
}

const WORD = /[\p{L}\p{N}]+/gu;

/** Words in the original text (emoji and punctuation not counted). */
export function wordCount(text: string): number {
  WORD.lastIndex = 0;
  let count = 0;
  while (WORD.exec(text) !== null) count += 1;
  return count;
}
