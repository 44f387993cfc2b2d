/**
 * Intent classifier: normalizer -> features (stemmed words via natural's StemmerId, bigrams,
 * character n-grams) -> softmax regression trained on the knowledge base's utterances, plus
 * high-precision rules (a ticket number means ticket_status) and a confidence threshold
 * below which a message is out_of_scope. Flags are detected independently of the intent.
 */
import type { KnowledgeBase } from '../knowledge/types.js';
import { createFeatureEncoder, createFeatureKeys, DEFAULT_FEATURE_OPTIONS, extractFeatures, stems, type FeatureOptions } from './features.js';
import { detectComplaintFlags, detectPriorityGroup, extractTicketNumber, withoutNeutralSpans, type ComplaintFlags } from './flags.js';
import { isForeignDomain, isPassportAnchored, isSpam } from './domain.js';
import { detectLanguage } from './language.js';
import { isPraiseOnly } from './complaint-cues.js';
import { COMPLAINT_GRAMS, complaintModelFrom, trainComplaintParameters, type ComplaintTrainingExample } from './complaint-model.js';
import { cachedModel, modelKey, type ModelSource } from './model-cache.js';
import { createSpellingCorrector } from './spelling.js';
import { detectAspect } from './aspect.js';
import { defaultLexicon, type Lexicon } from './lexicon.js';
import { applyLexicon, cleanText, tokenize } from './normalize.js';
import {
  DEFAULT_SOFTMAX_OPTIONS,
  softmaxModel,
  trainSoftmax,
  type SoftmaxOptions,
  type SoftmaxParameters,
  type TrainingExample,
} from './softmax.js';

/** What training produces, and what the model cache keeps. */
interface TrainedModels {
  readonly intent: SoftmaxParameters;
  readonly complaint: SoftmaxParameters | null;
  /** Stems the in-scope training texts use: a message with none of them is not ours. */
  readonly inScopeStems: ReadonlySet<string>;
  /** Words the training texts use (twice or more) and the lexicon's standard words, with counts: what typos are corrected to. */
  readonly vocabulary: ReadonlyMap<string, number>;
}

/** The spelling vocabulary: words seen at least twice (a one-off may itself be a typo) and every lexicon replacement. */
function knownWords(counts: ReadonlyMap<string, number>, lexicon: Lexicon): Map<string, number> {
  const known = new Map<string, number>();
  for (const [word, count] of counts) if (count >= 2) known.set(word, count);
  for (const replacement of lexicon.entries.values()) {
    for (const word of replacement.split(' ')) if (word !== '' && !known.has(word)) known.set(word, 1);
  }
  return known;
}
import type { Classification, Classifier, IntentCandidate } from './types.js';

/** Only this many characters of a message are classified: intent shows early, and it bounds CPU time. */
export const MAX_CLASSIFY_CHARS = 1_000;
/** Below this top probability a message is out_of_scope (tuned on the dev set, see test/nlu/dev-report). */
export const DEFAULT_OOS_THRESHOLD = 0.25;

/** The complaint scorer's probability from which a message counts as a complaint. */
export const COMPLAINT_THRESHOLD = 0.6;

/**
 * A concrete malfunction of the app, whatever the tone: the taxonomy files it under the app's
 * topic (app error, OTP, quota, upload, payment), not the complaint intent, which is for value
 * judgements, staff conduct and integrity. Read on normalized text.
 */
const APP_FAILURE =
  /\b(error|eror|galat|gagal|time ?out|timeout|loading|muter|memuat|crash|force close|keluar sendiri|tertutup sendiri|hang|macet|blank|layar putih|server|maintenance|lambat|lemot|lelet|lola|tidak bisa (dibuka|buka|masuk|login|daftar|mendaftar|registrasi|upload|unggah|pilih|memilih|klik|bayar|lanjut|diakses|akses|dipakai|digunakan|download|unduh|install)|tidak (muncul|terkirim|masuk|tersedia|terbaca|berfungsi|jalan|respon)|belum (muncul|masuk|terkirim|bisa))\b/;
/** Trouble doing something in the app ("susah mau daftar", "sulit dibuka"): a failure described, not a judgement. */
const APP_DIFFICULTY =
  /\b(susah|sulit|ribet|gangguan|dipersulit|menyulitkan|menyusahkan|tidak dapat|gak bisa|tidak bisa)\b(?: \S+){0,3} (daftar|mendaftar|registrasi|download|unduh|didownload|diunduh|masuk|login|buka|dibuka|input|isi|mengisi|pilih|memilih|pakai|dipakai|digunakan|akses|diakses|install)\b|\b(daftar|download|unduh|masuk|login|buka|dibuka|input|isi|pilih|akses)\b(?: \S+){0,3} (susah|sulit|ribet|gagal|error|eror)\b/;
/**
 * A wrong result with money lost: rejected (at the interview, after paying) and the payment
 * gone. The taxonomy files it as the complaint intent, whatever step of the process it names.
 */
const REJECTED_AND_LOST =
  /\b(ditolak|tolak|menolak|tidak lulus|gagal wawancara|tidak diterima|dibatalkan)\b.*\b(uang|duit|biaya|bayar|rugi|hangus|hilang|ilang|tidak kembali|melayang|\d+ ?(rb|ribu|jt|juta|k))\b|\b(uang|duit|biaya)\b(?: \S+){0,4} (hangus|hilang|ilang|melayang|tidak kembali)\b.*\b(ditolak|tidak lulus|salah (pilih|isi|jenis))\b/;

