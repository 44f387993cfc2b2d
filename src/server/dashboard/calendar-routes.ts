/**
 * The holiday calendar's coverage for the admin's Kanal page: which years the holidays
 * file the bot runs with covers, the warning /healthz shows, and what to add (the file,
 * an entry to fill, where the decree is published). Judged by `evaluateHolidayCoverage`
 * at the server's clock, over the data loaded at start-up (what the SLA calendar uses).
 */
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core.js';
import { coverageJson, evaluateHolidayCoverage, exampleYearEntry, SKB_PUBLISHERS } from '../../sla/holidays.js';
import type { SlaPolicy } from '../../sla/policy.js';

export interface CalendarRouteDeps {
  readonly core: Core;
  readonly policy: SlaPolicy;
}

export function registerCalendarRoutes(app: FastifyInstance, { core, policy }: CalendarRouteDeps): void {
  app.get('/api/calendar', { config: { access: 'admin' } }, async () => {
    const coverage = evaluateHolidayCoverage(policy.holidays, core.clock.now(), core.timeZone);
    const year = coverage.missing[0]?.year ?? coverage.nextYear.year;
    return {
      coverage: coverageJson(coverage),
      // What to do, for the page to word (it is shown whenever a year is missing).
      guide: {
        file: policy.holidays.file,
        years: coverage.missing.map((need) => need.year),
        example: exampleYearEntry(year),
        publishers: SKB_PUBLISHERS,
        check: 'npx sapa calendar check',
      },
    };
  });
}
