/**
 * renderDigestText: the digest as one concise message for a phone. Headline numbers
 * first, then breaches, officers, topics, unanswered questions, satisfaction, SERVQUAL
 * and the comparison. Only figures from the Digest appear; its unanswered texts are
 * already masked, and nothing else carries applicant text.
 */
import { SERVQUAL_DIMENSIONS } from '../knowledge/types.js';
import { CHANNEL_LABELS, digestTexts as t, ORIGIN_LABELS, formatMinutes, formatNumber, formatShare, SERVQUAL_LABELS, STATUS_LABELS, TIMER_LABELS } from './texts.js';
import type { DayHeadline, Digest, HeadlineAverage } from './types.js';

const MAX_UNANSWERED_CHARS = 80;
/** Breaches and officers listed by name; the rest is summarised ("+3 lainnya") to keep the message short. */
const MAX_LISTED = 8;

export function renderDigestText(digest: Digest): string {
  const lines: string[] = [t.title(digest.date), ''];
  lines.push(t.messages(digest.messagesIn, digest.byChannel.map((c) => `${CHANNEL_LABELS[c.channel] ?? c.channel} ${c.count}`).join(' · ')));
  lines.push(t.conversations(digest.conversations, formatShare(digest.botOnlyShare)));
  lines.push(t.tickets(digest.tickets.opened, digest.tickets.resolved, digest.tickets.backlog));
  // #21: the load from the counter, phone, letters and LAPOR! next to the chat's.
  if (digest.byOrigin.some((o) => o.origin !== 'chat')) lines.push(t.origins(digest.byOrigin.map((o) => `${ORIGIN_LABELS[o.origin] ?? o.origin} ${o.count}`).join(' · ')));
  const lapor = digest.lapor;
  if (lapor.opened > 0 || lapor.open > 0) lines.push(t.lapor(lapor.opened, lapor.open, lapor.dueSoon, lapor.late));
  // Integrity reports first after the counts: each needs a supervisor's eyes today.
  if (digest.integrity.length > 0) {
    lines.push('', t.integrityTitle(digest.integrity.length));
    for (const r of digest.integrity.slice(0, MAX_LISTED)) lines.push(t.integrity(r.ref, STATUS_LABELS[r.status], r.holder ?? t.unclaimed));
    if (digest.integrity.length > MAX_LISTED) lines.push(`• +${digest.integrity.length - MAX_LISTED} lainnya`);
    lines.push('');
  }
  const oldest = digest.tickets.oldestOpen;
  if (oldest) lines.push(t.oldest(oldest.ref, oldest.priority === 'high', oldest.status === 'pending', formatMinutes(oldest.ageMinutes)));
  const fr = digest.firstResponse;
  lines.push(t.firstResponse(formatMinutes(fr.medianMinutes), formatMinutes(fr.p90Minutes), formatShare(fr.withinSlaShare), fr.met, fr.met + fr.breached, fr.count));
  if (fr.waiting > 0) lines.push(t.waiting(fr.waiting));

  if (digest.breaches.length > 0) {
    lines.push('', t.breachesTitle(digest.breaches.length));
    for (const b of digest.breaches.slice(0, MAX_LISTED)) {
      lines.push(t.breach(b.ref, TIMER_LABELS[b.timer], b.priority === 'high', b.holder ?? t.unclaimed, formatMinutes(b.lateMinutes), b.stillRunning, b.escalated));
    }
    if (digest.breaches.length > MAX_LISTED) lines.push(`• +${digest.breaches.length - MAX_LISTED} lainnya`);
  }

  if (digest.staff.length > 0) {
    lines.push('', t.staffTitle);
    for (const s of digest.staff.slice(0, MAX_LISTED)) lines.push(t.staff(s.name, s.handled, formatMinutes(s.medianFirstResponseMinutes), s.firstResponses));
    if (digest.staff.length > MAX_LISTED) lines.push(`• +${digest.staff.length - MAX_LISTED} lainnya`);
  }

  lines.push('', t.intents(digest.topIntents.length === 0 ? t.nothing : digest.topIntents.map((i) => `${i.intent.replace(/_/g, ' ')} (${i.count})`).join(', ')));
  if (digest.unanswered.length > 0) {
    lines.push(t.unansweredTitle);
    for (const q of digest.unanswered) lines.push(t.unanswered(shorten(q.text), q.count));
  }
  lines.push(digest.csat.average === null ? t.csatNone : t.csat(formatNumber(digest.csat.average), digest.csat.count, digest.csat.low));
  lines.push(t.servqual(SERVQUAL_DIMENSIONS.map((d) => `${SERVQUAL_LABELS[d]} ${digest.servqual[d]}`).join(' · ')));

  const today = headlineOf(digest);
  lines.push(
    '',
    t.versusYesterday(deltas(today, digest.comparison.previousDay, true)),
    // No percentages against an average: a fraction of a message a day makes them meaningless.
    t.versusAverage(deltas(today, digest.comparison.sevenDayAverage, false)),
  );
  return lines.join('\n');
}

function headlineOf(digest: Digest): DayHeadline {
  return digest.trend[digest.trend.length - 1]!;
}

function deltas(today: DayHeadline, before: DayHeadline | HeadlineAverage, percent: boolean): string {
  const parts = [
    t.deltaMessages(countDelta(today.messagesIn, before.messagesIn, percent)),
    t.deltaTickets(countDelta(today.ticketsOpened, before.ticketsOpened, percent)),
  ];
  if (today.medianMinutes !== null && before.medianMinutes !== null) parts.push(t.deltaMedian(signed(today.medianMinutes - before.medianMinutes, formatMinutes)));
  if (today.withinSlaShare !== null && before.withinSlaShare !== null) {
    parts.push(t.deltaSla(`${signed(Math.round((today.withinSlaShare - before.withinSlaShare) * 100), (n) => String(n))} poin`));
  }
  return parts.join(' · ');
}

/** "+5 (+14%)", "−2 (−10%)", "±0"; no percentage against a zero. */
function countDelta(now: number, before: number, percent: boolean): string {
  const diff = Math.round((now - before) * 10) / 10;
  if (diff === 0) return '±0';
  const pct = before === 0 || !percent ? '' : ` (${signed(Math.round((diff / before) * 100), (n) => `${n}%`)})`;
  return `${signed(diff, formatNumber)}${pct}`;
}

function signed(value: number, format: (abs: number) => string): string {
  if (value === 0) return '±0';
  return `${value > 0 ? '+' : '−'}${format(Math.abs(value))}`;
}

function shorten(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_UNANSWERED_CHARS ? `${oneLine.slice(0, MAX_UNANSWERED_CHARS - 1)}…` : oneLine;
}
