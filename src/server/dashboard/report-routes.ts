/**
 * Reports (supervisor): first response, SLA compliance and volume over a date range,
 * as JSON and as server-rendered SVG charts. Knowledge (staff): the questions the bot
 * could not answer. Both use src/metrics, the same code as the daily digest.
 */
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core.js';
import { dateKeyOf, dateRange, localDateOf, metricsReport, unansweredQuestions, type DateRange } from '../../metrics/index.js';
import { parseDateKey } from '../../sla/calendar.js';
import type { SlaPolicy } from '../../sla/policy.js';
import { CHART_NAMES, chartOption, renderSvg } from './charts.js';
import { limit, oneOf } from './input.js';

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

  app.get('/api/knowledge/unanswered', async (request) => {
    const range = rangeOf(request.query);
    const q = request.query as Record<string, unknown>;
    const questions = unansweredQuestions(core.db, { startMs: range.startMs, endMs: range.endMs, limit: limit(q['limit'], 100, 500) });
    return { from: range.from, to: range.to, questions: questions.map((item) => ({ ...item, lastAt: item.lastAt.toISOString() })) };
  });
}
