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
