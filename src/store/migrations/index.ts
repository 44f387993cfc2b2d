/**
 * Every migration, in order. One file per version; a released migration is never
 * edited: add a new file and list it here.
 */
import { coreSchema } from './001-core.js';
import { staffAlerts } from './002-staff-alerts.js';
import { slaEscalations } from './003-escalations.js';
import { dashboard } from './004-dashboard.js';
import { satisfaction } from './005-satisfaction.js';
import { digestDeliveries } from './006-digest.js';
import { reportIndexes } from './007-report-indexes.js';
import { activeTickets } from './008-active-tickets.js';
import { outboxInMessages } from './009-outbox-in-messages.js';
import { holidayCoverageAlerts } from './010-holiday-coverage-alerts.js';
import { dialogueState } from './011-dialogue-state.js';
import { floodControl } from './012-flood-control.js';
import { staffDesk } from './013-staff-desk.js';
import { messageReceipts } from './014-message-receipts.js';
import { ticketOrigin } from './015-ticket-origin.js';
import { audioDuration } from './016-audio-duration.js';
import type { Migration } from './types.js';

export type { Migration };

export const MIGRATIONS: readonly Migration[] = [coreSchema, staffAlerts, slaEscalations, dashboard, satisfaction, digestDeliveries, reportIndexes, activeTickets, outboxInMessages, holidayCoverageAlerts, dialogueState, floodControl, staffDesk, messageReceipts, ticketOrigin, audioDuration];
