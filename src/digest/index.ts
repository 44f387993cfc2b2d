/** The daily supervisor digest: figures (build), text, chart, once-only delivery, schedule. */
export { buildDigest, minutesOf, type DigestOptions } from './build.js';
export { digestChartOption, renderDigestChart, renderDigestSvg } from './chart.js';
export { deliveredTargetKeys, isDelivered, lastDeliveredDate, queueDigest, type QueuedDigest } from './deliveries.js';
export {
  assertDigestCron,
  createDigestScheduler,
  DEFAULT_CATCH_UP_DAYS,
  DEFAULT_DIGEST_CRON,
  DigestScheduleError,
  type DigestScheduler,
  type DigestSchedulerDeps,
} from './scheduler.js';
export { chartFileName, sendDigest, supervisorTargets, type DigestSendDeps, type DigestSendReport } from './send.js';
export { renderDigestText } from './text.js';
export type * from './types.js';
