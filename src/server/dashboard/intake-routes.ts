/**
 * Complaints received outside the chat channels (#21): `POST /api/tickets` records one
 * (src/desk-intake.ts), and `GET /api/tickets/:id/lapor-text` words a LAPOR! report's final
 * answer for pasting into the LAPOR! panel (src/lapor.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core.js';
import { createDeskIntake, IntakeError, type RecordComplaintInput } from '../../desk-intake.js';
import { RECORDED_ORIGINS, TICKET_PRIORITIES } from '../../domain.js';
import { SERVQUAL_DIMENSIONS } from '../../knowledge/types.js';
import { laporAnswerText } from '../../lapor.js';
import type { SlaPolicy } from '../../sla/policy.js';
import type { StaffService } from '../../staff.js';
import { prepared } from '../../store/db.js';
import { MAX_STORED_TEXT_CHARS } from '../../text-limits.js';
import { HttpError } from '../errors.js';
import { userOf } from './auth.js';
import { body, oneOf, optionalOneOf, positiveId, text } from './input.js';
import { assertCanAct } from './ticket-access.js';
import { createViews } from './ticket-view.js';

export interface IntakeRouteDeps {
  readonly core: Core;
  readonly staff: StaffService;
  readonly policy: SlaPolicy;
}

const CONTACT_FIELDS = ['phone', 'email', 'telegram', 'whatsapp'] as const;

/** An optional string field (absent, null or "" = not given). */
function optionalString(value: unknown, name: string, max: number): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new HttpError('VALIDATION', `${name} must be text`);
  if (value.length > max) throw new HttpError('VALIDATION', `${name} is longer than ${max} characters`);
  return value;
}

/** The request body as the intake takes it; every failure is a 400 naming the field. */
export function parseRecordRequest(input: Record<string, unknown>): RecordComplaintInput {
  const origin = oneOf(input['origin'], RECORDED_ORIGINS, 'origin');
  const rawContact = input['contact'];
  if (typeof rawContact !== 'object' || rawContact === null || Array.isArray(rawContact)) {
    throw new HttpError('VALIDATION', 'contact must be an object with name and optionally phone, email, telegram, whatsapp');
  }
  const contactInput = rawContact as Record<string, unknown>;
  const contact: { -readonly [K in keyof RecordComplaintInput['contact']]: RecordComplaintInput['contact'][K] } = {
    name: text(contactInput['name'], 'contact.name', 200),
  };
  for (const field of CONTACT_FIELDS) {
    const value = optionalString(contactInput[field], `contact.${field}`, 254);
    if (value !== undefined) contact[field] = value;
  }
  const priority = optionalOneOf(input['priority'], TICKET_PRIORITIES, 'priority');
  const servqual = optionalOneOf(input['servqual'], SERVQUAL_DIMENSIONS, 'servqual');
  const laporTrackingId = optionalString(input['laporTrackingId'], 'laporTrackingId', 40);
  const receivedRaw = optionalString(input['receivedAt'], 'receivedAt', 40);
  let receivedAt: Date | undefined;
  if (receivedRaw !== undefined) {
    // An ISO time with its zone: a bare "2026-12-01T09:00" would be read in the server's zone.
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(receivedRaw) || Number.isNaN(Date.parse(receivedRaw))) {
      throw new HttpError('VALIDATION', 'receivedAt must be an ISO 8601 time with its zone, e.g. 2026-12-01T09:00:00+08:00');
    }
    receivedAt = new Date(receivedRaw);
  }
  return {
    origin,
    contact,
    text: text(input['text'], 'text', MAX_STORED_TEXT_CHARS),
    ...(priority ? { priority } : {}),
    ...(servqual ? { servqual } : {}),
    ...(laporTrackingId !== undefined ? { laporTrackingId } : {}),
    ...(receivedAt ? { receivedAt } : {}),
  };
}

export function registerIntakeRoutes(app: FastifyInstance, { core, staff, policy }: IntakeRouteDeps): void {
  const { db } = core;
  const intake = createDeskIntake({ db, clock: core.clock, tickets: core.tickets });
  const intentLabel = (intent: string): string | null => core.knowledge().intents.get(intent)?.label.id ?? null;

  app.post('/api/tickets', async (request, reply) => {
    const user = userOf(request);
    const input = parseRecordRequest(body(request));
    try {
      const recorded = intake.record(input, user.account.id);
      const views = createViews({ db, staff, policy, now: core.clock.now(), viewer: user.account, intentLabel });
      return reply.code(201).send({
        ticket: views.ticket(recorded.ticket),
        contact: { id: recorded.ticket.contactId, matched: recorded.matched !== null, matchedBy: recorded.matched?.by ?? null },
        reachable: recorded.reachable,
      });
    } catch (err) {
      if (err instanceof IntakeError) throw new HttpError('VALIDATION', err.message);
      throw err;
    }
  });

  app.get('/api/tickets/:id/lapor-text', async (request) => {
    const user = userOf(request);
    const ticket = core.tickets.get(positiveId((request.params as { id: string }).id));
    // The text carries the reporter's name and the answer in full: for those who may act on the ticket.
    assertCanAct(user.account, ticket);
    if (ticket.origin !== 'lapor') throw new HttpError('CONFLICT', `ticket ${ticket.ref} is not a LAPOR! report`);
    const answer = prepared<[number], { text: string; created_at: number }>(
      db,
      `SELECT text, created_at FROM messages WHERE ticket_id = ? AND author = 'staff' AND direction = 'out' AND visibility = 'public'
        ORDER BY id DESC LIMIT 1`,
    ).get(ticket.id);
    if (answer === undefined) throw new HttpError('CONFLICT', `ticket ${ticket.ref} has no answer yet: reply or record the answer first`);
    const contactName = prepared<[number], { display_name: string | null }>(db, 'SELECT display_name FROM contacts WHERE id = ?').get(ticket.contactId)?.display_name ?? null;
    const officeName = core.knowledge().office['name']?.trim() || 'Kantor Imigrasi Kelas I TPI Kupang';
    return {
      ref: ticket.ref,
      laporTrackingId: ticket.laporTrackingId,
      text: laporAnswerText({ ticket, contactName, answer: answer.text, answeredAt: new Date(answer.created_at), officeName, timeZone: core.timeZone }),
    };
  });
}
