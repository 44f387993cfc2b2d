/** Builds the real core on an in-memory (or temp-file) SQLite database with a fake clock. */
import { pino } from 'pino';
import type { ChannelName, InboundMessage } from '../../channels/channel.js';
import { createFakeClock, type FakeClock } from '../../src/clock.js';
import { createCore, type Core } from '../../src/core.js';
import { loadKnowledgeBase } from '../../src/knowledge/index.js';
import type { KnowledgeBase } from '../../src/knowledge/types.js';
import { createClassifier } from '../../src/nlu/classifier.js';
import type { Classifier } from '../../src/nlu/types.js';
import { repoPath, REPO_ROOT } from '../../src/paths.js';
import { createSlaPlanner } from '../../src/sla/planner.js';
import type { AlertBatching, AlertTarget } from '../../src/staff-alerts.js';
import type { TicketFloodPolicy } from '../../src/tickets.js';
import { loadSlaPolicy, type SlaPolicy } from '../../src/sla/policy.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { createRecordingChannel, type RecordingChannel } from '../fakes/recording-channel.js';

let cachedKnowledge: KnowledgeBase | null = null;
let cachedPolicy: SlaPolicy | null = null;
let cachedClassifier: Classifier | null = null;

export function testKnowledge(): KnowledgeBase {
  cachedKnowledge ??= loadKnowledgeBase(repoPath('intents'), repoPath('data', 'office.yaml'));
  return cachedKnowledge;
}

/** Where tests keep trained models (vitest.config.ts sets it): training takes seconds. */
export const TEST_CLASSIFIER_OPTIONS = process.env['SAPA_MODEL_CACHE'] ? { cacheDir: process.env['SAPA_MODEL_CACHE'] } : {};

/** The classifier trained on testKnowledge(), once per test file (training takes seconds). */
export function testClassifier(): Classifier {
  cachedClassifier ??= createClassifier(testKnowledge(), TEST_CLASSIFIER_OPTIONS);
  return cachedClassifier;
}

/**
 * The repo's data/sla.yaml as if the office had confirmed its hours (`hours_confirmed: true`):
 * the tests check the times replies state. `unconfirmedPolicy()` is the file as shipped.
 */
export function testPolicy(): SlaPolicy {
  cachedPolicy ??= { ...unconfirmedPolicy(), hoursConfirmed: true };
  return cachedPolicy;
}

let cachedUnconfirmed: SlaPolicy | null = null;

/** data/sla.yaml as shipped: the hours are a default the office has not confirmed. */
export function unconfirmedPolicy(): SlaPolicy {
  cachedUnconfirmed ??= loadSlaPolicy({ file: 'data/sla.yaml', rootDir: REPO_ROOT, timeZone: 'Asia/Makassar' });
  return cachedUnconfirmed;
}

/** Monday 30 November 2026, 09:00 WITA: the office is open. */
export const MONDAY_MORNING = '2026-11-30T01:00:00Z';

export interface TestCore {
  readonly core: Core;
  readonly db: Db;
  readonly clock: FakeClock;
  readonly channel: RecordingChannel;
  /** An applicant writes; resolves after routing and one outbox pass. Returns the bot's replies. */
  say(text: string, options?: SayOptions): Promise<string[]>;
  /** Routes everything stored and sends what is due. */
  settle(): Promise<void>;
  close(): void;
}

export interface SayOptions {
  readonly from?: string;
  readonly id?: string;
  readonly payload?: string;
  readonly attachments?: InboundMessage['attachments'];
  readonly channel?: ChannelName;
}

export function createTestCore(
  options: {
    db?: Db;
    clock?: FakeClock;
    channel?: RecordingChannel;
    start?: string;
    alertTargets?: readonly AlertTarget[];
    /** A stub classifier (a fake input) instead of the trained one. */
    classifier?: Classifier;
    /** Flood control and alert batching, as `sapa start` sets them from the configuration. */
    ticketFlood?: TicketFloodPolicy;
    alertBatching?: AlertBatching;
    /** The SLA policy (default testPolicy(): the repo's hours, confirmed). */
    policy?: SlaPolicy;
  } = {},
): TestCore {
  const db = options.db ?? openDatabase(':memory:');
  const clock = options.clock ?? createFakeClock(options.start ?? MONDAY_MORNING);
  const core = createCore({
    db,
    clock,
    logger: pino({ level: 'silent' }),
    knowledge: testKnowledge(),
    classifier: options.classifier ?? testClassifier(),
    sla: createSlaPlanner(options.policy ?? testPolicy()),
    timeZone: 'Asia/Makassar',
    random: () => 0.5,
    ...(TEST_CLASSIFIER_OPTIONS.cacheDir !== undefined ? { modelCacheDir: TEST_CLASSIFIER_OPTIONS.cacheDir } : {}),
    ...(options.alertTargets ? { alertTargets: options.alertTargets } : {}),
    ...(options.ticketFlood ? { ticketFlood: options.ticketFlood } : {}),
    ...(options.alertBatching ? { alertBatching: options.alertBatching } : {}),
  });
  const channel = options.channel ?? createRecordingChannel('telegram');
  core.addChannel(channel);
  void channel.start(core.intake.sink);
  let counter = 0;

  const settle = async (): Promise<void> => {
    await core.intake.idle();
    while ((await core.outbox.runOnce()) > 0) {
      /* until nothing is due */
    }
  };

  return {
    core,
    db,
    clock,
    channel,
    settle,
    async say(text, say = {}) {
      counter += 1;
      const from = say.from ?? 'applicant-1';
      const before = channel.sent.length;
      await core.intake.sink.accept({
        channel: say.channel ?? channel.name,
        externalId: say.id ?? `m-${counter}-${Math.random().toString(36).slice(2)}`,
        conversationExternalId: from,
        sender: { externalId: from, displayName: `Pemohon ${from}` },
        text,
        attachments: say.attachments ?? [],
        receivedAt: clock.now(),
        ...(say.payload ? { quickReplyPayload: say.payload } : {}),
      });
      await settle();
      return channel.sent.slice(before).filter((m) => m.conversationExternalId === from).map((m) => m.text);
    },
    close() {
      db.close();
    },
  };
}
