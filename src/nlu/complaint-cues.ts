/**
 * Dense signals of dissatisfaction for the complaint scorer, read from the message as typed
 * (case, punctuation, emoji, elongation) and from its normalized tokens. Each is a count or a
 * share, squashed to 0..1, so the scorer learns how much each matters instead of a list of
 * phrases deciding alone. The word lists are our own, written for how applicants vent about
 * an app and a public service (judgements, insults, intensifiers, blame of the state).
 */

/** Negative judgements of an app or a service (normalized, stems or whole words). */
const NEGATIVE_WORDS = new Set(
  `sampah jelek buruk payah parah kacau ancur hancur rusak lemot lelet lola lambat ribet rumit susah sulit
  kecewa mengecewakan menyusahkan mempersulit dipersulit percuma sia useless buruk terburuk worst bad terrible
  awful horrible poor slow laggy bug bugs buggy error eror gagal gak jelas abal asal amburadul berantakan
  menyebalkan nyebelin bodoh tolol goblok bego gila aneh lucu malu memalukan kampungan norak zonk
  nyesel menyesal rugi capek cape lelah pusing stres stress muak bosan bosen kesal kesel jengkel sebel sebal
  marah emosi geram benci hate annoying frustrating disappointed disappointing pathetic ridiculous
  tidak berguna ga guna gak guna nggak guna tidak guna kapan bisa kapan beres`.split(/\s+/),
);

/** First words of the two-word entries above: only these start a pair worth building. */
const NEGATIVE_PAIR_STARTS = new Set([...NEGATIVE_WORDS].filter((entry) => entry.includes(' ')).map((entry) => entry.split(' ')[0]!));

/** Praise ("mudah", "lancar", "membantu"): a review that praises is not a complaint, unless it says so too. */
const PRAISE_WORDS = new Set(
  `bagus baik mudah gampang lancar cepat praktis membantu terbantu dimudahkan mempermudah memudahkan puas
  keren canggih top mantap mantul recommended rekomendasi sukses berhasil good great nice easy helpful fast smooth
  love suka senang bersyukur alhamdulillah`.split(/\s+/),
);
/** "ga ribet", "tidak lambat": a negated judgement praises. */
const NEGATIONS = new Set(['tidak', 'bukan', 'tanpa', 'no', 'not', 'never', 'sonde']);

/** Words that make a judgement stronger ("lambat banget", "parah sekali"). */
const INTENSIFIERS = new Set(
  `banget bgt bngt bangat sekali skali sangat amat terlalu talalu kelewatan keterlaluan parah pisan mulu melulu
  selalu terus terusan trus terus menerus very so really too extremely totally`.split(/\s+/),
);

/** Blame of the state, the makers or the money ("pajak rakyat", "anggaran", "korupsi"). */
const BLAME =
  /\b(pemerintah|pemerintahan|negara|negeri|pajak|anggaran|korupsi|koruptor|proyek|developer|pengembang|programmer|dev|rakyat|masyarakat|instansi|kementerian|pejabat|digaji|gaji|government|tax)\b/;

/** A failure said to persist: durations, counts, repeated attempts. */
const PERSISTENCE =
  /\b(sudah|udah|sdh|dah|hampir|lebih dari|sampai|berhari|berminggu|berbulan|berjam)\b(?: \S+){0,2} ?(\d+|se|satu|dua|tiga|empat|lima|beberapa|berapa) ?(kali|x|hari|minggu|bulan|jam|tahun|hp|email|nomor)\b|\b\d+ ?x\b|\bber(kali|hari|minggu|bulan|jam) (ber)?(kali|hari|minggu|bulan|jam)\b|\b(dari|sejak) (kemarin|kemaren|minggu lalu|bulan lalu|tadi pagi|tahun lalu|awal)\b|\b(seminggu|sebulan|setahun|berkali|bolak balik|tiap hari|setiap hari|sampai sekarang|hingga sekarang|sampai hari ini|tidak pernah bisa|never|again and again|for days|for weeks)\b/;

