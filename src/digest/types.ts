/**
 * The daily digest as plain data: what `sapa digest --json` prints, what
 * `GET /api/digest` returns and what the text and chart are rendered from. Times are
 * ISO 8601 strings, durations business minutes (one decimal), shares 0..1 (four
 * decimals) or null when there was nothing to divide. Field meanings are documented in
 * the README ("Daily digest").
 */
import type { ServqualDimension } from '../knowledge/types.js';

export interface ChannelCount {
  readonly channel: string;
  readonly count: number;
}

export interface OldestOpenTicket {
  readonly ref: string;
  readonly priority: 'normal' | 'high';
  readonly status: 'open' | 'pending';
  readonly openedAt: string;
  /** Business minutes from opening to the end of the day (or to now, for today). */
  readonly ageMinutes: number;
}

export interface DigestTickets {
  /** Tickets opened during the day. */
  readonly opened: number;
  /** Tickets resolved (or closed without resolving) during the day. */
  readonly resolved: number;
  /** Tickets open or pending at the end of the day (or now, for today). */
  readonly backlog: number;
  readonly oldestOpen: OldestOpenTicket | null;
}

/** #21: tickets opened that day by origin. */
export interface OriginCount {
  /** chat, desk, phone, letter, lapor, email, other. */
  readonly origin: string;
  readonly count: number;
}

/** #21: LAPOR! reports, counted apart (LAPOR! watches their handling times from outside). */
export interface DigestLapor {
  /** Opened (recorded) that day. */
  readonly opened: number;
  /** Open or pending at the end of the day (or now, for today). */
  readonly open: number;
  /** Of those, due within the next office day. */
  readonly dueSoon: number;
  /** Of those, past a due time. */
  readonly late: number;
}

export interface DigestFirstResponse {
  /** Tickets opened that day (the cohort every figure below describes). */
  readonly opened: number;
  /** Of those, answered by a public staff reply: the figures' sample size. */
  readonly count: number;
  /** Still without a staff reply when the digest was built. */
  readonly waiting: number;
  readonly medianMinutes: number | null;
  readonly p90Minutes: number | null;
  /** SLA verdicts as on the dashboard: met, breached (late or unanswered past due), pending. */
  readonly met: number;
  readonly breached: number;
  readonly pending: number;
  /** met / (met + breached); null when nothing is decided yet. */
  readonly withinSlaShare: number | null;
}

export interface HourlyFirstResponse {
  /** Office-local hour the tickets were opened, 0-23. */
  readonly hour: number;
  readonly opened: number;
  readonly answered: number;
  readonly medianMinutes: number | null;
}

export type DigestTimer = 'first_response' | 'next_response' | 'resolution';

export interface DigestBreach {
  readonly ref: string;
  readonly timer: DigestTimer;
  readonly priority: 'normal' | 'high';
  /** Officer holding the ticket when it breached; null when nobody had claimed it. */
  readonly holder: string | null;
  /** When the window ran out. */
  readonly breachedAt: string;
  /** Business minutes from the breach to the reply/resolution that stopped the timer, or to now while it runs. */
  readonly lateMinutes: number;
  readonly stillRunning: boolean;
  /** Whether it went on to the supervisor level. */
  readonly escalated: boolean;
}

export interface DigestStaff {
  /** Display name (or username); "(tanpa akun)" for replies from unlinked channel accounts. */
  readonly name: string;
  readonly staffId: number | null;
  /** Distinct tickets the officer publicly replied to that day. */
  readonly handled: number;
  /** Tickets opened that day whose first staff reply was theirs. */
  readonly firstResponses: number;
  readonly medianFirstResponseMinutes: number | null;
}

/** An integrity report of the day (brokers, illegal fees, bribes, scams). */
export interface DigestIntegrity {
  readonly ref: string;
  readonly status: 'open' | 'pending' | 'resolved' | 'closed';
  /** Officer holding it; null when nobody has claimed it. */
  readonly holder: string | null;
  /** When it was reported (opened, or flagged on an open ticket). */
  readonly reportedAt: string;
}

export interface DigestIntent {
  readonly intent: string;
  readonly count: number;
}

export interface DigestUnanswered {
  /** Masked: NIK, passport, phone numbers and e-mail addresses never appear. */
  readonly text: string;
  readonly count: number;
  readonly channels: readonly string[];
}

export interface DigestCsat {
  readonly count: number;
  /** Two decimals; null when nobody rated. */
  readonly average: number | null;
  /** Ratings of 1 or 2. */
  readonly low: number;
}

/** One day's headline figures (the comparison and the 7-day trend). */
export interface DayHeadline {
  readonly date: string;
  readonly messagesIn: number;
  readonly conversations: number;
  readonly botOnlyShare: number | null;
  readonly ticketsOpened: number;
  readonly ticketsResolved: number;
  readonly medianMinutes: number | null;
  readonly p90Minutes: number | null;
  readonly withinSlaShare: number | null;
  readonly csatAverage: number | null;
}

/** The mean of the 7 days before the digest's date; medians, shares, CSAT over the days that had one. */
export type HeadlineAverage = Omit<DayHeadline, 'date'> & { readonly from: string; readonly to: string };

export interface Digest {
  /** The office-local day described, YYYY-MM-DD. */
  readonly date: string;
  readonly timeZone: string;
  /** When it was built: figures that depend on later events (replies, breaches) are as of this moment. */
  readonly generatedAt: string;
  /** Inbound applicant messages. */
  readonly messagesIn: number;
  readonly byChannel: readonly ChannelCount[];
  /** Conversations with at least one inbound applicant message. */
  readonly conversations: number;
  /** Of those, handled by the bot alone (no ticket, no staff message that day). */
  readonly botOnly: number;
  readonly botOnlyShare: number | null;
  readonly tickets: DigestTickets;
  /** Tickets opened that day by origin (chat, or how staff received them), most first. */
  readonly byOrigin: readonly OriginCount[];
  readonly lapor: DigestLapor;
  readonly firstResponse: DigestFirstResponse;
  readonly firstResponseByHour: readonly HourlyFirstResponse[];
  readonly breaches: readonly DigestBreach[];
  /** Integrity reports opened or flagged that day, called out at the top of the text. */
  readonly integrity: readonly DigestIntegrity[];
  readonly staff: readonly DigestStaff[];
  readonly topIntents: readonly DigestIntent[];
  readonly unanswered: readonly DigestUnanswered[];
  readonly csat: DigestCsat;
  /** Complaint tickets opened that day per SERVQUAL dimension (all five, zeros included). */
  readonly servqual: Readonly<Record<ServqualDimension, number>>;
  readonly comparison: {
    readonly previousDay: DayHeadline;
    readonly sevenDayAverage: HeadlineAverage;
  };
  /** The 7 days ending with `date`, oldest first (the chart's trend). */
  readonly trend: readonly DayHeadline[];
}
