/**
 * Sending one date's digest to every supervisor target that does not have it yet:
 * build the figures once, render text and chart once, then one transaction per target
 * (deliveries.ts). Used by the scheduler and by `sapa digest --send`.
 */
import type { Logger } from 'pino';
import type { OutboundAttachment } from '../../channels/channel.js';
import type { EventBus } from '../events.js';
import type { BusinessCalendar } from '../sla/calendar.js';
import type { AlertTarget } from '../staff-alerts.js';
import type { Db } from '../store/db.js';
import { buildDigest } from './build.js';
import { renderDigestChart } from './chart.js';
import { deliveredTargetKeys, queueDigest, type QueuedDigest } from './deliveries.js';
import { renderDigestText } from './text.js';
import type { Digest } from './types.js';

export interface DigestSendDeps {
  readonly db: Db;
  readonly calendar: BusinessCalendar;
  readonly timeZone: string;
  /** Supervisor targets (Telegram chats, WhatsApp numbers). */
  readonly targets: () => readonly AlertTarget[];
  readonly logger: Logger;
  readonly bus?: EventBus;
  /** Replaceable in tests (a failing renderer); default echarts + resvg. */
  readonly renderChart?: (digest: Digest) => Promise<Uint8Array>;
}

export interface DigestSendReport {
  readonly date: string;
  /** Targets the digest was queued to now. */
  readonly queued: readonly QueuedDigest[];
  /** Targets that already had it (sent earlier, by this or another process). */
  readonly alreadySent: readonly AlertTarget[];
}

export const chartFileName = (date: string): string => `sapa-ringkasan-${date}.png`;

export function supervisorTargets(targets: readonly AlertTarget[]): AlertTarget[] {
  return targets.filter((target) => target.audience === 'supervisor');
}

export async function sendDigest(deps: DigestSendDeps, date: string, now: Date): Promise<DigestSendReport> {
  const targets = supervisorTargets(deps.targets());
  const done = deliveredTargetKeys(deps.db, date);
  const key = (t: AlertTarget): string => `${t.channel}\u0000${t.externalId}`;
  const missing = targets.filter((t) => !done.has(key(t)));
  const alreadySent = targets.filter((t) => done.has(key(t)));
  if (missing.length === 0) return { date, queued: [], alreadySent };

  const digest = buildDigest(deps.db, { date, calendar: deps.calendar, timeZone: deps.timeZone, now });
  const text = renderDigestText(digest);
  const attachments: OutboundAttachment[] = [];
  try {
    const png = await (deps.renderChart ?? renderDigestChart)(digest);
    attachments.push({ kind: 'image', mimeType: 'image/png', fileName: chartFileName(date), data: png });
  } catch (err) {
    // The figures matter more than the picture: send the text rather than nothing.
    deps.logger.error({ err, date }, 'digest chart failed to render; sending the text only');
  }

  const queued: QueuedDigest[] = [];
  for (const target of missing) {
    const result = queueDigest(deps.db, { date, target, text, attachments, now }, deps.bus);
    if (result === null) alreadySent.push(target);
    else queued.push(result);
  }
  return { date, queued, alreadySent };
}