/** Stars or ratings as punishment. */
const RATING = /\b(bintang (1|satu|nol|0)|(1|satu|0|nol) bintang|rating|ratting|rate|star|stars|uninstall|hapus aplikasi)\b|⭐/;

/** Sarcasm and incredulity markers ("mantap ... hebat", "masa", "katanya canggih"). */
const SARCASM = /\b(masa|masak|katanya|hebat|mantap|mantul|keren|luar biasa|prestasi|selamat|terima kasih)\b.*\b(tidak bisa|gagal|error|eror|lemot|rusak|tidak jalan|belum bisa|susah)\b|\b(tidak bisa|gagal|error|eror|lemot)\b.*\b(mantap|hebat|keren|luar biasa|prestasi)\b/;

/** "Can't even …": "upload ktp saja tidak bisa", "login aja gagal". */
const CANT_EVEN = /\b(saja|aja|doang|pun)\b(?: \S+){0,1} (tidak|gagal|belum|sonde) (bisa|jalan|masuk|muncul)\b/;

/** Questions and pleas that mark a neutral report ("bagaimana solusinya?", "mohon info"). */
const NEUTRAL_ASK = /\b(bagaimana|gimana|apakah|bisakah|boleh|mohon (info|bantuan|solusi|solusinya|petunjuk|arahan)|tolong (bantu|info)|kenapa ya|apa ya|caranya)\b/;

const ANGRY_EMOJI = /[\u{1F621}\u{1F620}\u{1F92C}\u{1F44E}\u{1F926}\u{1F624}\u{1F4A2}\u{1F644}\u{1F612}\u{1F611}\u{1F5FF}\u{1F595}\u{1F92E}\u{1F922}\u{1F629}\u{1F62B}\u{1F615}\u{1F61E}\u{1F614}]/gu;
const CRYING_EMOJI = /[\u{1F62D}\u{1F622}\u{1F97A}\u{1F630}\u{1F625}\u{1F613}]/gu;
const LAUGH_EMOJI = /[\u{1F602}\u{1F923}\u{1F605}\u{1F606}]/gu;
const ELONGATED = /(\p{L})\1{2,}/gu;
const UPPER_WORD = /\b\p{Lu}{3,}\b/gu;

/** Names of the dense features, in the order `complaintCues` returns their values. */
export const COMPLAINT_CUE_NAMES = [
  'negative',
  'intensifier',
  'negative_with_intensifier',
  'blame',
  'persistence',
  'rating',
  'sarcasm',
  'cant_even',
  'neutral_ask',
  'exclamations',
  'questions_repeated',
  'caps',
  'angry_emoji',
  'crying_emoji',
  'laugh_emoji',
  'elongation',
  'length',
  'praise',
] as const;

export type ComplaintCues = Float64Array;

function count(pattern: RegExp, text: string): number {
  pattern.lastIndex = 0;
  let n = 0;
  while (pattern.exec(text) !== null) n += 1;
  return n;
}

/** 0, 1, 2, 3+ -> 0, 0.5, 0.75, 0.875...: more of a signal says more, with diminishing returns. */
function squash(n: number): number {
  return n <= 0 ? 0 : 1 - 0.5 ** n;
}

interface RawShape {
  readonly exclamations: number;
  readonly repeatedQuestion: boolean;
  /** Three capitals (or non-ASCII characters) in a row: UPPER_WORD may match. */
  readonly upperRun: boolean;
  /** A character outside the BMP (every emoji above is one): the emoji patterns may match. */
  readonly astral: boolean;
  /** The same character three times in a row: ELONGATED may match. */
  readonly tripled: boolean;
}

/**
 * One pass over the typed text that counts "!" and "??" and says which of the costlier
 * patterns can match at all; most messages have no emoji, capitals or elongation, and the
 * patterns then need not scan them (the result is the same as scanning).
 */