/** The grievance is about people or the office, not the app: the complaint intent stays. */
const PEOPLE_OR_PLACE = /\b(petugas|pegawai|satpam|security|staf|staff|calo|pungli|oknum|loket|ruang tunggu|kantor imigrasi|di kantor|antri di|antrian di|wawancara|ditolak|dibentak|kasar|sombong|cuek)\b/;
const APP_TOPICS = new Set(['mpaspor_app_error', 'mpaspor_otp', 'mpaspor_quota', 'mpaspor_upload', 'payment', 'mpaspor_reschedule']);

/** A few words are little evidence of a mood: the scorer must be surer of short messages. */
const SHORT_MESSAGE_TOKENS = 6;
const SHORT_COMPLAINT_THRESHOLD = 0.8;

/** A passport-anchored message needs less model confidence to get an FAQ answer. */
const ANCHORED_THRESHOLD = 0.1;

export const OUT_OF_SCOPE = 'out_of_scope';
const TICKET_STATUS = 'ticket_status';
const COMPLAINT = 'complaint';

export interface ClassifierOptions {
  readonly lexicon?: Lexicon;
  readonly threshold?: number;
  readonly features?: FeatureOptions;
  readonly softmax?: SoftmaxOptions;
  /** Told about an internal failure; the message is then answered as out_of_scope. */
  readonly onError?: (err: unknown) => void;
  /** Keep trained models here between runs (see model-cache.ts); in memory only when absent. */
  readonly cacheDir?: string;
}

export interface IntentScore {
  readonly intent: string;
  readonly probability: number;
}

export interface IntentClassifier extends Classifier {
  readonly threshold: number;
  /** Milliseconds spent building the model at creation (training, or loading a kept one). */
  readonly buildMs: number;
  /** Whether the model was trained now or taken from memory or disk. */
  readonly modelSource: ModelSource;
  /** Model probabilities, best first, before rules and the threshold (for debugging and eval). */
  scores(text: string): IntentScore[];
}

/** Emoji that carry the whole message ("🙏" closes a topic), mapped before tokenizing. */
const THANKS_EMOJI = /[\u{1F64F}\u{1F44D}\u{1F44C}\u{1F917}]/gu;
const WAVE_EMOJI = /[\u{1F44B}]/gu;
/**
 * With a salutation ("Shalom admin 🙏", "assalamualaikum 🙏") the folded hands are politeness,
 * not thanks. Religious and daily greetings of Kupang's communities.
 */
const SALUTATION = /\b(shalom|syalom|salom|salam|assalamualaikum|asalamualaikum|assalamu|askum|halo|hallo|hai|permisi|pagi|siang|sore|malam|horas|swastiastu|namo buddhaya|berkah dalem|selamat)\b/iu;

/** Complaint intent wins over these topics when the message reports wrongly printed data. */
const WRONG_DATA_TOPICS = new Set(['requirements_child', 'requirements_new', 'priority_service', 'fees', 'express_service', 'office_info', 'processing_time', 'renewal']);
/** A complaint cue beats an FAQ answer the model is this unsure of... */
const WEAK_FAQ = 0.3;
/** ...unless the message names an app or payment topic outright: then the FAQ answers it. */
const TOPIC_WORDS = /\b(otp|kode verifikasi|aktivasi|kuota|kode billing|billing|unggah|login|kata sandi|akun|biaya|harga|tarif|mahal|murah)\b/;
/** A new broker or illegal-fee report is the complaint intent unless the model is sure of a topic. */
const STRONG_FAQ = 0.5;
/** ticket_status is about an earlier report: without one of these words (or a number) it is another topic. */
const TICKET_WORDS = /\b(tiket|laporan|laporkan|lapor|dilaporkan|aduan|adukan|keluhan|kasus|status|update|respon|balasan|ditanggapi|ditangani|tindak lanjut|kelanjutan)\b/;

/**
 * Courtesy at the start of a message ("pagi kak, saya mau tanya, ..."), or at its end
 * ("... mohon bantuannya, terima kasih"). When real content follows, the content decides the
 * intent: a greeting or thanks must not win a long question.
 */
const OPENER = new RegExp(
  '^(?:(?:' +
    [
      '(selamat )?(pagi|siang|sore|malam|petang)', 'met (pagi|siang|sore|malam)', 'halo', 'hai', 'hi', 'hello', 'hey', 'permisi', 'punten',
      'shalom', 'syalom', 'salom', 'salam( sejahtera| damai| kenal| hangat)?', 'assalamualaikum( wr wb| warahmatullahi wabarakatuh)?',
      'om swastiastu', 'horas', 'berkah dalem', 'namo buddhaya', 'good (morning|afternoon|evening|day)',
      'maaf( mengganggu| ganggu)?( waktu)?', 'apa kabar', 'terima kasih( banyak)?', 'thanks', 'makasih',
      // an address, not a relative ("ibu saya hamil" keeps its "ibu")
      '(kakak|admin|bapak|ibu|om|tante|abang|adik|semua|sekalian|sir|madam)(?! (saya|kami|beta|aku|ku|kita|dia))',
      'imigrasi kupang', 'kanim kupang',
      '(saya |beta |kami )?(mau|ingin|izin|numpang|boleh|pengen|mo) (tanya|bertanya|menanyakan|nanya|info|minta info|konsultasi)( sedikit)?',
      '(saya |beta )?(mau|ingin) (tanya|bertanya)', 'mau tanya', 'tanya', 'numpang tanya', 'izin', 'mohon info',
    ].join('|') +
    ')(?: |$))+',
);
const CLOSER = /(?: (?:mohon|tolong) (?:bantuan|dibantu|infonya|info|penjelasan|arahan|petunjuk)(?: \S+){0,2}| (?:terima kasih|makasih|thanks|thank you)(?: \S+){0,2}| tuhan berkati| gbu)+$/;
/** Fewer content words than this after the courtesy: the message is the greeting itself. */
const MIN_CORE_WORDS = 4;
/** The content must name a topic this clearly to outvote the greeting or thanks around it. */
const CORE_MIN_PROBABILITY = 0.3;

