/**
 * Composition root: config -> log -> store -> knowledge -> core -> channels -> server
 * -> scheduler. The only module that knows the concrete adapters.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Channel } from '../channels/channel.js';
import { createTelegramChannel, type TelegramChannel } from '../channels/telegram.js';
import { createTelegramStaffGroup } from '../channels/telegram/staff-group.js';
import { createWebChannel } from '../channels/web.js';
import { createMetaChannel, createMetaWebhook, type MetaChannel, type MetaWebhook } from '../channels/meta.js';
import type { WhatsappChannel } from '../channels/whatsapp.js';
import { alertTargetsOf } from './alert-targets.js';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import { createCore, type Core } from './core.js';
import { createDigestScheduler } from './digest/index.js';
import { restrictUmask } from './file-modes.js';
import { createKnowledgeWatcher, loadKnowledgeBase, type KnowledgeWatcher } from './knowledge/index.js';
import { buildServer } from './server/app.js';
import { registerDashboard } from './server/dashboard/index.js';
import { staffTexts } from './messages/staff.js';
import { createHolidayCoverageAlerter } from './sla/holiday-alerts.js';
import { evaluateHolidayCoverage } from './sla/holidays.js';
import { createSlaPlanner } from './sla/planner.js';
import { createSlaScanner } from './sla/scanner.js';
import { loadSlaPolicy } from './sla/policy.js';
import { createStaffService, type StaffService } from './staff.js';
import { createVisitorIdentities, loadWebChatSecret } from './server/web-identity.js';
import { metaWebhookRoute } from './server/meta-webhook.js';
import { findConversation } from './store/conversations.js';
import { readChannelState, writeChannelState } from './store/channel-records.js';
import { describeMetaSetup, type MetaTokenView } from './meta-setup.js';
import { MAX_ATTACHMENT_BYTES } from './text-limits.js';
import { openDatabase } from './store/db.js';

export interface RunningApp {
  readonly core: Core;
  readonly server: FastifyInstance;
  /** The address the server listens on (port 0 in tests picks a free one). */
  readonly url: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  readonly clock?: Clock;
  /** Extra channels (tests pass recording channels). */
  readonly extraChannels?: readonly Channel[];
}

