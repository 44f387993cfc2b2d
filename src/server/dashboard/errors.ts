/**
 * Domain errors -> the HTTP error catalogue, for the dashboard's error boundary. Anything
 * not listed falls through to the app's own mapping (and is logged there as a 500).
 */
import { IntakeError } from '../../desk-intake.js';
import { DateRangeError } from '../../metrics/days.js';
import { StaffError } from '../../staff.js';
import { TicketError } from '../../tickets.js';
import { HttpError, toHttpError } from '../errors.js';

const TICKET: Readonly<Record<TicketError['code'], HttpError['code']>> = {
  TICKET_NOT_FOUND: 'NOT_FOUND',
  TICKET_CLOSED: 'CONFLICT',
  TICKET_INVALID_TRANSITION: 'CONFLICT',
  TICKET_EMPTY_TEXT: 'VALIDATION',
  TICKET_UNREACHABLE: 'CONFLICT',
};

const STAFF: Readonly<Record<StaffError['code'], HttpError['code']>> = {
  STAFF_INVALID_USERNAME: 'VALIDATION',
  STAFF_EXISTS: 'CONFLICT',
  STAFF_NOT_FOUND: 'NOT_FOUND',
  STAFF_WEAK_PASSWORD: 'VALIDATION',
  STAFF_INVALID_ROLE: 'VALIDATION',
  STAFF_INVALID_LINK: 'VALIDATION',
  STAFF_LINK_TAKEN: 'CONFLICT',
};

export function dashboardHttpError(err: unknown): HttpError {
  if (err instanceof TicketError) return new HttpError(TICKET[err.code], err.message);
  if (err instanceof StaffError) return new HttpError(STAFF[err.code], err.message);
  if (err instanceof IntakeError) return new HttpError('VALIDATION', err.message);
  if (err instanceof DateRangeError) return new HttpError('VALIDATION', err.message);
  return toHttpError(err);
}