const THANKS_WORDS = /\b(terima kasih|makasih|thanks|thank you)\b/;
/** THANKS_EMOJI without the global flag (no lastIndex to reset), for a plain test. */
const THANKS_EMOJI_ANY = new RegExp(THANKS_EMOJI.source, 'u');
/** The content asks something or reports a problem: a thanks around it does not close the topic. */
const ASKS_OR_REPORTS =
  /\b(apa|apakah|bagaimana|berapa|kapan|dimana|di mana|mana|kenapa|mengapa|siapa|bisa|boleh|bisakah|harus|perlu|tolong|mohon|minta|tidak|belum|gagal|error|masih|lagi|how|what|when|where|why|can|could)\b/;

/** The message without its courtesy opener and closer, or undefined when there is none to strip. */
export function coreOf(tokens: readonly string[], asked = false): string[] | undefined {
  const joined = tokens.join(' ');
  const core = joined.replace(OPENER, '').replace(CLOSER, '').trim();
  if (core === joined) return undefined;
  const words = core === '' ? [] : core.split(' ');
  if (words.length < MIN_CORE_WORDS) return undefined;
  // "sip, sudah dapat jadwal, makasih banyak" closes the topic: thanks around a plain statement stays thanks.
  const removed = joined.replace(core, ' ');
  if (THANKS_WORDS.test(removed) && !asked && !ASKS_OR_REPORTS.test(core)) return undefined;
  return words;
}

/**
 * Laughter ("wkwk", "haha", 😂) marks a joke or banter, not a passport question. A polite "hehe"
 * is common in real questions, so it does not count. Read on the cleaned text.
 */
const LAUGHTER = /(?:^|[^\p{L}])(?:(?:wk){2,}\w*|(?:ha){2,}|lol|lmao|awok\w*)(?:$|[^\p{L}])|[\u{1F602}\u{1F923}\u{1F606}\u{1F639}]/u;

/** Banter must name a topic this clearly to get an FAQ answer. */
const JOKE_THRESHOLD = 0.99;

/** A priority-group member asking how to get in: online queue or straight to the office, a special lane. */
const ACCESS = new RegExp(
  '\\b(' +
    [
      'langsung (datang|ke kantor|ke imigrasi|dilayani|ke loket)', 'datang langsung', 'walk in',
      'tanpa (antri|antre|antrian|daftar|aplikasi|online|mpaspor|kuota|janji|jadwal)', 'jalur (khusus|prioritas|cepat)',
      '(loket|layanan|antrian|pelayanan|akses) (khusus|prioritas)', 'prioritas', 'didahulukan', 'dahulukan', 'duluan',
      '(harus|wajib|perlu|mesti|musti) (ikut |juga )?(daftar|antri|antre|lewat|pakai|ambil|rebut)( \\S+){0,2}? ?(online|mpaspor|aplikasi|kuota|antrian)?',
      'daftar online', '(lewat|pakai|melalui|via) (mpaspor|aplikasi|online)', 'kursi roda', 'pendamping', 'didampingi', 'dibantu', 'bantuan', 'fasilitas',
      'tidak kuat (berdiri|antri|jalan)', 'tidak bisa (antri|antre|berdiri|jalan)',
    ].join('|') +
    ')\\b',
);
/** Topics a priority-group access question is mistaken for. */
const PRIORITY_CONFUSED = new Set(['mpaspor_register', 'mpaspor_quota', 'requirements_child', 'requirements_new', 'processing_time', 'office_info', 'greeting', 'out_of_scope']);

/** The applicant wants it faster than normal processing. */
const EXPRESS_CUE =
  /\b(kilat|percepatan|dipercepat|ekspres|express|same day|fast track|sehari jadi|satu hari jadi|1 hari jadi|jadi (hari ini|besok|sehari|dalam sehari|1 hari|satu hari)|selesai (hari ini|besok|sehari|dalam sehari)|hari itu juga|mendesak|darurat|buru buru|terburu buru|secepatnya|urgent|express)\b/;
/** Topics an express request is mistaken for (its reason: travel, illness, renewal). */
const EXPRESS_CONFUSED = new Set(['priority_service', 'processing_time', 'requirements_new', 'requirements_child', 'renewal', 'fees', 'office_info', 'greeting', 'out_of_scope']);

/** "is the office open on <day/holiday>": office_info, unless the app's quota or schedule is meant. */
const OPEN_QUESTION = /\b(buka|dibuka|tutup|libur|beroperasi|masuk kerja|melayani|pelayanan)\b/;
const DAY_WORD =
  /\b(senin|selasa|rabu|kamis|jumat|sabtu|minggu ini|hari minggu|tanggal \d+|hari raya|lebaran|idul (fitri|adha)|natal|paskah|jumat agung|nyepi|imlek|waisak|kenaikan|maulid|isra miraj|tahun baru|cuti bersama|tanggal merah|hari libur|libur nasional|long weekend|besok|lusa|hari ini|agustus|kemerdekaan|weekend|holiday|saturday|sunday)\b/;
