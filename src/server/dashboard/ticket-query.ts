/**
 * The queue query: listTickets' filters and order (nearest running SLA due time first), plus
 * a search's hits and the rule "free or own tickets" (an OR that TicketFilter cannot
 * express). Kept next to its only user; it reads through the tickets_status index.
 */
import type { ChannelName } from '../../../channels/channel.js';
import type { Ticket, TicketOrigin, TicketPriority, TicketStatus } from '../../domain.js';
import type { Db } from '../../store/db.js';
import { toTicket, type TicketRow } from '../../store/mappers.js';

export interface QueueFilter {
  readonly status: readonly TicketStatus[];
  readonly priority?: TicketPriority;
  readonly assignee?: number | 'none';
  readonly channel?: ChannelName;
  /** Where the complaint came from (#21). */
  readonly origin?: TicketOrigin;
  /** Only tickets that are unassigned or assigned to this officer. */
  readonly visibleTo?: number;
  /** Only these tickets (a search's hits). */
  readonly ids?: readonly number[];
  readonly limit: number;
}

export function queueTickets(db: Db, filter: QueueFilter): Ticket[] {
  if (filter.ids !== undefined && filter.ids.length === 0) return [];
  const where: string[] = [];
  const values: (string | number)[] = [];
  if (filter.ids !== undefined) {
    where.push(`id IN (${filter.ids.map(() => '?').join(', ')})`);
    values.push(...filter.ids);
  }
  if (filter.status.length > 0) {
    where.push(`status IN (${filter.status.map(() => '?').join(', ')})`);
    values.push(...filter.status);
  }
  if (filter.priority) {
    where.push('priority = ?');
    values.push(filter.priority);
  }
  if (filter.assignee === 'none') where.push('assignee_id IS NULL');
  else if (filter.assignee !== undefined) {
    where.push('assignee_id = ?');
    values.push(filter.assignee);
  }
  if (filter.channel) {
    where.push('channel = ?');
    values.push(filter.channel);
  }
  if (filter.origin) {
    where.push('origin = ?');
    values.push(filter.origin);
  }
  if (filter.visibleTo !== undefined) {
    where.push('(assignee_id IS NULL OR assignee_id = ?)');
    values.push(filter.visibleTo);
  }
  const sql = `SELECT * FROM tickets ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY CASE WHEN status IN ('open', 'pending') THEN 0 ELSE 1 END,
             -- A met first-response timer keeps its due time; only a running one is "next".
             MIN(COALESCE(CASE WHEN first_response_at IS NULL THEN first_response_due_at END, 9e15),
                 COALESCE(next_response_due_at, 9e15), COALESCE(resolution_due_at, 9e15)),
             id DESC
    LIMIT ?`;
  return db
    .prepare<(string | number)[], TicketRow>(sql)
    .all(...values, filter.limit)
    .map(toTicket);
}