function rawShape(raw: string): RawShape {
  let exclamations = 0;
  let repeatedQuestion = false;
  let upperRun = false;
  let astral = false;
  let tripled = false;
  let run = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 33) exclamations += 1;
    else if (c === 63 && raw.charCodeAt(i - 1) === 63) repeatedQuestion = true;
    if (c >= 0xd800 && c <= 0xdbff) astral = true;
    run = (c >= 65 && c <= 90) || c > 127 ? run + 1 : 0;
    if (run >= 3) upperRun = true;
    if (i >= 2 && c === raw.charCodeAt(i - 1) && c === raw.charCodeAt(i - 2)) tripled = true;
  }
  return { exclamations, repeatedQuestion, upperRun, astral, tripled };
}

/**
 * The dense signals of one message: `raw` as typed (any case), `tokens` after the normalizer
 * and lexicon. Pure; allocates one small array.
 */
export function complaintCues(raw: string, tokens: readonly string[]): ComplaintCues {
  const normalized = tokens.join(' ');
  let negative = 0;
  let intensifier = 0;
  let negativeWithIntensifier = 0;
  let praise = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const negated = i > 0 && NEGATIONS.has(tokens[i - 1]!);
    if (PRAISE_WORDS.has(token) && !negated) praise += 1;
    const isNegative =
      NEGATIVE_WORDS.has(token) || (i + 1 < tokens.length && NEGATIVE_PAIR_STARTS.has(token) && NEGATIVE_WORDS.has(`${token} ${tokens[i + 1]}`));
    if (isNegative && negated) praise += 1;
    else if (isNegative) {
      negative += 1;
      for (let j = Math.max(0, i - 2); j < Math.min(tokens.length, i + 3); j++) {
        if (INTENSIFIERS.has(tokens[j]!)) {
          negativeWithIntensifier += 1;
          break;
        }
      }
    }
    if (INTENSIFIERS.has(token)) intensifier += 1;
  }
  const shape = rawShape(raw);
  const upperWords = shape.upperRun ? count(UPPER_WORD, raw) : 0;
  const words = Math.max(1, tokens.length);
  const values = new Float64Array(COMPLAINT_CUE_NAMES.length);
  values[0] = squash(negative);
  values[1] = squash(intensifier);
  values[2] = squash(negativeWithIntensifier);
  values[3] = BLAME.test(normalized) ? 1 : 0;
  values[4] = PERSISTENCE.test(normalized) ? 1 : 0;
  values[5] = RATING.test(normalized) || raw.includes('⭐') ? 1 : 0;
  values[6] = SARCASM.test(normalized) ? 1 : 0;
  values[7] = CANT_EVEN.test(normalized) ? 1 : 0;
  values[8] = NEUTRAL_ASK.test(normalized) ? 1 : 0;
  values[9] = squash(shape.exclamations / 2);
  values[10] = shape.repeatedQuestion ? 1 : 0;
  values[11] = raw.length >= 12 ? Math.min(1, (upperWords * 3) / words) : 0;
  values[12] = shape.astral ? squash(count(ANGRY_EMOJI, raw)) : 0;
  values[13] = shape.astral ? squash(count(CRYING_EMOJI, raw) - 1) : 0;
  values[14] = shape.astral ? squash(count(LAUGH_EMOJI, raw)) : 0;
  values[15] = shape.tripled || shape.astral ? squash(count(ELONGATED, raw)) : 0;
  values[16] = Math.min(1, tokens.length / 40);
  values[17] = squash(praise);
  return values;
}

/**
 * Praise and nothing against it ("the staff were really helpful today"): no negative judgement,
 * no negation, no failure. The learnt scorer may still read a staff story as a grievance.
 */
export function isPraiseOnly(tokens: readonly string[]): boolean {
  let praise = false;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (NEGATIVE_WORDS.has(token) || NEGATIONS.has(token) || PRAISE_BLOCKERS.has(token)) return false;
    if (PRAISE_WORDS.has(token)) praise = true;
  }
  return praise;
}

/** Words that turn praise into a grievance or a question about one ("tapi", "kenapa"). */
const PRAISE_BLOCKERS = new Set(
  `tapi tetapi namun sayang sayangnya kenapa mengapa kok masa padahal malah eh sekarang dulu kemarin cuma hanya
  but however why although now used tidak belum gagal error timeout time loading lama susah sulit`.split(/\s+/),
);
