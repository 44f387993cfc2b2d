/**
 * Queueing a digest to one supervisor target, once per (date, target), even across
 * restarts: the `digest_deliveries` row and the outbound message (text + PNG) are written
 * in one transaction, and the row's unique key turns every later attempt into a no-op.
 * The outbox then delivers it like any alert (retries, order, restarts).
 */
import type { OutboundAttachment } from '../../channels/channel.js';
import type { EventBus } from '../events.js';
import { staffTargetConversation, type AlertTarget } from '../staff-alerts.js';
import { inTransaction, prepared, type Db } from '../store/db.js';
import { queueOutbound } from '../store/messages.js';

export interface QueuedDigest {
  readonly target: AlertTarget;
  readonly messageId: number;
}

const targetKey = (channel: string, externalId: string): string => `${channel}\u0000${externalId}`;

/** Targets (channel + chat) that already have the digest of `date`. */
export function deliveredTargetKeys(db: Db, date: string): Set<string> {
  return new Set(
    prepared<[string], { channel: string; external_id: string }>(db, 'SELECT channel, external_id FROM digest_deliveries WHERE date = ?')
      .all(date)
      .map((row) => targetKey(row.channel, row.external_id)),
  );
}

export function isDelivered(db: Db, date: string, target: AlertTarget): boolean {
  return deliveredTargetKeys(db, date).has(targetKey(target.channel, target.externalId));
}

/** The latest date any target received; null before the first digest. */
export function lastDeliveredDate(db: Db): string | null {
  return prepared<[], { date: string | null }>(db, 'SELECT MAX(date) AS date FROM digest_deliveries').get()?.date ?? null;
}

export interface QueueDigestInput {
  readonly date: string;
  readonly target: AlertTarget;
  readonly text: string;
  readonly attachments: readonly OutboundAttachment[];
  readonly now: Date;
}

/**
 * Queues the digest to one target unless it already has it. Returns the message id, or
 * null when a row for (date, target) existed (another process or an earlier run won).
 * The first delivery of a date also records one 'digest' alert for the dashboard feed.
 */
export function queueDigest(db: Db, input: QueueDigestInput, bus?: EventBus): QueuedDigest | null {
  const { date, target, now } = input;
  const queued = inTransaction(db, () => {
    const at = now.getTime();
    const inserted = prepared(
      db,
      `INSERT INTO digest_deliveries (date, channel, external_id, created_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (date, channel, external_id) DO NOTHING`,
    ).run(date, target.channel, target.externalId, at);
    if (inserted.changes !== 1) return null;
    const deliveryId = Number(inserted.lastInsertRowid);
    const alertId = alertOfDate(db, date) ?? insertDigestAlert(db, input.text, at);
    const conversationId = staffTargetConversation(db, target, now);
    const messageId = queueOutbound(db, { conversationId, author: 'system', text: input.text, attachments: input.attachments }, now);
    prepared(db, 'UPDATE messages SET alert_id = ? WHERE id = ?').run(alertId, messageId);
    prepared(db, 'UPDATE digest_deliveries SET message_id = ?, alert_id = ? WHERE id = ?').run(messageId, alertId, deliveryId);
    return { conversationId, messageId, alertId, first: alertOfDateCount(db, date) === 1 };
  });
  if (queued === null) return null;
  // Published after the commit: the dispatcher sends at once instead of at its next timer.
  bus?.publish({ type: 'message.outbound', conversationId: queued.conversationId, messageId: queued.messageId });
  if (queued.first) bus?.publish({ type: 'alert.raised', alertId: queued.alertId, kind: 'digest', ticketId: null });
  return { target, messageId: queued.messageId };
}

function alertOfDate(db: Db, date: string): number | null {
  return (
    prepared<[string], { alert_id: number }>(db, 'SELECT alert_id FROM digest_deliveries WHERE date = ? AND alert_id IS NOT NULL LIMIT 1').get(date)
      ?.alert_id ?? null
  );
}

function alertOfDateCount(db: Db, date: string): number {
  return prepared<[string], { n: number }>(db, 'SELECT COUNT(*) AS n FROM digest_deliveries WHERE date = ?').get(date)?.n ?? 0;
}

function insertDigestAlert(db: Db, text: string, at: number): number {
  return Number(
    prepared(db, "INSERT INTO staff_alerts (kind, audience, ticket_id, text, created_at) VALUES ('digest', 'supervisor', NULL, ?, ?)").run(text, at)
      .lastInsertRowid,
  );
}
