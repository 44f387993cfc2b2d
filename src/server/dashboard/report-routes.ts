/**
 * Reports (supervisor): first response, SLA compliance and volume over a date range,
 * as JSON and as server-rendered SVG charts. Knowledge (staff): the questions the bot
 * could not answer. Both use src/metrics, the same code as the daily digest.
 */
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core.js';
import {
  dateKeyOf,
  dateRange,
  integrityReportsBetween,
  localDateOf,
  metricsReport,
  ticketFactsBetween,
  unansweredQuestions,
  verdict,
  type DateRange,
} from '../../metrics/index.js';
import { ticketRef } from '../../domain.js';
import { parseDateKey } from '../../sla/calendar.js';
import type { SlaPolicy } from '../../sla/policy.js';
import { CHART_NAMES, chartOption, renderSvg } from './charts.js';
import { limit, oneOf, optionalOneOf } from './input.js';

const DRILL_SLA = ['met', 'breached', 'pending'] as const;

export interface ReportRouteDeps {
  readonly core: Core;
  readonly policy: SlaPolicy;
}

const DEFAULT_DAYS = 7;

export function registerReportRoutes(app: FastifyInstance, { core, policy }: ReportRouteDeps): void {
  /** `from`/`to` (YYYY-MM-DD, office-local), defaulting to the last seven days up to today. */
  const rangeOf = (query: unknown): DateRange => {
    const q = query as Record<string, unknown>;
    const today = localDateOf(core.clock.now(), core.timeZone);
    const to = typeof q['to'] === 'string' && q['to'] !== '' ? q['to'] : today;
    const from =
      typeof q['from'] === 'string' && q['from'] !== '' ? q['from'] : dateKeyOf((parseDateKey(to) ?? parseDateKey(today)!) - (DEFAULT_DAYS - 1));
    return dateRange(from, to, core.timeZone);
  };

  app.get('/api/reports', { config: { access: 'supervisor' } }, async (request) =>
    metricsReport(core.db, policy.calendar, rangeOf(request.query), core.clock.now()),
  );

  app.get('/api/reports/charts/:chart', { config: { access: 'supervisor' } }, async (request, reply) => {
    const name = oneOf((request.params as { chart: string }).chart.replace(/\.svg$/, ''), CHART_NAMES, 'chart');
    const report = metricsReport(core.db, policy.calendar, rangeOf(request.query), core.clock.now());
    const svg = await renderSvg(chartOption(name, report));
    return reply.type('image/svg+xml; charset=utf-8').header('cache-control', 'private, no-store').send(svg);
  });

  /**
   * Drill-down from a report figure to its tickets: the tickets opened in the range (as the
   * figures count them), narrowed by `channel`, `intent`, `servqual`, `sla` (first-response
   * verdict: met, breached, pending) or `integrity=1` (reports opened or flagged in the range).
   */
  app.get('/api/reports/tickets', { config: { access: 'supervisor' } }, async (request) => {
    const range = rangeOf(request.query);
    const q = request.query as Record<string, unknown>;
    const str = (key: string): string | undefined => (typeof q[key] === 'string' && q[key] !== '' ? (q[key] as string) : undefined);
    const sla = optionalOneOf(q['sla'], DRILL_SLA, 'sla');
    const nowMs = core.clock.now().getTime();
    const reports = q['integrity'] === '1' ? integrityReportsBetween(core.db, range.startMs, range.endMs) : null;
    // A report flagged in the range may have been opened before it: read from the oldest one's opening.
    const facts = reports
      ? ticketFactsBetween(core.db, Math.min(range.startMs, ...reports.map((r) => r.openedMs)), range.endMs).filter((f) => reports.some((r) => r.ticketId === f.id))
      : ticketFactsBetween(core.db, range.startMs, range.endMs);
    const channel = str('channel');
    const origin = str('origin');
    const intent = str('intent');
    const servqual = str('servqual');
    const max = limit(q['limit'], 200, 500);
    const matching = facts.filter(
      (f) =>
        (channel === undefined || f.channel === channel) &&
        (origin === undefined || f.origin === origin) &&
        (intent === undefined || f.intent === intent) &&
        (servqual === undefined || f.servqual === servqual) &&
        (sla === undefined || verdict(f.firstResponseMs, f.firstResponseDueMs, nowMs) === sla),
    );
    const statuses = new Map(
      matching.length === 0
        ? []
        : core.db
            .prepare<number[], { id: number; status: string }>(`SELECT id, status FROM tickets WHERE id IN (${matching.map(() => '?').join(',')})`)
            .all(...matching.map((f) => f.id))
            .map((row) => [row.id, row.status]),
    );
    return {
      from: range.from,
      to: range.to,
      total: matching.length,
      tickets: matching.slice(0, max).map((f) => ({
        id: f.id,
        ref: ticketRef(f.id),
        status: statuses.get(f.id) ?? null,
        channel: f.channel,
        origin: f.origin,
        intent: f.intent,
        servqual: f.servqual,
        priority: f.priority,
        createdAt: new Date(f.createdMs).toISOString(),
        firstResponse: verdict(f.firstResponseMs, f.firstResponseDueMs, nowMs),
      })),
    };
  });

  app.get('/api/knowledge/unanswered', async (request) => {
    const range = rangeOf(request.query);
    const q = request.query as Record<string, unknown>;
    const questions = unansweredQuestions(core.db, { startMs: range.startMs, endMs: range.endMs, limit: limit(q['limit'], 100, 500) });
    return { from: range.from, to: range.to, questions: questions.map((item) => ({ ...item, lastAt: item.lastAt.toISOString() })) };
  });
}