export async function startApp(config: Config, logger: Logger, options: StartOptions = {}): Promise<RunningApp> {
  const clock = options.clock ?? systemClock;
  const startedAt = Date.now();
  // The database, its WAL, backups and caches: readable by this user only (file-modes.ts).
  restrictUmask();
  const db = openDatabase(config.dbPath);
  const knowledge = loadKnowledgeBase(config.intentsDir, config.officeFile);
  const policy = loadSlaPolicy({ file: config.slaFile, timeZone: config.timeZone });
  // Web chat visitor ids are signed with this key; their address tag is the flood-control key.
  const identities = createVisitorIdentities(loadWebChatSecret({ configured: config.abuse.webChatSecret, dbPath: config.dbPath }));
  const core = createCore({
    db,
    clock,
    logger,
    knowledge,
    sla: createSlaPlanner(policy),
    timeZone: config.timeZone,
    alertTargets: alertTargetsOf(config),
    ...(config.modelCacheDir === null ? {} : { modelCacheDir: config.modelCacheDir }),
    ticketFlood: {
      perHour: config.abuse.webChatTicketsPerHour,
      originOf: (channel, externalId) => (channel === 'web' ? identities.addressTagOf(externalId) : null),
    },
    alertBatching: { threshold: config.abuse.alertBatchThreshold, windowMs: config.abuse.alertBatchWindowMs },
  });
  const slaScanner = createSlaScanner({
    db,
    clock,
    policy,
    alerts: core.alerts,
    logger: logger.child({ module: 'sla' }),
    timeZone: config.timeZone,
    cron: config.slaScanCron,
    bus: core.bus,
  });
  // Weekly staff reminder while the holidays file lacks official data for this or next year.
  const holidayAlerter = createHolidayCoverageAlerter({
    db,
    clock,
    holidays: policy.holidays,
    timeZone: config.timeZone,
    alerts: core.alerts,
    logger,
  });
  const digest = createDigestScheduler({
    db,
    clock,
    calendar: policy.calendar,
    timeZone: config.timeZone,
    alerts: core.alerts,
    bus: core.bus,
    logger,
    cron: config.digestCron,
  });

  const staff = createStaffService(db, () => clock.now());
  const web = createWebChannel({ now: () => clock.now() });
  const telegram = config.telegram === null ? null : createTelegram(config.telegram, core, staff, logger, clock);
  const channels: Channel[] = [web, ...(telegram ? [telegram] : []), ...(options.extraChannels ?? [])];
  if (config.whatsapp !== null) channels.push(await createWhatsapp(config.whatsapp, config.timeZone, core, staff, logger, clock));
  if (config.instagram !== null) {
    // Loaded only when configured: the unofficial library stays out of every other run.
    const { createInstagramChannel } = await import('../channels/instagram.js');
    channels.push(
      createInstagramChannel({
        username: config.instagram.username,
        password: config.instagram.password,
        db,
        logger,
        clock,
        pollInterval: { minMs: config.instagram.pollMinMs, maxMs: config.instagram.pollMaxMs },
        sendsPerMinute: config.instagram.sendsPerMinute,
        ...(config.instagram.proxyUrl !== null ? { proxyUrl: config.instagram.proxyUrl } : {}),
        onProblem: (text) => core.alerts.raise({ kind: 'channel_problem', audience: 'staff', ticketId: null, text }),
      }),
    );
  }
  const meta = config.meta === null ? null : createMeta(config.meta, core, logger, clock);
  if (meta !== null) channels.push(...meta.channels);
  if (config.email !== null) channels.push(await createEmail(config.email, core, logger, clock));
  for (const channel of channels) core.addChannel(channel);

  const server = await buildServer({
    db,
    logger,
    web,
    channels: () => core.channels(),
    problems: () => core.health.problems(),
    warnings: () => {
      const warning = evaluateHolidayCoverage(policy.holidays, clock.now(), config.timeZone).warning;
      return warning === null ? [] : [`calendar: ${warning.message}`];
    },
    webChatPerMinute: config.webChatPerMinute,
    http: config.http,
    webChat: {
      identities,
      visitorsPerHour: config.abuse.webChatVisitorsPerHour,
      now: () => clock.now(),
      knowledge: () => core.knowledge(),
      timeZone: config.timeZone,
    },
    plugins: [
      // Secure cookies when the configured public address is https (never from a request header).
      (app) =>
        registerDashboard(app, {
          core,
          staff,
          policy,
          secureCookies: config.http.publicUrl?.startsWith('https:') ?? false,
          publicUrl: config.http.publicUrl,
          metaSetup: () => describeMetaSetup(config, () => meta?.instagramToken() ?? null),
        }),
      ...(telegram && config.telegram?.webhookUrl ? [telegramWebhookRoute(telegram, config.telegram.webhookUrl)] : []),
      ...(meta !== null ? [metaWebhookRoute(meta.webhook)] : []),
    ],
  });

  const watcher: KnowledgeWatcher = createKnowledgeWatcher({
    dir: config.intentsDir,
    officeFile: config.officeFile,
    initial: knowledge,
    onReload: (kb) => {
      core.reloadKnowledge(kb);
      logger.info({ version: kb.version, intents: kb.intents.size }, 'knowledge base reloaded');
    },
    onError: (err) => logger.error({ err }, 'knowledge base edit rejected; the previous version stays in use'),
  });
  const onSighup = (): void => {
    watcher.reload();
  };
  process.on('SIGHUP', onSighup);

  // Intake before the server: messages stored before a crash are routed first.
  for (const channel of channels) await channel.start(core.intake.sink);
  await core.intake.drain();
  core.outbox.start();
  // Catch up on what came due while the bot was down, then scan on the schedule.
  slaScanner.tick();
  slaScanner.start();
  holidayAlerter.tick();
  holidayAlerter.start();
  // New-ticket alerts held during a spike go out as one summary a window later.
  const alertBatchTimer = setInterval(() => {
    try {
      core.alerts.flushBatches();
    } catch (err) {
      logger.error({ err }, 'staff alert summary failed; tried again shortly');
    }
  }, 30_000);
  alertBatchTimer.unref();
  const address = await server.listen({ port: config.port, host: config.host });
  // After listening: building a missed digest over a large database takes a moment.
  // Sends a digest missed while the bot was down, then runs at DIGEST_CRON.
  digest.start();
  logger.info({ url: address, startupMs: Date.now() - startedAt, channels: channels.map((c) => c.name) }, 'SAPA is running');

  let stopping: Promise<void> | null = null;
  return {
    core,
    server,
    url: address,
    stop() {
      stopping ??= (async () => {
        process.off('SIGHUP', onSighup);
        watcher.close();
        // Stop intake first, then finish routing and in-flight sends, then close the database.
        await server.close();
        clearInterval(alertBatchTimer);
        await slaScanner.stop();
        await holidayAlerter.stop();
        await digest.stop();
        for (const channel of channels) await channel.stop();
        await core.intake.idle();
        await core.outbox.stop();
        db.close();
        logger.info('SAPA stopped');
      })();
      return stopping;
    },
  };
}

