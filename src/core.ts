/**
 * The conversation core without any transport: store, knowledge, classifier, tickets,
 * router, intake and outbox. `sapa start`, `sapa chat` and the tests all build it here,
 * then attach the channels they run.
 */
import type { Logger } from 'pino';
import type { Channel } from '../channels/channel.js';
import type { Clock } from './clock.js';
import { createChannelRecords } from './channel-records.js';
import { createEventBus, type EventBus } from './events.js';
import { createHealthMonitor, type HealthMonitor } from './health.js';
import { createIntake, type Intake } from './intake.js';
import { withOfficeHours } from './knowledge/load.js';
import type { KnowledgeBase } from './knowledge/types.js';
import { createClassifier } from './nlu/classifier.js';
import type { Classifier } from './nlu/types.js';
import { createOutboxDispatcher, type BackoffPolicy, type OutboxDispatcher } from './outbox.js';
import { createRouter, type Router } from './router.js';
import { createStaffAlerts, type AlertBatching, type AlertTarget, type StaffAlerts } from './staff-alerts.js';
import type { Db } from './store/db.js';
import { createTicketService, type SlaPlanner, type TicketFloodPolicy, type TicketService } from './tickets.js';

export interface CoreDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly knowledge: KnowledgeBase;
  /**
   * A classifier already trained on `knowledge` (tests and `sapa test-dialogues` share one, or
   * pass a stub); default: trained here. A knowledge reload always trains a new one.
   */
  readonly classifier?: Classifier;
  readonly sla: SlaPlanner;
  readonly timeZone: string;
  /** Where staff and supervisor alerts go (staff groups, supervisors' chats); none = dashboard only. */
  readonly alertTargets?: readonly AlertTarget[];
  readonly backoff?: BackoffPolicy;
  readonly random?: () => number;
  /** Where trained NLU models are kept between starts (training takes seconds, loading milliseconds). */
  readonly modelCacheDir?: string;
  /** New tickets per web chat address per hour, across visitor ids; none = no cap. */
  readonly ticketFlood?: TicketFloodPolicy;
  /** One summary post instead of one per new ticket during a spike; none = always one each. */
  readonly alertBatching?: AlertBatching;
}

export interface Core {
  readonly db: Db;
  readonly clock: Clock;
  readonly bus: EventBus;
  readonly tickets: TicketService;
  readonly alerts: StaffAlerts;
  /** Current problems (disk full, read-only database) for /healthz. */
  readonly health: HealthMonitor;
  readonly router: Router;
  readonly intake: Intake;
  readonly outbox: OutboxDispatcher;
  readonly sla: SlaPlanner;
  readonly timeZone: string;
  knowledge(): KnowledgeBase;
  classifier(): Classifier;
  /** Swaps in an edited knowledge base (file watch or SIGHUP) and retrains the classifier. */
  reloadKnowledge(next: KnowledgeBase): void;
  channels(): readonly Channel[];
  addChannel(channel: Channel): void;
  removeChannel(channel: Channel): void;
}

export function createCore(deps: CoreDeps): Core {
  const { db, clock, logger, sla, timeZone } = deps;
  // `{{office.opening_hours}}` comes from the SLA policy's confirmed hours, the one place they are written.
  const withHours = (kb: KnowledgeBase): KnowledgeBase => withOfficeHours(kb, sla.officeHoursText());
  let knowledge = withHours(deps.knowledge);
  const classifierOptions = {
    ...(deps.modelCacheDir !== undefined ? { cacheDir: deps.modelCacheDir } : {}),
    onError: (err: unknown) => logger.warn({ err }, 'NLU model cache or classification problem'),
  };
  let classifier = deps.classifier ?? createClassifier(knowledge, classifierOptions);
  const channels: Channel[] = [];
  const bus = createEventBus((err, event) => logger.error({ err, event: event.type }, 'event listener failed'));
  const alerts = createStaffAlerts({ db, clock, bus, targets: deps.alertTargets ?? [], ...(deps.alertBatching ? { batching: deps.alertBatching } : {}) });
  const tickets = createTicketService({ db, clock, sla, bus, alerts, timeZone, ...(deps.ticketFlood ? { flood: deps.ticketFlood } : {}) });
  const router = createRouter({
    db,
    clock,
    classifier: () => classifier,
    knowledge: () => knowledge,
    tickets,
    alerts,
    sla,
    bus,
    timeZone,
    longAnswers: (name) => channels.some((channel) => channel.name === name && channel.capabilities.longAnswers === true),
  });
  const health = createHealthMonitor();
  const outbox = createOutboxDispatcher({
    health,
    db,
    clock,
    channels: () => channels,
    logger: logger.child({ module: 'outbox' }),
    bus,
    ...(deps.backoff ? { backoff: deps.backoff } : {}),
    ...(deps.random ? { random: deps.random } : {}),
  });
  const records = createChannelRecords({ db, clock, bus, tickets, logger });
  const intake = createIntake({ db, clock, router, logger: logger.child({ module: 'intake' }), health, onRouted: () => outbox.kick(), records });
  // Staff replies and notes are committed outside the router: deliver them promptly too.
  bus.subscribe((event) => {
    if (event.type === 'message.outbound') outbox.kick();
  });

  return {
    db,
    clock,
    bus,
    tickets,
    alerts,
    health,
    router,
    intake,
    outbox,
    sla,
    timeZone,
    knowledge: () => knowledge,
    classifier: () => classifier,
    reloadKnowledge(next) {
      const nextClassifier = createClassifier(next, classifierOptions);
      knowledge = withHours(next);
      classifier = nextClassifier;
    },
    channels: () => channels,
    addChannel(channel) {
      if (channels.some((c) => c.name === channel.name)) throw new Error(`channel ${channel.name} is already added`);
      channels.push(channel);
    },
    removeChannel(channel) {
      const index = channels.indexOf(channel);
      if (index >= 0) channels.splice(index, 1);
    },
  };
}
