/**
 * The daily digest on the dashboard (supervisor): the same figures as the message the
 * supervisors receive (src/digest, over src/metrics), as JSON with its rendered text,
 * and its chart as SVG for the reports page.
 */
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core.js';
import { buildDigest, renderDigestSvg, renderDigestText } from '../../digest/index.js';
import type { Digest } from '../../digest/types.js';
import { dateKeyOf, localDateOf } from '../../metrics/days.js';
import { parseDateKey } from '../../sla/calendar.js';
import type { SlaPolicy } from '../../sla/policy.js';
import { HttpError } from '../errors.js';

export interface DigestRouteDeps {
  readonly core: Core;
  readonly policy: SlaPolicy;
}

export function registerDigestRoutes(app: FastifyInstance, { core, policy }: DigestRouteDeps): void {
  /** `date` (YYYY-MM-DD, office-local); default yesterday, like the morning message. Today shows the day so far. */
  const digestOf = (query: unknown): Digest => {
    const value = (query as Record<string, unknown>)['date'];
    const now = core.clock.now();
    const today = parseDateKey(localDateOf(now, core.timeZone))!;
    let date = dateKeyOf(today - 1);
    if (typeof value === 'string' && value !== '') {
      const day = /^\d{4}-\d{2}-\d{2}$/.test(value) ? parseDateKey(value) : undefined;
      if (day === undefined) throw new HttpError('VALIDATION', 'date must be a real date written YYYY-MM-DD');
      if (day > today) throw new HttpError('VALIDATION', 'date is in the future');
      date = value;
    }
    return buildDigest(core.db, { date, calendar: policy.calendar, timeZone: core.timeZone, now });
  };

  app.get('/api/digest', { config: { access: 'supervisor' } }, async (request) => {
    const digest = digestOf(request.query);
    return { ...digest, text: renderDigestText(digest) };
  });

  app.get('/api/digest/chart.svg', { config: { access: 'supervisor' } }, async (request, reply) => {
    const svg = await renderDigestSvg(digestOf(request.query));
    return reply.type('image/svg+xml; charset=utf-8').header('cache-control', 'private, no-store').send(svg);
  });
}
