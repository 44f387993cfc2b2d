/**
 * Alerts to staff and supervisors: new tickets, SLA warnings and breaches, integrity
 * reports, channel trouble, low satisfaction ratings. Each alert is stored (the
 * dashboard's feed) and queued as an outbound message to every configured staff
 * target through the outbox, in the transaction that caused it.
 */
import type { ChannelName, OutboundAttachment, QuickReply } from '../channels/channel.js';
import type { Clock } from './clock.js';
import type { EventBus } from './events.js';
import { prepared, type Db } from './store/db.js';
import { queueOutbound } from './store/messages.js';
import { ticketRecordings } from './store/ticket-media.js';
import { staffTexts } from './messages/staff.js';
import { maskPersonalData } from './privacy.js';

/** A ticket's summary cut for a summary post. */
function excerptOf(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

export type AlertAudience = 'staff' | 'supervisor';

export type AlertKind =
  | 'ticket_opened'
  /** Another voice note on an existing ticket (#22): the recording goes with the post. */
  | 'ticket_voice'
  | 'integrity_report'
  /** One address passed the web chat's new-ticket cap: its further complaints collect in one ticket. */
  | 'ticket_flood'
  /** One post summing up new-ticket alerts held during a spike. */
  | 'alert_batch'
  | 'sla_warning'
  | 'sla_breach'
  | 'sla_supervisor'
  | 'channel_problem'
  | 'csat_low'
  | 'digest'
  /** The holidays file has no official data for this or next year (weekly reminder). */
  | 'holiday_calendar'
  /** A burst of failed dashboard logins (guessing), at most once per window. */
  | 'login_failures';

/** A chat where staff or supervisors receive alerts (a group, or one person's chat). */
export interface AlertTarget {
  readonly channel: ChannelName;
  readonly externalId: string;
  readonly audience: AlertAudience;
}

export interface StaffAlert {
  readonly kind: AlertKind;
  readonly audience: AlertAudience;
  readonly ticketId: number | null;
  /** Already masked: alerts never carry NIK, passport or phone numbers. */
  readonly text: string;
  /** Action buttons (e.g. claim / resolve) for targets whose channel has buttons. */
  readonly quickReplies?: readonly QuickReply[];
  /**
   * Files sent with the post. A new ticket's post carries the applicant's recordings
   * without being asked (#22: officers hear a voice note where they answer it).
   */
  readonly attachments?: readonly OutboundAttachment[];
}

export interface StoredAlert extends StaffAlert {
  readonly id: number;
  readonly createdAt: Date;
}

export interface StaffAlerts {
  /**
   * Stores the alert and queues it to every target of its audience. Call inside the causing
   * transaction. During a spike (see AlertBatching) a new-ticket alert is stored but held for
   * a summary post instead: `messageIds` is then empty.
   */
  raise(alert: StaffAlert): { alertId: number; messageIds: number[] };
  /** Posts one summary for each kind whose held alerts have waited a full window; returns the summaries posted. */
  flushBatches(): number;
  targets(): readonly AlertTarget[];
  recent(limit: number): StoredAlert[];
}

export interface StaffAlertDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly bus: EventBus;
  readonly targets: readonly AlertTarget[];
  readonly batching?: AlertBatching;
}

/**
 * Staff alerts during a spike: once `threshold` alerts of a new-ticket kind were raised
 * within `windowMs`, further ones are held, and one summary post goes out when the oldest
 * held alert is a window old (again every window while the spike lasts).
 */
export interface AlertBatching {
  /** New-ticket alerts of one kind per window posted one by one; 0 = never batch. */
  readonly threshold: number;
  readonly windowMs: number;
}

/** The alerts a spike of new tickets produces, one per ticket. */
const BATCHED_KINDS = ['ticket_opened', 'integrity_report'] as const;
type BatchedKind = (typeof BATCHED_KINDS)[number];
const isBatched = (kind: AlertKind): kind is BatchedKind => (BATCHED_KINDS as readonly string[]).includes(kind);

/** Tickets named in a summary post. */
const SUMMARY_SAMPLES = 3;

/** The conversation that delivers to a staff target, created on first use. */
export function staffTargetConversation(db: Db, target: AlertTarget, now: Date): number {
  const found = prepared<[string, string], { id: number }>(db, 'SELECT id FROM conversations WHERE channel = ? AND external_id = ?')
    .get(target.channel, target.externalId);
  if (found) return found.id;
  const at = now.getTime();
  const contactId = Number(
    prepared(db, "INSERT INTO contacts (display_name, kind, created_at) VALUES (?, 'staff_target', ?)")
      .run(target.audience === 'supervisor' ? 'Supervisor' : 'Staff', at).lastInsertRowid,
  );
  return Number(
    prepared(db, 'INSERT INTO conversations (contact_id, channel, external_id, created_at) VALUES (?, ?, ?, ?)')
      .run(contactId, target.channel, target.externalId, at).lastInsertRowid,
  );
}

