/**
 * `GET /api/tickets.csv?from=&to=&origin=` (#21): the tickets opened in a date range as CSV
 * (src/ticket-export.ts), for the office's monthly reports. Personal data is masked unless
 * the caller is an admin; every export is written to the audit log (UU PDP accountability).
 */
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core.js';
import { TICKET_ORIGINS } from '../../domain.js';
import { dateRange } from '../../metrics/days.js';
import { exportFileName, exportTicketsCsv } from '../../ticket-export.js';
import { HttpError } from '../errors.js';
import type { AuditLog } from './audit.js';
import { userOf } from './auth.js';
import { optionalOneOf } from './input.js';

export interface ExportRouteDeps {
  readonly core: Core;
  readonly audit: AuditLog;
}

export function registerExportRoutes(app: FastifyInstance, { core, audit }: ExportRouteDeps): void {
  app.get('/api/tickets.csv', async (request, reply) => {
    const user = userOf(request);
    const q = request.query as Record<string, unknown>;
    const from = q['from'];
    const to = q['to'];
    if (typeof from !== 'string' || from === '' || typeof to !== 'string' || to === '') {
      throw new HttpError('VALIDATION', 'from and to are required, as dates YYYY-MM-DD');
    }
    const range = dateRange(from, to, core.timeZone);
    const origin = optionalOneOf(q['origin'], TICKET_ORIGINS, 'origin');
    const masked = user.account.role !== 'admin';
    const csv = exportTicketsCsv(core.db, { range, ...(origin ? { origin } : {}), masked, timeZone: core.timeZone, now: core.clock.now() });
    audit.record({
      staffId: user.account.id,
      username: user.account.username,
      action: 'tickets_exported',
      target: `${range.from}..${range.to}`,
      ip: request.ip,
      data: { origin: origin ?? null, masked },
    });
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${exportFileName(range, origin)}"`)
      .send(csv);
  });
}