/** Baileys is large: it is loaded only when WhatsApp is enabled, keeping start-up fast otherwise. */
async function createWhatsapp(
  wa: NonNullable<Config['whatsapp']>,
  timeZone: string,
  core: Core,
  staff: StaffService,
  logger: Logger,
  clock: Clock,
): Promise<WhatsappChannel> {
  const { createWhatsappChannel, createWhatsappStaffGroup } = await import('../channels/whatsapp.js');
  const group =
    wa.staffGroupJid === null
      ? null
      : createWhatsappStaffGroup({ db: core.db, tickets: core.tickets, staff, clock, logger, groupJid: wa.staffGroupJid, timeZone });
  return createWhatsappChannel({
    db: core.db,
    logger,
    clock,
    sendsPerMinute: wa.sendsPerMinute,
    perChatIntervalMs: wa.perChatIntervalMs,
    media: { maxBytes: wa.mediaMaxBytes, allowedMimeTypes: wa.mediaMimeTypes },
    ...(wa.pairingNumber !== null ? { pairingNumber: wa.pairingNumber } : {}),
    ...(group !== null && wa.staffGroupJid !== null
      ? { staffGroupJid: wa.staffGroupJid, onGroupMessage: (message, respond) => group.handle(message, respond) }
      : {}),
    // Logged out, replaced or refused: staff hear of it on the other channels (the dashboard shows the status).
    onProblem: (problem) =>
      core.alerts.raise({ kind: 'channel_problem', audience: 'staff', ticketId: null, text: staffTexts.whatsappProblem(problem.kind) }),
  });
}

/** Types of files applicants may attach on Telegram (kept on their ticket). */
const TELEGRAM_MEDIA_TYPES = ['image/jpeg', 'image/png', 'application/pdf'];

function createTelegram(
  telegram: NonNullable<Config['telegram']>,
  core: Core,
  staff: StaffService,
  logger: Logger,
  clock: Clock,
): TelegramChannel {
  const staffChatId = telegram.staffChatId;
  const staffGroup =
    staffChatId === null
      ? null
      : createTelegramStaffGroup({ db: core.db, tickets: core.tickets, staff, clock, logger, staffChatId, timeZone: core.timeZone });
  return createTelegramChannel({
    token: telegram.token,
    apiRoot: telegram.apiRoot,
    // loadConfig refuses TELEGRAM_WEBHOOK_URL without TELEGRAM_WEBHOOK_SECRET.
    ...(telegram.webhookUrl !== null && telegram.webhookSecret !== null
      ? { webhook: { url: telegram.webhookUrl, secretToken: telegram.webhookSecret } }
      : {}),
    sendsPerSecond: telegram.sendsPerSecond,
    logger,
    clock,
    media: { maxBytes: MAX_ATTACHMENT_BYTES, allowedMimeTypes: TELEGRAM_MEDIA_TYPES },
    ...(staffChatId !== null && staffGroup !== null ? { staffChatId, onGroupUpdate: staffGroup.onGroupUpdate } : {}),
  });
}

/**
 * POST <path of TELEGRAM_WEBHOOK_URL>: 401 on a wrong secret, 200 once the update is stored,
 * and 200 for a malformed update with the right secret (logged: redelivering it cannot help).
 * The body reaches the handler as text, so it is parsed only after the secret was checked.
 */
function telegramWebhookRoute(telegram: TelegramChannel, webhookUrl: string): (app: FastifyInstance) => Promise<void> {
  const path = new URL(webhookUrl).pathname;
  return async (app) => {
    await app.register(async (scope) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
      scope.post(path, { bodyLimit: 1024 * 1024 }, async (request, reply) => {
        const header = request.headers['x-telegram-bot-api-secret-token'];
        const result = await telegram.handleWebhook(request.body, typeof header === 'string' ? header : undefined);
        return reply.code(result.status).send();
      });
    });
  };
}

/** Types of files applicants may attach on Messenger and Instagram (kept on their ticket). */
const META_MEDIA_TYPES = ['image/jpeg', 'image/png', 'application/pdf'];