export function createStaffAlerts({ db, clock, bus, targets, batching }: StaffAlertDeps): StaffAlerts {
  const batchingOn = batching !== undefined && batching.threshold > 0;

  /** Holds a new-ticket alert when `threshold` of its kind were raised within the window. */
  const shouldHold = (kind: AlertKind, now: Date): boolean => {
    if (!batchingOn || !isBatched(kind)) return false;
    const recent = prepared<[string, number], { n: number }>(db, 'SELECT count(*) AS n FROM staff_alerts WHERE kind = ? AND created_at > ?')
      .get(kind, now.getTime() - batching.windowMs);
    return (recent?.n ?? 0) >= batching.threshold;
  };

  const summarise = (kind: BatchedKind, now: Date): boolean => {
    if (!batchingOn) return false;
    const oldest = prepared<[string], { at: number | null }>(db, "SELECT min(created_at) AS at FROM staff_alerts WHERE kind = ? AND batch_state = 'held'").get(kind);
    if (oldest?.at == null || now.getTime() - oldest.at < batching.windowMs) return false;
    const held = prepared<[string], { id: number; created_at: number; ticket_id: number | null; channel: string | null; summary: string | null }>(
      db,
      `SELECT a.id, a.created_at, a.ticket_id, t.channel, t.summary FROM staff_alerts a LEFT JOIN tickets t ON t.id = a.ticket_id
        WHERE a.kind = ? AND a.batch_state = 'held' ORDER BY a.id`,
    ).all(kind);
    const last = held.at(-1);
    if (last === undefined) return false;
    const channels = new Map<string, number>();
    for (const row of held) channels.set(row.channel ?? '-', (channels.get(row.channel ?? '-') ?? 0) + 1);
    const text = staffTexts.alertBatch({
      kind,
      count: held.length,
      minutes: Math.max(1, Math.ceil((now.getTime() - oldest.at) / 60_000)),
      channels: [...channels].sort((a, b) => b[1] - a[1]).map(([channel, count]) => ({ channel, count })),
      samples: held
        .filter((row) => row.ticket_id !== null)
        .slice(0, SUMMARY_SAMPLES)
        .map((row) => ({ ref: `#${row.ticket_id}`, excerpt: maskPersonalData(excerptOf(row.summary ?? '')) })),
    });
    const { alertId } = post({ kind: 'alert_batch', audience: kind === 'integrity_report' ? 'supervisor' : 'staff', ticketId: null, text }, now);
    prepared(db, "UPDATE staff_alerts SET batch_state = 'summarised', summary_alert_id = ? WHERE kind = ? AND batch_state = 'held' AND id <= ?").run(
      alertId,
      kind,
      last.id,
    );
    return true;
  };

  const post = (alert: StaffAlert, now: Date, held = false): { alertId: number; messageIds: number[] } => {
    const alertId = Number(
      prepared(db, 'INSERT INTO staff_alerts (kind, audience, ticket_id, text, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(alert.kind, alert.audience, alert.ticketId, alert.text, now.getTime()).lastInsertRowid,
    );
    const messageIds: number[] = [];
    if (held) prepared(db, "UPDATE staff_alerts SET batch_state = 'held' WHERE id = ?").run(alertId);
    const attachments = alert.attachments ?? (alert.kind === 'ticket_opened' && alert.ticketId !== null ? ticketRecordings(db, alert.ticketId) : []);
    for (const target of held ? [] : targets.filter((t) => t.audience === alert.audience)) {
      const conversationId = staffTargetConversation(db, target, now);
      const messageId = queueOutbound(
        db,
        { conversationId, ticketId: alert.ticketId, author: 'system', text: alert.text, quickReplies: alert.quickReplies ?? [], ...(attachments.length > 0 ? { attachments } : {}) },
        now,
      );
      prepared(db, 'UPDATE messages SET alert_id = ? WHERE id = ?').run(alertId, messageId);
      messageIds.push(messageId);
      bus.publish({ type: 'message.outbound', conversationId, messageId });
    }
    bus.publish({ type: 'alert.raised', alertId, kind: alert.kind, ticketId: alert.ticketId });
    return { alertId, messageIds };
  };

  const raiseTx = db.transaction((alert: StaffAlert): { alertId: number; messageIds: number[] } => {
    const now = clock.now();
    if (!shouldHold(alert.kind, now)) return post(alert, now);
    // A spike: stored for the dashboard's feed, summed up in one post a window later.
    const result = post(alert, now, true);
    if (isBatched(alert.kind)) summarise(alert.kind, now);
    return result;
  });
  const flushTx = db.transaction((): number => {
    const now = clock.now();
    let posted = 0;
    for (const kind of BATCHED_KINDS) if (summarise(kind, now)) posted += 1;
    return posted;
  });
  return {
    raise(alert) {
      return raiseTx(alert);
    },
    flushBatches() {
      return batchingOn ? flushTx() : 0;
    },
    targets: () => targets,
    recent(limit) {
      return prepared<[number], { id: number; kind: string; audience: string; ticket_id: number | null; text: string; created_at: number }>(db, 
          'SELECT * FROM staff_alerts ORDER BY id DESC LIMIT ?',
        )
        .all(limit)
        .map((row) => ({
          id: row.id,
          kind: row.kind as AlertKind,
          audience: row.audience as AlertAudience,
          ticketId: row.ticket_id,
          text: row.text,
          createdAt: new Date(row.created_at),
        }));
    },
  };
}

/** The ticket a staff-group post was about, from the provider id of that post. */
export function ticketOfStaffPost(db: Db, channel: ChannelName, chatId: string, providerMessageId: string): number | null {
  const row = prepared<[string, string, string], { ticket_id: number | null }>(db, 
      `SELECT m.ticket_id FROM messages m JOIN conversations c ON c.id = m.conversation_id
       WHERE c.channel = ? AND c.external_id = ? AND m.external_id = ? AND m.direction = 'out'
       ORDER BY m.id DESC LIMIT 1`,
    )
    .get(channel, chatId, providerMessageId);
  return row?.ticket_id ?? null;
}
