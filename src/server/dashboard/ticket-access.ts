/**
 * Which tickets an officer may see and change. Staff work the tickets that are free or
 * theirs; supervisors and admins see and act on every ticket (taking over a claimed one
 * included). Personal data in another officer's ticket stays with that officer.
 */
import type { Ticket } from '../../domain.js';
import type { StaffAccount } from '../../staff.js';
import { HttpError } from '../errors.js';
import { hasRole } from './auth.js';

export function seesEveryTicket(account: StaffAccount): boolean {
  return hasRole(account, 'supervisor');
}

export function canSee(account: StaffAccount, ticket: Ticket): boolean {
  return seesEveryTicket(account) || ticket.assigneeId === null || ticket.assigneeId === account.id;
}

export function assertCanSee(account: StaffAccount, ticket: Ticket): void {
  if (!canSee(account, ticket)) throw new HttpError('FORBIDDEN', `ticket ${ticket.ref} is handled by another officer`);
}

/**
 * The part of an applicant's history an officer sees on one ticket's page. The rule:
 * - supervisors and admins see everything (they may open every ticket anyway);
 * - an officer sees every message of this ticket, internal notes included;
 * - of the applicant's other tickets, only those the officer could open directly
 *   (unassigned or their own), notes included: opening ticket #4 never shows the
 *   messages or notes of ticket #1 held by a colleague, so refusing #1 means something;
 * - messages outside any ticket (questions the bot answered, hand-over prompts) are
 *   shown when public: they are the applicant's conversation with the bot, the context
 *   an officer needs, and belong to no colleague. (Internal notes always sit on a ticket.)
 * `hidden` counts what was left out, so the page can say that a colleague holds more.
 */
export function visibleHistory<M extends { readonly ticketId: number | null; readonly visibility: string }>(
  account: StaffAccount,
  ticket: Ticket,
  messages: readonly M[],
  ticketOf: (id: number) => Ticket,
): { messages: M[]; hidden: number } {
  if (seesEveryTicket(account)) return { messages: [...messages], hidden: 0 };
  const allowed = new Map<number, boolean>([[ticket.id, true]]);
  const mayRead = (m: M): boolean => {
    if (m.ticketId === null) return m.visibility === 'public';
    let ok = allowed.get(m.ticketId);
    if (ok === undefined) {
      ok = canSee(account, ticketOf(m.ticketId));
      allowed.set(m.ticketId, ok);
    }
    return ok;
  };
  const shown = messages.filter(mayRead);
  return { messages: shown, hidden: messages.length - shown.length };
}
