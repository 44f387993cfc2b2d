/**
 * The staff desk: what a staff command does, for any staff chat. Identifies the
 * person (only active staff accounts act), runs the command through
 * TicketService (which writes a ticket event with the staff id for every
 * change) and says what happened in one short Indonesian line. Expected
 * failures (unknown ticket, closed ticket, wrong status) become outcomes;
 * anything else (database busy) is thrown so the transport retries.
 */
import type { Clock } from '../clock.js';
import type { Ticket } from '../domain.js';
import type { StaffAccount, StaffService } from '../staff.js';
import type { Db } from '../store/db.js';
import { getTicket } from '../store/tickets.js';
import { TicketError, type TicketService } from '../tickets.js';
import type { StaffCommand, StaffRequest } from './commands.js';
import { deskTexts } from './texts.js';
import { renderTicket, staffName } from './ticket-view.js';

/** Who wrote, as the staff chat's transport knows them. */
export type StaffIdentity =
  | { readonly channel: 'telegram'; readonly userId: string }
  | { readonly channel: 'whatsapp'; readonly number: string };

export type StaffDeskResult =
  /** Something changed (or, for /tiket and /bantuan, was shown). */
  | 'done'
  /** Nothing to change: already claimed by this person, already resolved. */
  | 'unchanged'
  /** Not an active, linked staff account: nothing was looked at or changed. */
  | 'refused'
  /** A valid person asked for something impossible (unknown ticket, closed, malformed). */
  | 'rejected';

export interface StaffDeskOutcome {
  readonly result: StaffDeskResult;
  /** Feedback for the staff chat. */
  readonly text: string;
  /** The ticket after the command, when one was involved and exists. */
  readonly ticket?: Ticket;
  readonly staff?: StaffAccount;
}

export interface StaffDesk {
  identify(identity: StaffIdentity): StaffAccount | null;
  /** Synchronous and transactional (SQLite): callers can wrap it in their own transaction. */
  execute(identity: StaffIdentity, request: StaffRequest): StaffDeskOutcome;
  /** Name shown for the officer holding a ticket. */
  holderName(ticket: Ticket): string | null;
}

export interface StaffDeskDeps {
  readonly db: Db;
  readonly tickets: TicketService;
  readonly staff: StaffService;
  readonly clock: Clock;
  readonly timeZone: string;
}

export function createStaffDesk(deps: StaffDeskDeps): StaffDesk {
  const { db, tickets, staff } = deps;

  function identify(identity: StaffIdentity): StaffAccount | null {
    // Both lookups only return accounts that are not disabled.
    return identity.channel === 'telegram' ? staff.findByTelegramUserId(identity.userId) : staff.findByWhatsappNumber(identity.number);
  }

  function linkHint(identity: StaffIdentity): string | null {
    return identity.channel === 'telegram' ? `npx sapa staff link-telegram <username> ${identity.userId}` : null;
  }

  function run(account: StaffAccount, command: StaffCommand): StaffDeskOutcome {
    if (command.type === 'help') return { result: 'done', text: deskTexts.help, staff: account };
    const before = getTicket(db, command.ticketId);
    if (before === null) return { result: 'rejected', text: deskTexts.notFound(command.ticketId), staff: account };
    const outcome = (result: StaffDeskResult, text: string, ticket: Ticket = before): StaffDeskOutcome => ({ result, text, ticket, staff: account });
    try {
      switch (command.type) {
        case 'show':
          return outcome('done', renderTicket(deps, before));
        case 'claim': {
          if (before.assigneeId === account.id) return outcome('unchanged', deskTexts.alreadyYours(before));
          if (before.assigneeId !== null && !command.takeover) {
            return outcome('rejected', deskTexts.heldByOther(before, staffName(staff, before.assigneeId) ?? ''));
          }
          return outcome('done', deskTexts.claimed(before), tickets.claim(before.id, account.id));
        }
        case 'resolve': {
          if (before.status === 'resolved') return outcome('unchanged', deskTexts.alreadyResolved(before));
          return outcome('done', deskTexts.resolved(before), tickets.setStatus(before.id, 'resolved', { type: 'staff', staffId: account.id }));
        }
        case 'reply':
          return outcome('done', deskTexts.replied(before), tickets.staffReply(before.id, account.id, command.text).ticket);
        case 'note':
          return outcome('done', deskTexts.noted(before), tickets.addNote(before.id, account.id, command.text).ticket);
      }
    } catch (err) {
      if (!(err instanceof TicketError)) throw err;
      switch (err.code) {
        case 'TICKET_NOT_FOUND':
          return { result: 'rejected', text: deskTexts.notFound(command.ticketId), staff: account };
        case 'TICKET_CLOSED':
          return outcome('rejected', deskTexts.closed(before));
        case 'TICKET_INVALID_TRANSITION':
          return outcome('rejected', before.status === 'closed' ? deskTexts.closed(before) : deskTexts.notAllowed(before));
        case 'TICKET_EMPTY_TEXT':
          return outcome('rejected', deskTexts.emptyText);
        case 'TICKET_UNREACHABLE':
          return outcome('rejected', deskTexts.unreachable(before));
      }
    }
  }

  return {
    identify,
    execute(identity, request) {
      const account = identify(identity);
      if (account === null) return { result: 'refused', text: deskTexts.notLinked(linkHint(identity)) };
      if (request.type === 'malformed') return { result: 'rejected', text: request.hint, staff: account };
      return run(account, request);
    },
    holderName: (ticket) => staffName(staff, ticket.assigneeId),
  };
}