/** Where the official Instagram channel keeps its refreshed access token (channel_state). */
const INSTAGRAM_TOKEN_STATE = { channel: 'instagram', key: 'official.access_token' } as const;

/** Messenger and the official Instagram API: one webhook (GET/POST /webhooks/meta) for both channels. */
function createMeta(
  meta: NonNullable<Config['meta']>,
  core: Core,
  logger: Logger,
  clock: Clock,
): { channels: MetaChannel[]; webhook: MetaWebhook; instagramToken: () => MetaTokenView | null } {
  const common = {
    apiVersion: meta.graphApiVersion,
    humanAgentTag: meta.humanAgentTag,
    media: { maxBytes: MAX_ATTACHMENT_BYTES, allowedMimeTypes: META_MEDIA_TYPES },
    logger,
    clock,
    onProblem: (text: string) => core.alerts.raise({ kind: 'channel_problem', audience: 'staff', ticketId: null, text }),
  };
  // The 24-hour window runs from the applicant's last message, as the core recorded it.
  const lastInboundAt = (channel: 'messenger' | 'instagram') => (externalId: string) =>
    findConversation(core.db, channel, externalId)?.lastInboundAt ?? null;
  const channels: MetaChannel[] = [];
  if (meta.messenger !== null) {
    channels.push(
      createMetaChannel({ ...common, kind: 'messenger', accountId: meta.messenger.pageId, accessToken: meta.messenger.accessToken, apiRoot: meta.graphApiRoot, lastInboundAt: lastInboundAt('messenger') }),
    );
  }
  let instagram: MetaChannel | null = null;
  if (meta.instagram !== null) {
    instagram = createMetaChannel({
      ...common,
      kind: 'instagram',
      accountId: meta.instagram.accountId,
      accessToken: meta.instagram.accessToken,
      apiRoot: meta.instagramGraphApiRoot,
      lastInboundAt: lastInboundAt('instagram'),
      // The 60-day token is refreshed before it expires and kept in the database.
      tokenStore: {
        load: () => readChannelState(core.db, INSTAGRAM_TOKEN_STATE.channel, INSTAGRAM_TOKEN_STATE.key),
        save: (json) => writeChannelState(core.db, INSTAGRAM_TOKEN_STATE.channel, INSTAGRAM_TOKEN_STATE.key, json, clock.now()),
      },
      tokenApiRoot: meta.instagramGraphApiRoot,
      onTokenWarning: (text) => core.alerts.raise({ kind: 'channel_problem', audience: 'staff', ticketId: null, text }),
    });
    channels.push(instagram);
  }
  const instagramToken = (): MetaTokenView | null => {
    const status = instagram?.tokenStatus() ?? null;
    if (status === null) return null;
    return {
      source: status.source,
      expiresAt: status.expiresAt.toISOString(),
      expiryEstimated: status.expiryEstimated,
      refreshedAt: status.refreshedAt?.toISOString() ?? null,
      lastError: status.lastError,
    };
  };
  return { channels, webhook: createMetaWebhook({ appSecret: meta.appSecret, verifyToken: meta.verifyToken, targets: channels, logger }), instagramToken };
}

/** Types of files applicants may attach to an e-mail (kept on their ticket), as on Messenger and Instagram. */
const EMAIL_MEDIA_TYPES = ['image/jpeg', 'image/png', 'application/pdf'];

/** The e-mail channel (IMAP + SMTP), loaded only when configured; it reaches the store through the EmailDirectory built here. */
async function createEmail(email: NonNullable<Config['email']>, core: Core, logger: Logger, clock: Clock): Promise<Channel> {
  const { createEmailChannel } = await import('../channels/email.js');
  const { createEmailStore } = await import('./store/email-threads.js');
  return createEmailChannel({
    imap: email.imap,
    smtp: email.smtp,
    from: email.from,
    pollMs: email.pollSeconds * 1000,
    directory: createEmailStore(core.db, {
      onDeliveryFailed: ({ conversationId, messageId }) => core.bus.publish({ type: 'message.delivery', conversationId, messageId, status: 'failed' }),
    }),
    media: { maxBytes: MAX_ATTACHMENT_BYTES, allowedMimeTypes: EMAIL_MEDIA_TYPES },
    office: () => core.knowledge().office,
    logger,
    clock,
    onProblem: (text) => core.alerts.raise({ kind: 'channel_problem', audience: 'staff', ticketId: null, text }),
  });
}