const APP_WORDS = /\b(kuota|mpaspor|aplikasi|slot|jadwal|kode billing|billing|otp|antrian online)\b/;
/** Where passports are served ("di kalabahi ada layanan paspor atau harus ke kupang"): office_info. */
const SERVICE_WHERE = /\b(ada|buka|tersedia|dilayani) (layanan|pelayanan|kantor|loket|ulp|unit layanan)\b(?: \S+){0,3} (atau|ataukah|apa) (harus|mesti|wajib) ke\b|\b(ada|buka|tersedia) (layanan|pelayanan|kantor|loket|ulp) (paspor|imigrasi) (di|ke)\b/;
const WHERE_CONFUSED = new Set(['lost_damaged', 'processing_time', 'renewal', 'requirements_new', 'mpaspor_register', 'greeting', 'out_of_scope']);
/**
 * Asking for a person ("mau bicara dengan petugas", "sambungkan ke admin"): without it, a
 * grievance about staff ("petugasnya cuek dan tidak menjawab") is a complaint, not a handoff.
 */
const PERSON_REQUEST =
  /\b(mau|ingin|minta|tolong|bisa|boleh|pengen|mohon)\b(?: \S+){0,3} (bicara|berbicara|ngobrol|chat|hubungi|menghubungi|dihubungkan|sambungkan|disambungkan|terhubung|ketemu|bertemu|telepon|telpon|dilayani)\b|\b(petugas|admin|cs|operator|orang) (asli|beneran|manusia|sungguhan)\b|\b(talk|speak|chat) (to|with)\b|\bhuman\b|\breal person\b/;

/** No date to pick is the quota topic; changing a date one has is rescheduling. */
const NO_DATE =
  /\b(tidak|belum) (ada|muncul|tersedia) (tanggal|jadwal|slot|kuota)\b|\b(tanggal|jadwal|slot)\b(?: \S+){0,5} (penuh|merah|habis|tidak (bisa|dapat) (dipilih|diklik|pilih|klik|memilih))\b/;
const CHANGE_DATE = /\b(ganti|ubah|mengubah|merubah|reschedule|jadwal ulang|pindah|tunda|menunda|batal|membatalkan|undur|mundur|majukan)\b/;
/** The billing code left unpaid past its deadline. */
const UNPAID_BILLING = /\b(tidak|belum|telat|terlambat|lupa) (bayar|membayar|dibayar)\b|\b(kode billing|billing|batas waktu (bayar|pembayaran))\b/;
const OFFICE_CONFUSED = new Set(['greeting', 'complaint', 'mpaspor_quota', 'mpaspor_reschedule', 'processing_time', 'thanks', 'out_of_scope']);

/**
 * The complaint class learned "loket" and "antri" from complaints, so a neutral "saya antri di
 * loket 2" looks like one. Without a complaint cue the complaint intent needs some sign of a
 * problem: a negation, a failure, a wait, a bad condition.
 */
const PROBLEM_EVIDENCE =
  /\b(tidak|belum|bukan|gagal|kurang|tanpa|sempit|terlambat|telat|lama|lambat|dilarang|melarang|rusak|mati|kotor|bau|panas|salah|beda|bingung|marah|bentak|suruh|disuruh|minta|diminta|uang|bayar|ribut|berdiri|pingsan|menangis|nangis|jauh|susah|sulit|mahal|hilang|ditolak|menolak|pulang|kenapa|mengapa|kok|masa|malu|padahal|seharusnya|harusnya|sudah|hanya|cuma|tolong|mohon|lapor|melaporkan|komplain|keluhan|rude|not|no|never|waited|ignored|dirty)\b/;
/** Without a cue a complaint guess must be at least this sure and show a problem. */
const UNCUED_COMPLAINT = 0.6;

const COURTESY = new Set(['greeting', 'thanks']);
/** Topics an integrity report's story names (the money, the office, the quota sold): the report still wins. */
const INTEGRITY_CONTEXT = new Set(['payment', 'fees', 'express_service', 'office_info', 'processing_time', 'requirements_new', 'human_handoff', 'mpaspor_quota']);
const INTEGRITY_CONTEXT_FAQ = 0.9;
/** Confidence a topic rule reports: it is a rule, not a model probability. */
const RULE_CONFIDENCE = 0.6;

/**
 * High-precision corrections of the model's topic for cue-free messages: a priority-group member
 * asking about access, an explicit rush, an opening-day question.
 */
function applyTopicRules(best: IntentScore, normalized: string, priorityGroup: boolean, ranked: readonly IntentScore[]): IntentScore {
  const boosted = (intent: string): IntentScore => ({
    intent,
    probability: Math.max(RULE_CONFIDENCE, ranked.find((s) => s.intent === intent)?.probability ?? 0),
  });
  if (EXPRESS_CUE.test(normalized) && EXPRESS_CONFUSED.has(best.intent)) return boosted('express_service');
  if (priorityGroup && ACCESS.test(normalized) && PRIORITY_CONFUSED.has(best.intent)) return boosted('priority_service');
  if (SERVICE_WHERE.test(normalized) && !APP_WORDS.test(normalized) && WHERE_CONFUSED.has(best.intent)) return boosted('office_info');
  if (OPEN_QUESTION.test(normalized) && DAY_WORD.test(normalized) && !APP_WORDS.test(normalized) && OFFICE_CONFUSED.has(best.intent)) {
    return boosted('office_info');
  }
  return best;
}

