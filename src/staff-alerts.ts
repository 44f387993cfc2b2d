/**
 * Alerts to staff and supervisors: new tickets, SLA warnings and breaches, integrity
 * reports, channel trouble, low satisfaction ratings. Each alert is stored (the
 * dashboard's feed) and queued as an outbound message to every configured staff
 * target through the outbox, in the transaction that caused it.
 */
import type { ChannelName, QuickReply } from '../channels/channel.js';
import type { Clock } from './clock.js';
import type { EventBus } from './events.js';
import { prepared, type Db } from './store/db.js';
import { queueOutbound } from './store/messages.js';

export type AlertAudience = 'staff' | 'supervisor';

export type AlertKind =
  | 'ticket_opened'
  | 'integrity_report'
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
}

export interface StoredAlert extends StaffAlert {
  readonly id: number;
  readonly createdAt: Date;
}

export interface StaffAlerts {
  /** Stores the alert and queues it to every target of its audience. Call inside the causing transaction. */
  raise(alert: StaffAlert): { alertId: number; messageIds: number[] };
  targets(): readonly AlertTarget[];
  recent(limit: number): StoredAlert[];
}

export interface StaffAlertDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly bus: EventBus;
  readonly targets: readonly AlertTarget[];
}

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

export function createStaffAlerts({ db, clock, bus, targets }: StaffAlertDeps): StaffAlerts {
  const raiseTx = db.transaction((alert: StaffAlert): { alertId: number; messageIds: number[] } => {
    const now = clock.now();
    const alertId = Number(
      prepared(db, 'INSERT INTO staff_alerts (kind, audience, ticket_id, text, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(alert.kind, alert.audience, alert.ticketId, alert.text, now.getTime()).lastInsertRowid,
    );
    const messageIds: number[] = [];
    for (const target of targets.filter((t) => t.audience === alert.audience)) {
      const conversationId = staffTargetConversation(db, target, now);
      const messageId = queueOutbound(
        db,
        { conversationId, ticketId: alert.ticketId, author: 'system', text: alert.text, quickReplies: alert.quickReplies ?? [] },
        now,
      );
      prepared(db, 'UPDATE messages SET alert_id = ? WHERE id = ?').run(alertId, messageId);
      messageIds.push(messageId);
      bus.publish({ type: 'message.outbound', conversationId, messageId });
    }
    bus.publish({ type: 'alert.raised', alertId, kind: alert.kind, ticketId: alert.ticketId });
    return { alertId, messageIds };
  });
  return {
    raise(alert) {
      return raiseTx(alert);
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
