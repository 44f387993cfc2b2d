/**
 * Which tickets an officer may see and change (the team view of #18).
 *
 * - Supervisors and admins see and act on every ticket (taking over a claimed one included).
 * - Staff act on the tickets that are free or theirs ("full" access).
 * - Staff see a colleague's ticket read-only ("read" access): the ticket, its public
 *   messages (applicant, bot and staff replies) with personal numbers masked (NIK,
 *   passport, phone: maskPersonalData), but never its internal notes, the notes about
 *   the contact, or the contact's identifiers. Every action on it is refused (403); they
 *   may ask the holder to hand it over (a take-over request). So when an officer is away
 *   a colleague can see what is waiting and step in, while the holder's notes and the
 *   applicant's personal data stay with the holder until the ticket changes hands.
 * Every opening of a ticket, read-only ones included, is recorded in the audit log.
 */
import type { Ticket } from '../../domain.js';
import type { StaffAccount } from '../../staff.js';
import { HttpError } from '../errors.js';
import { hasRole } from './auth.js';

export type TicketAccess = 'full' | 'read';

export function seesEveryTicket(account: StaffAccount): boolean {
  return hasRole(account, 'supervisor');
}

/** May this officer act on the ticket (claim, reply, note, status, edits) and read its notes? */
export function canAct(account: StaffAccount, ticket: Ticket): boolean {
  return seesEveryTicket(account) || ticket.assigneeId === null || ticket.assigneeId === account.id;
}

export function accessOf(account: StaffAccount, ticket: Ticket): TicketAccess {
  return canAct(account, ticket) ? 'full' : 'read';
}

export function assertCanAct(account: StaffAccount, ticket: Ticket): void {
  if (!canAct(account, ticket)) throw new HttpError('FORBIDDEN', `ticket ${ticket.ref} is handled by another officer`);
}

export interface ShownMessage<M> {
  readonly message: M;
  /** Shown with personal numbers masked: it belongs to a ticket this officer may only read. */
  readonly masked: boolean;
}

/**
 * The part of an applicant's history an officer sees on one ticket's page:
 * - supervisors and admins see everything (they may act on every ticket anyway);
 * - of every ticket of the applicant, the public messages; internal notes only of the
 *   tickets the officer may act on (free or own): a colleague's notes stay private, on
 *   the colleague's ticket and when reached through the applicant's next ticket alike;
 * - messages of a ticket the officer may only read are masked, and so is everything on a
 *   read-only page (the bot conversation outside tickets included);
 * - messages outside any ticket (questions the bot answered) are shown when public.
 * `hidden` counts what was left out, so the page can say that a colleague holds more.
 */
export function visibleHistory<M extends { readonly ticketId: number | null; readonly visibility: string }>(
  account: StaffAccount,
  ticket: Ticket,
  messages: readonly M[],
  ticketOf: (id: number) => Ticket,
): { messages: ShownMessage<M>[]; hidden: number } {
  if (seesEveryTicket(account)) return { messages: messages.map((message) => ({ message, masked: false })), hidden: 0 };
  const pageReadOnly = !canAct(account, ticket);
  const full = new Map<number, boolean>([[ticket.id, !pageReadOnly]]);
  const fullOn = (id: number): boolean => {
    let ok = full.get(id);
    if (ok === undefined) {
      ok = canAct(account, ticketOf(id));
      full.set(id, ok);
    }
    return ok;
  };
  const shown: ShownMessage<M>[] = [];
  for (const message of messages) {
    const onFullTicket = message.ticketId !== null && fullOn(message.ticketId);
    if (message.visibility !== 'public' && !onFullTicket) continue;
    const masked = pageReadOnly || (message.ticketId !== null && !onFullTicket);
    shown.push({ message, masked });
  }
  return { messages: shown, hidden: messages.length - shown.length };
}