function eitherFlags(a: ComplaintFlags, b: ComplaintFlags): ComplaintFlags {
  return { complaint: a.complaint || b.complaint, integrity: a.integrity || b.integrity, wrongData: a.wrongData || b.wrongData };
}

/** Clauses: sentences, and asks joined by "dan"/"and"/"terus"/"juga" when both halves have words enough. */
const SENTENCE_END = /[.?!;\n]+/;
const ASK_JOIN = /(?:,? \b(?:dan|and|serta|terus|lalu|trus|juga|sama|plus|also|deng|dengan)\b|,) (?=(?:berapa|brp|kapan|apa|apakah|bagaimana|bagemana|gimana|gmn|dimana|di mana|bisa|boleh|how|what|when|where|can|do|is)\b|(?:syarat|biaya|harga|dokumen|tarif)\w*)/i;
/** A clause that asks something: a question word or a part of a topic ("wawancara tgl 10 kemarin" asks nothing). */
const ASKING_WORDS = new Set(
  'apa apakah berapa bagaimana kapan dimana mana siapa kenapa mengapa bisa boleh harus perlu syarat biaya harga dokumen tarif cara how what when where which who why can could should much many'.split(' '),
);
const MIN_CLAUSE_WORDS = 3;
/** A clause asking only a fee or a time may be this short ("biayanya berapa"). */
const MIN_ASPECT_CLAUSE_WORDS = 2;
/** The topic a clause asking only a fee or a time asks (when the main ask is another topic). */
const ASPECT_TOPIC: Readonly<Record<string, string>> = { fee: 'fees', time: 'processing_time' };
/** Topics whose own answers carry the fee or the time of their case: no second ask needed. */
const ASPECT_TOPIC_OWNERS = new Set(['fees', 'processing_time', 'lost_damaged', 'express_service', 'payment']);
/** A clause must name its topic at least this clearly to count as a second ask. */
const SECOND_ASK_PROBABILITY = 0.55;
/** Small talk, complaints and requests for a human are handled whole, never as a second FAQ ask. */
const NOT_A_SECOND_ASK = new Set(['greeting', 'thanks', 'out_of_scope', 'complaint', 'human_handoff', 'ticket_status']);

function wordCount(text: string): number {
  let words = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const space = text.charCodeAt(i) <= 32;
    if (!space && !inWord) words += 1;
    inWord = !space;
  }
  return words;
}

function splitClauses(text: string): string[] {
  return text
    .split(SENTENCE_END)
    .flatMap((sentence) => sentence.split(ASK_JOIN))
    .map((clause) => clause.trim())
    .filter((clause) => clause !== '');
}

function isAnswerableAsk(kb: KnowledgeBase, intent: string): boolean {
  return kb.intents.has(intent) && !NOT_A_SECOND_ASK.has(intent);
}

/** The decided intent first, then the model's next best: three in all. */
function candidatesOf(intent: string, confidence: number, ranked: readonly IntentScore[]): IntentCandidate[] {
  const candidates: IntentCandidate[] = [{ intent, confidence }];
  for (const score of ranked) {
    if (candidates.length === 3) break;
    if (score.intent === intent) continue;
    candidates.push({ intent: score.intent, confidence: Math.round(score.probability * 1000) / 1000 });
  }
  return candidates;
}

function prepare(text: string, lexicon: Lexicon): { prefix: string; cleaned: string; tokens: string[] } {
  let prefix = typeof text === 'string' ? text.slice(0, MAX_CLASSIFY_CHARS) : '';
  // (Both emoji are outside the BMP: a text without surrogates needs neither replacement.)
  if (/[\uD800-\uDBFF]/.test(prefix)) {
    THANKS_EMOJI.lastIndex = 0;
    if (THANKS_EMOJI.test(prefix)) prefix = prefix.replace(THANKS_EMOJI, SALUTATION.test(prefix) ? ' ' : ' terima kasih ');
    prefix = prefix.replace(WAVE_EMOJI, ' halo ');
  }
  const cleaned = cleanText(prefix);
  return { prefix, cleaned, tokens: applyLexicon(tokenize(cleaned), lexicon) };
}

export function createClassifier(kb: KnowledgeBase, options: ClassifierOptions = {}): IntentClassifier {
  const started = performance.now();
  const lexicon = options.lexicon ?? defaultLexicon();
  const threshold = options.threshold ?? DEFAULT_OOS_THRESHOLD;
  const featureOptions = options.features ?? DEFAULT_FEATURE_OPTIONS;

  const train = (): TrainedModels => {
    const examples: TrainingExample[] = [];
    const complaintExamples: ComplaintTrainingExample[] = [];
    const inScopeStems = new Set<string>();
    const vocabulary = new Map<string, number>();
    for (const entry of kb.intents.values()) {
      const learn = (text: string, complaint: boolean | undefined): void => {
        const { prefix, tokens } = prepare(text, lexicon);
        if (tokens.length === 0) return;
        for (const token of tokens) vocabulary.set(token, (vocabulary.get(token) ?? 0) + 1);
        examples.push({ features: extractFeatures(tokens, featureOptions), label: entry.id });
        if (entry.id !== OUT_OF_SCOPE) for (const s of stems(tokens)) inScopeStems.add(s);
        // Short utterances carry no label: the complaint intent's are complaints, the others are
        // labelled by the precise cue rules (they are tidy questions, where the rules are right).
        const label = complaint ?? (entry.id === COMPLAINT || detectComplaintFlags(tokens.join(' '), prefix).complaint);
        complaintExamples.push({ raw: prefix, tokens, complaint: label });
      };
      for (const utterance of entry.utterances) learn(utterance, undefined);
      for (const example of entry.examples) learn(example.text, example.complaint);
    }
    return {
      intent: trainSoftmax(examples, softmaxOptions).parameters,
      complaint: trainComplaintParameters(complaintExamples),
      inScopeStems,
      vocabulary: knownWords(vocabulary, lexicon),
    };
  };
  const softmaxOptions = options.softmax ?? DEFAULT_SOFTMAX_OPTIONS;
  const key = modelKey([kb.version, [...lexicon.entries], featureOptions, softmaxOptions]);
  const { model: trained, source } = cachedModel(key, train, {
    ...(options.cacheDir !== undefined ? { dir: options.cacheDir } : {}),
    ...(options.onError !== undefined ? { onError: options.onError } : {}),
  });
  const model = softmaxModel(trained.intent);
  // One reading of a message's feature keys for both models when their n-grams match.
  const sharedKeys =
    featureOptions.minGram === COMPLAINT_GRAMS.minGram && featureOptions.maxGram === COMPLAINT_GRAMS.maxGram ? createFeatureKeys(featureOptions) : undefined;
  const complaintModel = complaintModelFrom(trained.complaint, sharedKeys);
  const { inScopeStems } = trained;
  const speller = createSpellingCorrector(trained.vocabulary);
  /** As `prepare`, with typos corrected against the training vocabulary (classification only). */
  const read = (text: string): ReturnType<typeof prepare> => {
    const prepared = prepare(text, lexicon);
    return { ...prepared, tokens: prepared.tokens.map((token) => speller.correct(token)) };
  };
  const buildMs = performance.now() - started;

  // Same probabilities as model.predict(extractFeatures(tokens, featureOptions)), computed
  // without building the feature map (most of the cost of classifying a message).
  const encode = createFeatureEncoder(model.featureIndex, featureOptions, sharedKeys);

  function scoresOf(tokens: readonly string[], stemmed?: readonly string[]): IntentScore[] {
    const { ids, values, count } = encode(tokens, stemmed);
    const probs = model.predictSparse(ids, values, count);
    // Best first; ties keep label order (a stable insertion sort: the list is short).
    const ranked: IntentScore[] = [];
    for (let i = 0; i < model.labels.length; i++) {
      const score = { intent: model.labels[i]!, probability: probs[i] ?? 0 };
      let at = ranked.length;
      ranked.push(score);
      while (at > 0 && ranked[at - 1]!.probability < score.probability) {
        ranked[at] = ranked[at - 1]!;
        at -= 1;
      }
      ranked[at] = score;
    }
    return ranked;
  }

  /**
   * A second question in a long message: each clause is classified alone, and a clause that
   * clearly asks another FAQ topic than the whole message is the second ask ("berapa biaya
   * paspor 10 tahun dan berapa lama jadinya?" -> fees, then processing_time).
   */
  function secondAsk(prefix: string, mainIntent: string): string | null {
    // Two asks need two clauses: a clause of three words or more, or a short one that asks a
    // fee or a time ("..., biayanya berapa?"); a shorter message has one ask.
    if (wordCount(prefix) < MIN_CLAUSE_WORDS + MIN_ASPECT_CLAUSE_WORDS) return null;
    const clauses = splitClauses(prefix).filter((clause) => wordCount(clause) >= MIN_ASPECT_CLAUSE_WORDS);
    if (clauses.length < 2) return null;
    let second: IntentScore | null = null;
    let askedPart: string | null = null;
    for (const clause of clauses) {
      const { tokens } = read(clause);
      if (tokens.length < MIN_ASPECT_CLAUSE_WORDS || !tokens.some((token) => ASKING_WORDS.has(token))) continue;
      // A clause that asks a fee or a time asks the fee or time topic, however weakly the model
      // reads its few words.
      const part = ASPECT_TOPIC[detectAspect(tokens.join(' ')) ?? ''];
      if (part !== undefined && part !== mainIntent && !ASPECT_TOPIC_OWNERS.has(mainIntent) && isAnswerableAsk(kb, part)) askedPart ??= part;
      if (tokens.length < MIN_CLAUSE_WORDS) continue;
      const top = scoresOf(tokens)[0];
      if (top === undefined || top.intent === mainIntent || !isAnswerableAsk(kb, top.intent)) continue;
      if (top.probability < SECOND_ASK_PROBABILITY) continue;
      if (second === null || top.probability > second.probability) second = top;
    }
    return second?.intent ?? askedPart;
  }

  /**
   * The learnt scorer's verdict. It reads the message without the spans that are declared not
   * to be grievances ("tidak mau pakai calo", "fotonya kurang jelas", "tidak ribet"): the words
   * inside them ("calo", "ditolak") would otherwise count against a neutral message.
   */
  function scoredComplaint(prefix: string, tokens: readonly string[], stemmed: readonly string[], text: string): boolean {
    const threshold = tokens.length <= SHORT_MESSAGE_TOKENS ? SHORT_COMPLAINT_THRESHOLD : COMPLAINT_THRESHOLD;
    const neutral = withoutNeutralSpans(text);
    if (neutral === text) return complaintModel.probability(prefix, tokens, stemmed) >= threshold;
    const kept = neutral.split(' ').filter((token) => token !== '');
    return kept.length > 0 && complaintModel.probability(prefix, kept) >= threshold;
  }

  function classify(text: string): Classification {
    const { prefix, cleaned, tokens: typed } = prepare(text, lexicon);
    // The model reads the words with typos corrected; the precise rules read what was typed
    // (a correction must never turn a cue word into another word) and, when anything was
    // corrected, the corrected words too, so a misspelt cue still counts.
    const tokens = typed.map((token) => speller.correct(token));
    const corrected = tokens.some((token, i) => token !== typed[i]);
    // Stemmed once: the intent model, the complaint scorer and the vocabulary check all read them.
    const stemmed = stems(tokens);
    const language = detectLanguage(cleaned, { cleaned: true });
    const normalized = typed.join(' ');
    const correctedText = corrected ? tokens.join(' ') : normalized;
    const flags = corrected ? eitherFlags(detectComplaintFlags(normalized, prefix), detectComplaintFlags(correctedText, prefix)) : detectComplaintFlags(normalized, prefix);
    const { integrity, wrongData } = flags;
    // A precise cue, or the learnt scorer sure enough: either makes the message a complaint.
    const ruleCued = flags.complaint;
    // (The scorer runs only when no rule has decided already.)
    const praiseOnly = !ruleCued && isPraiseOnly(tokens);
    const cued = ruleCued || (tokens.length > 0 && !praiseOnly && scoredComplaint(prefix, tokens, stemmed, correctedText));
    const priorityGroup = detectPriorityGroup(normalized);
    const ticketNumber = extractTicketNumber(cleaned);

    let intent = OUT_OF_SCOPE;
    let confidence = 0;
    let lastRanked: readonly IntentScore[] = [];
    if (ticketNumber !== undefined) {
      // "#12", "tiket 12", "T-31": only ticket references look like this.
      intent = TICKET_STATUS;
      confidence = 0.95;
    } else if (tokens.length > 0 && isSpam(normalized) && !integrity) {
      // Advertising ("izin promosi ... dm ya") mentions the office but asks nothing of it.
      confidence = 0.9;
    } else if (tokens.length > 0) {
      // A greeting or thanks around real content: the content decides ("pagi kak, sy mau tanya, ...").
      const core = coreOf(tokens, prefix.includes('?'));
      let ranked = scoresOf(tokens, stemmed);
      if (core !== undefined) {
        const coreRanked = scoresOf(core);
        const coreTop = coreRanked[0];
        const fullTop = ranked[0];
        if (coreTop !== undefined && fullTop !== undefined && !COURTESY.has(coreTop.intent) && coreTop.intent !== OUT_OF_SCOPE) {
          const fullIsCourtesy = COURTESY.has(fullTop.intent) || fullTop.intent === OUT_OF_SCOPE;
          if (fullIsCourtesy ? coreTop.probability >= CORE_MIN_PROBABILITY : coreTop.probability > fullTop.probability) ranked = coreRanked;
        }
      }
      // The candidates come from the ranking the decision used (the content's, after courtesy).
      lastRanked = ranked;
      const foreign = isForeignDomain(normalized);
      // Laughter: banter about passports is not a passport question, so no anchored leniency.
      const joking = !cued && LAUGHTER.test(cleaned);
      // The out_of_scope class learns many unrelated words and so attracts any unusual
      // message; a message that names passport business is ours, so take the best FAQ.
      const anchored = !foreign && !joking && (isPassportAnchored(normalized) || (corrected && isPassportAnchored(correctedText)));
      const reportless = !TICKET_WORDS.test(normalized);
      const uncuedComplaint = !cued && !integrity && !wrongData;
      const usable = ranked.filter(
        (s) =>
          !(reportless && s.intent === TICKET_STATUS) &&
          // A neutral "saya antri di loket 2" is no complaint: without a cue the complaint class needs evidence.
          !(uncuedComplaint && s.intent === COMPLAINT && (s.probability < UNCUED_COMPLAINT || !PROBLEM_EVIDENCE.test(withoutNeutralSpans(normalized)))),
      );
      let best = anchored ? usable.find((s) => s.intent !== OUT_OF_SCOPE) : usable[0];
      // No word the in-scope utterances ever used: nothing to go on, so not ours.
      const known = stemmed.some((s) => inScopeStems.has(s));
      if (best !== undefined && !foreign && !cued) best = applyTopicRules(best, normalized, priorityGroup, usable);
      // Money lost because the billing code was not paid in time is the payment topic, angry or
      // not (a missed appointment is rescheduling).
      if (best?.intent === 'human_handoff' && ruleCued && !PERSON_REQUEST.test(normalized)) {
        best = { intent: COMPLAINT, probability: Math.max(RULE_CONFIDENCE, usable.find((s) => s.intent === COMPLAINT)?.probability ?? 0) };
      }
      if (best?.intent === 'mpaspor_reschedule' && NO_DATE.test(normalized) && !CHANGE_DATE.test(normalized)) {
        best = { intent: 'mpaspor_quota', probability: Math.max(RULE_CONFIDENCE, usable.find((s) => s.intent === 'mpaspor_quota')?.probability ?? 0) };
      }
      if (best?.intent === 'mpaspor_reschedule' && UNPAID_BILLING.test(normalized)) {
        best = { intent: 'payment', probability: Math.max(RULE_CONFIDENCE, usable.find((s) => s.intent === 'payment')?.probability ?? 0) };
      }
      // A complaint the model cannot place (or wrongly printed data, which no FAQ fixes) is the
      // complaint intent rather than a weak guess at a topic. An integrity report outweighs the
      // money or office topic its story mentions.
      const complaintWins =
        best !== undefined &&
        !foreign &&
        ((ruleCued && best.probability < WEAK_FAQ && !TOPIC_WORDS.test(normalized)) ||
          (integrity && best.probability < (INTEGRITY_CONTEXT.has(best.intent) ? INTEGRITY_CONTEXT_FAQ : STRONG_FAQ)) ||
          (wrongData && WRONG_DATA_TOPICS.has(best.intent)) ||
          (REJECTED_AND_LOST.test(normalized) && best.intent !== 'mpaspor_reschedule') ||
          // "tempat duduk kurang, ibu hamil berdiri lama": a grievance that names a priority group, not a lane question
          (cued && best.intent === 'priority_service' && !ACCESS.test(normalized)));
      if (
        !complaintWins &&
        best?.intent === COMPLAINT &&
        !integrity &&
        !wrongData &&
        (APP_FAILURE.test(normalized) || APP_DIFFICULTY.test(normalized)) &&
        !PEOPLE_OR_PLACE.test(normalized)
      ) {
        // An angry report of an app failure is the app's topic: the flag keeps the anger.
        const topic = ranked.find((s) => APP_TOPICS.has(s.intent));
        best = { intent: topic?.intent ?? 'mpaspor_app_error', probability: Math.max(RULE_CONFIDENCE, topic?.probability ?? 0) };
      }
      if (best?.intent === 'mpaspor_register' && (APP_FAILURE.test(normalized) || APP_DIFFICULTY.test(normalized))) {
        // "How do I register" is the register topic; registering that fails is the app's error.
        const topic = ranked.find((s) => APP_TOPICS.has(s.intent));
        best = { intent: topic?.intent === 'mpaspor_otp' ? 'mpaspor_otp' : 'mpaspor_app_error', probability: Math.max(RULE_CONFIDENCE, topic?.probability ?? 0) };
      }
      if (praiseOnly && (best === undefined || best.intent === COMPLAINT || best.probability < threshold) && kb.intents.has('thanks')) {
        // Praise with no clear question ("the staff were really helpful today") is thanks, not a
        // grievance about the staff nor a guess at the topic it mentions.
        best = { intent: 'thanks', probability: Math.max(RULE_CONFIDENCE, usable.find((s) => s.intent === 'thanks')?.probability ?? 0) };
      }
      if (best?.intent === 'thanks' && !praiseOnly && prefix.includes('?') && !THANKS_WORDS.test(normalized) && !THANKS_EMOJI_ANY.test(text)) {
        // A question with no word of thanks in it ("Does she need to use the app?") thanks
        // no one, however the model weighs its words: the best topic it may ask instead.
        best = usable.find((s) => !COURTESY.has(s.intent) && s.intent !== OUT_OF_SCOPE) ?? best;
      }
      if (complaintWins) {
        intent = COMPLAINT;
        confidence = Math.max(0.5, ranked.find((s) => s.intent === COMPLAINT)?.probability ?? 0);
      } else if (
        best !== undefined &&
        known &&
        !foreign &&
        best.intent !== OUT_OF_SCOPE &&
        best.probability >= (joking ? JOKE_THRESHOLD : anchored ? ANCHORED_THRESHOLD : threshold)
      ) {
        intent = best.intent;
        confidence = best.probability;
      } else if (anchored && best !== undefined && !cued && (APP_FAILURE.test(normalized) || APP_DIFFICULTY.test(normalized))) {
        // It names the app or passports and a failure: the app's topic, with the model's low
        // confidence kept, so the conversation asks which topic when it must.
        intent = usable.find((s) => APP_TOPICS.has(s.intent))?.intent ?? 'mpaspor_app_error';
        confidence = usable.find((s) => s.intent === intent)?.probability ?? best.probability;
      } else if (cued && !foreign) {
        // Dissatisfaction about something no FAQ covers is, by definition, the complaint intent.
        intent = COMPLAINT;
        confidence = Math.max(0.5, ranked.find((s) => s.intent === COMPLAINT)?.probability ?? 0);
      } else if (anchored && best !== undefined && known && best.intent !== OUT_OF_SCOPE) {
        // A message that names the domain is never out_of_scope: the best topic, however unsure.
        intent = best.intent;
        confidence = best.probability;
      } else {
        confidence = best?.intent === OUT_OF_SCOPE ? best.probability : 1 - (best?.probability ?? 0);
      }
    }
    const rounded = Math.round(confidence * 1000) / 1000;
    const base: Classification = {
      intent,
      confidence: rounded,
      complaint: intent === COMPLAINT || cued,
      integrity,
      priorityGroup,
      language,
      candidates: candidatesOf(intent, rounded, lastRanked),
      secondIntent: intent === OUT_OF_SCOPE ? null : secondAsk(prefix, intent),
      aspect: detectAspect(normalized),
    };
    return ticketNumber === undefined ? base : { ...base, ticketNumber };
  }

  return {
    threshold,
    buildMs,
    modelSource: source,
    classify(text: string): Classification {
      try {
        return classify(text);
      } catch (err) {
        // Applicant input must never crash the router; an internal bug degrades to "not understood".
        options.onError?.(err);
        return {
          intent: OUT_OF_SCOPE,
          confidence: 0,
          complaint: false,
          integrity: false,
          priorityGroup: false,
          language: 'id',
          candidates: [{ intent: OUT_OF_SCOPE, confidence: 0 }],
          secondIntent: null,
          aspect: null,
        };
      }
    },
    scores(text: string): IntentScore[] {
      const { tokens } = read(text);
      return tokens.length === 0 ? [] : scoresOf(tokens);
    },
  };
}
