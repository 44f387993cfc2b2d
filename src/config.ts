/**
 * The only reader of process.env. Every variable is validated here; a wrong value
 * stops start-up with a message naming the variable and what is accepted.
 * `.env` in the working directory is loaded first when present (never committed).
 */
import { modelCacheDirOf as modelCacheBesideDb } from './paths.js';
import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { config as loadDotenv } from 'dotenv';
import { validate as validateCron } from 'node-cron';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface TelegramConfig {
  readonly token: string;
  readonly apiRoot: string;
  readonly webhookUrl: string | null;
  readonly webhookSecret: string | null;
  readonly sendsPerSecond: number;
  readonly staffChatId: string | null;
  readonly supervisorChatIds: readonly string[];
}

export interface WhatsappConfig {
  readonly pairingNumber: string | null;
  readonly staffGroupJid: string | null;
  readonly sendsPerMinute: number;
  readonly perChatIntervalMs: number;
  readonly mediaMaxBytes: number;
  readonly mediaMimeTypes: readonly string[];
  /** Supervisors' numbers (international, digits only): they receive the daily digest. */
  readonly supervisorNumbers: readonly string[];
}

export interface InstagramConfig {
  readonly username: string;
  readonly password: string;
  readonly pollMinMs: number;
  readonly pollMaxMs: number;
  readonly sendsPerMinute: number;
  readonly proxyUrl: string | null;
}

/** Meta's official platform (channels/meta): Messenger and Instagram API with Instagram Login, one webhook. */
export interface MetaConfig {
  readonly appSecret: string;
  readonly verifyToken: string;
  readonly graphApiRoot: string;
  readonly instagramGraphApiRoot: string;
  readonly graphApiVersion: string;
  readonly humanAgentTag: boolean;
  readonly messenger: { readonly pageId: string; readonly accessToken: string } | null;
  readonly instagram: { readonly accountId: string; readonly accessToken: string } | null;
}

/** The e-mail channel (channels/email): a mailbox read over IMAP, replies over SMTP. */
export interface EmailConfig {
  readonly imap: {
    readonly host: string;
    readonly port: number;
    /** imaps: TLS from the start; imap: STARTTLS (required, except on loopback). */
    readonly secure: boolean;
    readonly requireTls: boolean;
    readonly user: string;
    readonly pass: string;
    readonly mailbox: string;
  };
  readonly smtp: {
    readonly host: string;
    readonly port: number;
    readonly secure: boolean;
    readonly requireTls: boolean;
    readonly user: string | null;
    readonly pass: string | null;
  };
  readonly from: { readonly address: string; readonly name?: string };
  readonly pollSeconds: number;
}

/**
 * Which proxies may say who the client is (X-Forwarded-For, X-Forwarded-Proto): none, the
 * nearest N hops, or the proxies' addresses / CIDR ranges. Decides `request.ip` everywhere
 * (rate limits, audit log).
 */
export type TrustProxy = false | number | readonly string[];

/** The HTTP server's exposure: who it trusts, and the limits that hold before a body is parsed. */
export interface HttpConfig {
  readonly trustProxy: TrustProxy;
  /** The address applicants and staff use (PUBLIC_URL); https turns on Secure cookies and upgrade-insecure-requests. */
  readonly publicUrl: string | null;
  /** Origins allowed to frame the chat page (the office website with the widget), besides SAPA itself. */
  readonly frameAncestors: readonly string[];
  readonly bodyLimit: number;
  readonly chatBodyLimit: number;
  /** Largest voice note recorded on the chat page (POST /chat/voice). */
  readonly voiceBodyLimit: number;
  readonly jsonMaxDepth: number;
  readonly requestTimeoutMs: number;
  readonly headersTimeoutMs: number;
  /** A socket with no traffic either way for this long is closed. */
  readonly connectionTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  readonly maxConnections: number;
  /** Open connections from one address; enforced only when no proxy is trusted (behind one, the proxy limits). */
  readonly maxConnectionsPerAddress: number;
  /** Requests per address per minute, counted before the body is read; 0 = off. */
  readonly requestsPerMinutePerAddress: number;
  readonly streams: StreamConfig;
}

/** Server-sent event streams (web chat replies, dashboard updates). */
export interface StreamConfig {
  /** Web chat streams from one address (a visitor has one: a new one replaces the old). */
  readonly perAddress: number;
  /** Dashboard streams of one session (tabs); the oldest is replaced. */
  readonly perSession: number;
  readonly total: number;
  readonly heartbeatMs: number;
  /** A stream that carried no event for this long is ended; the browser reconnects and resumes. */
  readonly idleTimeoutMs: number;
}

export interface Config {
  readonly dbPath: string;
  /** Where trained NLU models are kept between starts; beside the database unless SAPA_MODEL_CACHE says otherwise. */
  readonly modelCacheDir: string | null;
  readonly port: number;
  readonly host: string;
  readonly timeZone: string;
  readonly logLevel: LogLevel;
  readonly intentsDir: string;
  readonly officeFile: string;
  readonly slaFile: string;
  readonly slaScanCron: string;
  /** Daily supervisor digest schedule (node-cron, office time zone). */
  readonly digestCron: string;
  /** Web chat: messages one visitor may send per minute. */
  readonly webChatPerMinute: number;
  readonly http: HttpConfig;
  readonly telegram: TelegramConfig | null;
  readonly whatsapp: WhatsappConfig | null;
  readonly instagram: InstagramConfig | null;
  /** Messenger and the official Instagram API (null when neither is configured). */
  readonly meta: MetaConfig | null;
  /** The e-mail channel (null unless EMAIL_IMAP_URL is set). */
  readonly email: EmailConfig | null;
  readonly abuse: AbuseConfig;
}

/** Web chat identities and flood control that holds across them. */
export interface AbuseConfig {
  /** WEB_CHAT_SECRET: signs visitor ids; null = a key kept beside the database (made on first start). */
  readonly webChatSecret: string | null;
  /** New visitor ids one address may get per hour. */
  readonly webChatVisitorsPerHour: number;
  /** New tickets one web chat address may open per hour (across visitor ids); beyond, complaints join one flood ticket. */
  readonly webChatTicketsPerHour: number;
  /** New-ticket alerts per window posted one by one; beyond, one summary post per window. 0 = never batch. */
  readonly alertBatchThreshold: number;
  readonly alertBatchWindowMs: number;
}

export class ConfigError extends Error {
  readonly code = 'SAPA_CONFIG';
  constructor(
    readonly variable: string,
    readonly problem: string,
  ) {
    super(`${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Reads `.env` (if present) into process.env without overriding variables already set. */
export function loadDotenvFile(cwd = process.cwd()): void {
  const file = resolve(cwd, '.env');
  if (existsSync(file)) loadDotenv({ path: file, quiet: true });
}

export function loadConfig(env: Env = process.env): Config {
  const reader = createEnvReader(env);
  const token = reader.optionalString('TELEGRAM_BOT_TOKEN');
  const telegram: TelegramConfig | null =
    token === null
      ? null
      : {
          token: validateTelegramToken(token),
          apiRoot: reader.url('TELEGRAM_API_ROOT', 'https://api.telegram.org'),
          webhookUrl: reader.optionalUrl('TELEGRAM_WEBHOOK_URL'),
          webhookSecret: reader.optionalMatching(
            'TELEGRAM_WEBHOOK_SECRET',
            /^[A-Za-z0-9_-]{1,256}$/,
            '1-256 characters of A-Z, a-z, 0-9, _ and -',
          ),
          sendsPerSecond: reader.number('TELEGRAM_SENDS_PER_SECOND', 30, { min: 0, max: 1000 }),
          staffChatId: reader.optionalMatching('TELEGRAM_STAFF_CHAT_ID', /^-?\d+$/, 'a numeric chat id such as -1001234567890'),
          supervisorChatIds: reader.list('TELEGRAM_SUPERVISOR_CHAT_IDS', /^-?\d+$/, 'comma-separated numeric chat ids'),
        };
  if (telegram?.webhookUrl && telegram.webhookSecret === null) {
    throw new ConfigError('TELEGRAM_WEBHOOK_SECRET', 'is required when TELEGRAM_WEBHOOK_URL is set (Telegram sends it back so forged updates are refused)');
  }
  const whatsapp = readWhatsapp(reader);
  const instagram = readInstagram(reader);
  const meta = readMeta(reader);
  if (meta?.instagram && instagram !== null) {
    throw new ConfigError(
      'INSTAGRAM_ACCOUNT_ID',
      'and IG_USERNAME/IG_PASSWORD are both set: use one Instagram path. Keep INSTAGRAM_ACCOUNT_ID and INSTAGRAM_ACCESS_TOKEN (the official API) and remove IG_USERNAME and IG_PASSWORD (see "Moving from the unofficial Instagram channel" in the README)',
    );
  }
  const slaScanCron = reader.string('SLA_SCAN_CRON', '* * * * *');
  if (!validateCron(slaScanCron)) {
    throw new ConfigError(
      'SLA_SCAN_CRON',
      `must be a cron expression of 5 fields, or 6 with seconds first (e.g. "* * * * *" or "*/30 * * * * *"), got "${slaScanCron}"`,
    );
  }
  const digestCron = reader.string('DIGEST_CRON', '0 7 * * *');
  if (!validateCron(digestCron)) {
    throw new ConfigError(
      'DIGEST_CRON',
      `must be a cron expression of 5 fields, or 6 with seconds first, in the office time zone (SAPA_TZ), e.g. "0 7 * * *" (07:00 daily) or "0 7 * * 1-5" (weekdays); got "${digestCron}"`,
    );
  }
  return {
    dbPath: reader.string('SAPA_DB', 'data/sapa.db'),
    modelCacheDir: modelCacheDirOf(reader.string('SAPA_MODEL_CACHE', ''), reader.string('SAPA_DB', 'data/sapa.db')),
    port: reader.number('PORT', 3000, { min: 0, max: 65535, integer: true }),
    host: reader.string('HOST', '127.0.0.1'),
    timeZone: reader.timeZone('SAPA_TZ', 'Asia/Makassar'),
    logLevel: reader.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    intentsDir: reader.string('SAPA_INTENTS_DIR', 'intents'),
    officeFile: reader.string('SAPA_OFFICE_FILE', 'data/office.yaml'),
    slaFile: reader.string('SAPA_SLA_FILE', 'data/sla.yaml'),
    slaScanCron,
    digestCron,
    webChatPerMinute: reader.number('WEB_CHAT_PER_MINUTE', 20, { min: 1, max: 10_000, integer: true }),
    http: readHttp(reader),
    telegram,
    whatsapp,
    instagram,
    meta,
    email: readEmail(reader),
    abuse: readAbuse(reader),
  };
}

function readAbuse(reader: EnvReader): AbuseConfig {
  const whole = (name: string, fallback: number, min: number, max: number): number => reader.number(name, fallback, { min, max, integer: true });
  return {
    webChatSecret: reader.optionalMatching(
      'WEB_CHAT_SECRET',
      /^[\x21-\x7e]{32,256}$/,
      'at least 32 printable characters without spaces (e.g. the output of `openssl rand -hex 32`)',
    ),
    webChatVisitorsPerHour: whole('WEB_CHAT_VISITORS_PER_HOUR', 30, 1, 100_000),
    webChatTicketsPerHour: whole('WEB_CHAT_TICKETS_PER_HOUR', 10, 1, 100_000),
    alertBatchThreshold: whole('STAFF_ALERT_BATCH_THRESHOLD', 10, 0, 10_000),
    alertBatchWindowMs: whole('STAFF_ALERT_BATCH_MINUTES', 10, 1, 24 * 60) * 60_000,
  };
}

/** The HTTP settings with no variables set (the server's defaults when a test builds it without a config). */
export function defaultHttpConfig(): HttpConfig {
  return readHttp(createEnvReader({}));
}

function readHttp(reader: EnvReader): HttpConfig {
  const whole = (name: string, fallback: number, min: number, max: number): number => reader.number(name, fallback, { min, max, integer: true });
  const requestTimeoutMs = whole('HTTP_REQUEST_TIMEOUT_MS', 30_000, 1_000, 600_000);
  const headersTimeoutMs = whole('HTTP_HEADERS_TIMEOUT_MS', 10_000, 1_000, 600_000);
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new ConfigError('HTTP_HEADERS_TIMEOUT_MS', `must not be more than HTTP_REQUEST_TIMEOUT_MS (${requestTimeoutMs}), got "${headersTimeoutMs}"`);
  }
  const connectionTimeoutMs = whole('HTTP_CONNECTION_TIMEOUT_MS', 60_000, 1_000, 3_600_000);
  const heartbeatMs = whole('SSE_HEARTBEAT_MS', 25_000, 1_000, 600_000);
  if (heartbeatMs >= connectionTimeoutMs) {
    throw new ConfigError('SSE_HEARTBEAT_MS', `must be less than HTTP_CONNECTION_TIMEOUT_MS (${connectionTimeoutMs}), or quiet streams are cut; got "${heartbeatMs}"`);
  }
  const maxConnections = whole('HTTP_MAX_CONNECTIONS', 1_000, 10, 100_000);
  // Default: 500, or half the connections when HTTP_MAX_CONNECTIONS is lower.
  const total = whole('SSE_MAX_STREAMS', Math.min(500, Math.floor(maxConnections / 2)), 1, 100_000);
  if (total >= maxConnections) {
    throw new ConfigError('SSE_MAX_STREAMS', `must be less than HTTP_MAX_CONNECTIONS (${maxConnections}), so streams cannot take every connection; got "${total}"`);
  }
  return {
    trustProxy: readTrustProxy(reader.optionalString('TRUST_PROXY')),
    publicUrl: reader.optionalUrl('PUBLIC_URL'),
    frameAncestors: readFrameAncestors(reader.optionalString('WEB_CHAT_FRAME_ANCESTORS')),
    bodyLimit: whole('HTTP_BODY_LIMIT', 256 * 1024, 1024, 10 * 1024 * 1024),
    chatBodyLimit: whole('HTTP_BODY_LIMIT_CHAT', 32 * 1024, 1024, 1024 * 1024),
    // At most AUDIO_MAX_BYTES (channels/channel.ts): a larger recording would be refused by the core anyway.
    voiceBodyLimit: whole('HTTP_BODY_LIMIT_VOICE', 4 * 1024 * 1024, 64 * 1024, 6 * 1024 * 1024),
    jsonMaxDepth: whole('HTTP_JSON_MAX_DEPTH', 20, 2, 1_000),
    requestTimeoutMs,
    headersTimeoutMs,
    connectionTimeoutMs,
    keepAliveTimeoutMs: whole('HTTP_KEEP_ALIVE_TIMEOUT_MS', 65_000, 1_000, 600_000),
    maxConnections,
    maxConnectionsPerAddress: whole('HTTP_MAX_CONNECTIONS_PER_ADDRESS', 64, 1, 100_000),
    requestsPerMinutePerAddress: whole('HTTP_REQUESTS_PER_MINUTE', 600, 0, 1_000_000),
    streams: {
      perAddress: whole('SSE_STREAMS_PER_ADDRESS', 10, 1, 10_000),
      perSession: whole('SSE_STREAMS_PER_SESSION', 4, 1, 100),
      total,
      heartbeatMs,
      idleTimeoutMs: whole('SSE_IDLE_TIMEOUT_MS', 15 * 60_000, 10_000, 24 * 3_600_000),
    },
  };
}

const TRUST_PROXY_ACCEPTED =
  'a number of proxies in front of SAPA (e.g. 1), or comma-separated proxy addresses or CIDR ranges (e.g. 127.0.0.1 or 10.0.0.0/8,::1), or loopback; "false" or unset trusts none';

/** TRUST_PROXY: unset or "false" trusts no proxy; "true" is refused (it would let anyone forge X-Forwarded-For). */
function readTrustProxy(value: string | null): TrustProxy {
  if (value === null || value.toLowerCase() === 'false' || value === '0') return false;
  if (/^(true|all|\*)$/i.test(value)) {
    throw new ConfigError(
      'TRUST_PROXY',
      `trusting every address would let anyone forge X-Forwarded-For and pass the rate limits; give ${TRUST_PROXY_ACCEPTED}; got "${value}"`,
    );
  }
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops > 10) throw new ConfigError('TRUST_PROXY', `must be ${TRUST_PROXY_ACCEPTED}; a hop count goes up to 10, got "${value}"`);
    return hops;
  }
  const items = value.split(',').map((item) => item.trim()).filter((item) => item !== '');
  for (const item of items) {
    if (!isProxyAddress(item)) throw new ConfigError('TRUST_PROXY', `must be ${TRUST_PROXY_ACCEPTED}; got "${item}"`);
  }
  return items;
}

function isProxyAddress(item: string): boolean {
  if (item === 'loopback' || item === 'linklocal' || item === 'uniquelocal') return true;
  const [address, prefix, extra] = item.split('/');
  if (address === undefined || extra !== undefined) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/** WEB_CHAT_FRAME_ANCESTORS: origins (scheme://host[:port], "*." allowed at the start of the host), space or comma separated. */
function readFrameAncestors(value: string | null): string[] {
  if (value === null) return [];
  const items = value.split(/[\s,]+/).filter((item) => item !== '');
  for (const item of items) {
    if (!/^https?:\/\/(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*(:\d{1,5})?$/i.test(item)) {
      throw new ConfigError(
        'WEB_CHAT_FRAME_ANCESTORS',
        `must be origins of the websites that embed the chat widget, space- or comma-separated, such as https://www.kanimkupang.go.id (no path, no quotes); got "${item}"`,
      );
    }
  }
  return items;
}

function readWhatsapp(reader: EnvReader): WhatsappConfig | null {
  const enabled = reader.oneOf('WHATSAPP_ENABLED', ['true', 'false'] as const, 'false') === 'true';
  const staffGroupJid = reader.optionalMatching('WHATSAPP_STAFF_GROUP_JID', /^\d+(-\d+)?@g\.us$/, 'a group JID such as 120363012345678901@g.us');
  const pairingNumber = reader.optionalMatching(
    'WHATSAPP_PAIRING_NUMBER',
    /^[1-9]\d{7,14}$/,
    'the office number in international form, digits only, e.g. 6281234567890 (no +, no leading 0)',
  );
  const supervisorNumbers = reader.list(
    'WHATSAPP_SUPERVISOR_NUMBERS',
    /^[1-9]\d{7,14}$/,
    'comma-separated numbers in international form, digits only, e.g. 6281234567890,6281298765432 (no +, no leading 0)',
  );
  if (!enabled) {
    if (staffGroupJid !== null || pairingNumber !== null || supervisorNumbers.length > 0) {
      throw new ConfigError('WHATSAPP_ENABLED', 'must be true when WHATSAPP_STAFF_GROUP_JID, WHATSAPP_PAIRING_NUMBER or WHATSAPP_SUPERVISOR_NUMBERS is set');
    }
    return null;
  }
  const types = reader.list('WHATSAPP_MEDIA_TYPES', /^[a-z]+\/[a-z0-9.+-]+$/, 'comma-separated MIME types such as image/jpeg,application/pdf');
  return {
    pairingNumber,
    staffGroupJid,
    sendsPerMinute: reader.number('WHATSAPP_SENDS_PER_MINUTE', 20, { min: 0, max: 600, integer: true }),
    perChatIntervalMs: reader.number('WHATSAPP_PER_CHAT_INTERVAL_MS', 3000, { min: 0, max: 60_000, integer: true }),
    mediaMaxBytes: reader.number('WHATSAPP_MEDIA_MAX_BYTES', 10 * 1024 * 1024, { min: 1, max: 100 * 1024 * 1024, integer: true }),
    mediaMimeTypes: types.length > 0 ? types : ['image/jpeg', 'image/png', 'application/pdf'],
    supervisorNumbers,
  };
}

function readInstagram(reader: EnvReader): InstagramConfig | null {
  const username = reader.optionalString('IG_USERNAME');
  const password = reader.optionalString('IG_PASSWORD');
  if (username !== null && password === null) throw new ConfigError('IG_PASSWORD', 'is required when IG_USERNAME is set');
  if (password !== null && username === null) throw new ConfigError('IG_USERNAME', 'is required when IG_PASSWORD is set');
  if (username === null || password === null) return null;
  if (!/^[A-Za-z0-9._]{1,30}$/.test(username)) {
    throw new ConfigError('IG_USERNAME', `must be an Instagram username (letters, digits, "." and "_", up to 30), without "@", got "${username}"`);
  }
  const pollMin = reader.number('IG_POLL_MIN_SECONDS', 20, { min: 10, max: 3600, integer: true });
  const pollMax = reader.number('IG_POLL_MAX_SECONDS', 40, { min: 10, max: 3600, integer: true });
  if (pollMax < pollMin) throw new ConfigError('IG_POLL_MAX_SECONDS', `must be at least IG_POLL_MIN_SECONDS (${pollMin}), got "${pollMax}"`);
  return {
    username,
    password,
    pollMinMs: pollMin * 1000,
    pollMaxMs: pollMax * 1000,
    sendsPerMinute: reader.number('IG_SENDS_PER_MINUTE', 20, { min: 0, max: 60, integer: true }),
    proxyUrl: reader.optionalUrl('IG_PROXY_URL'),
  };
}

const META_TOKEN = /^[A-Za-z0-9._|-]{20,2048}$/;

function readMeta(reader: EnvReader): MetaConfig | null {
  const pageId = reader.optionalMatching('MESSENGER_PAGE_ID', /^\d{5,25}$/, 'the numeric id of the Facebook Page (Page settings → About → Page ID)');
  const pageToken = reader.optionalMatching('MESSENGER_PAGE_ACCESS_TOKEN', META_TOKEN, 'a Page access token from the Meta app (it starts with EAA)');
  const igId = reader.optionalMatching('INSTAGRAM_ACCOUNT_ID', /^\d{5,25}$/, 'the numeric id of the Instagram professional account (from the Meta app, Instagram API setup)');
  const igToken = reader.optionalMatching('INSTAGRAM_ACCESS_TOKEN', META_TOKEN, 'an Instagram user access token from the Meta app (it starts with IG)');
  if ((pageId === null) !== (pageToken === null)) {
    throw new ConfigError(pageId === null ? 'MESSENGER_PAGE_ID' : 'MESSENGER_PAGE_ACCESS_TOKEN', 'is required when the other of MESSENGER_PAGE_ID and MESSENGER_PAGE_ACCESS_TOKEN is set');
  }
  if ((igId === null) !== (igToken === null)) {
    throw new ConfigError(igId === null ? 'INSTAGRAM_ACCOUNT_ID' : 'INSTAGRAM_ACCESS_TOKEN', 'is required when the other of INSTAGRAM_ACCOUNT_ID and INSTAGRAM_ACCESS_TOKEN is set');
  }
  const appSecret = reader.optionalMatching('META_APP_SECRET', /^[A-Za-z0-9]{16,128}$/, 'the app secret of the Meta app (App settings → Basic → App secret, 32 characters)');
  const verifyToken = reader.optionalMatching('META_VERIFY_TOKEN', /^[\x21-\x7e]{8,256}$/, '8-256 printable characters without spaces, the same you type as "Verify token" in the Meta app');
  const graphApiRoot = reader.url('META_GRAPH_API_ROOT', 'https://graph.facebook.com');
  const instagramGraphApiRoot = reader.url('INSTAGRAM_GRAPH_API_ROOT', 'https://graph.instagram.com');
  const graphApiVersion = reader.optionalMatching('META_GRAPH_API_VERSION', /^v\d{1,3}\.\d{1,2}$/, 'a Graph API version such as v25.0') ?? 'v25.0';
  const humanAgentTag = reader.oneOf('META_HUMAN_AGENT_TAG', ['true', 'false'] as const, 'false') === 'true';
  if (pageId === null && igId === null) {
    if (appSecret !== null || verifyToken !== null) {
      throw new ConfigError(appSecret !== null ? 'META_APP_SECRET' : 'META_VERIFY_TOKEN', 'is set, but neither MESSENGER_PAGE_ID nor INSTAGRAM_ACCOUNT_ID is: set the channel(s) to run, or remove it');
    }
    return null;
  }
  const channels = pageId !== null ? 'MESSENGER_PAGE_ID' : 'INSTAGRAM_ACCOUNT_ID';
  if (appSecret === null) throw new ConfigError('META_APP_SECRET', `is required when ${channels} is set (webhook posts are signed with it and refused without a valid signature)`);
  if (verifyToken === null) throw new ConfigError('META_VERIFY_TOKEN', `is required when ${channels} is set (Meta sends it back when you subscribe the webhook)`);
  return {
    appSecret,
    verifyToken,
    graphApiRoot,
    instagramGraphApiRoot,
    graphApiVersion,
    humanAgentTag,
    messenger: pageId !== null && pageToken !== null ? { pageId, accessToken: pageToken } : null,
    instagram: igId !== null && igToken !== null ? { accountId: igId, accessToken: igToken } : null,
  };
}

function readEmail(reader: EnvReader): EmailConfig | null {
  const imapUrl = reader.optionalString('EMAIL_IMAP_URL');
  const smtpUrl = reader.optionalString('EMAIL_SMTP_URL');
  const from = reader.optionalString('EMAIL_FROM');
  if (imapUrl === null) {
    const stray = smtpUrl !== null ? 'EMAIL_SMTP_URL' : from !== null ? 'EMAIL_FROM' : null;
    if (stray !== null) throw new ConfigError(stray, 'is set, but EMAIL_IMAP_URL is not: set the mailbox to read (imaps://user:password@host:993/INBOX), or remove it');
    return null;
  }
  if (smtpUrl === null) throw new ConfigError('EMAIL_SMTP_URL', 'is required when EMAIL_IMAP_URL is set (smtps://user:password@host:465 or smtp://user:password@host:587)');
  if (from === null) throw new ConfigError('EMAIL_FROM', 'is required when EMAIL_IMAP_URL is set (e.g. "Kantor Imigrasi Kupang" <pengaduan@example.go.id>)');
  const imap = mailServerUrl('EMAIL_IMAP_URL', imapUrl, { secure: 'imaps:', plain: 'imap:', securePort: 993, plainPort: 143 });
  if (imap.user === null || imap.pass === null) throw new ConfigError('EMAIL_IMAP_URL', 'must name the user and password: imaps://user:password@host:993/INBOX (write @ in the user as %40)');
  const smtp = mailServerUrl('EMAIL_SMTP_URL', smtpUrl, { secure: 'smtps:', plain: 'smtp:', securePort: 465, plainPort: 587 });
  return {
    imap: { host: imap.host, port: imap.port, secure: imap.secure, requireTls: imap.requireTls, user: imap.user, pass: imap.pass, mailbox: imap.path === '' ? 'INBOX' : imap.path },
    smtp: { host: smtp.host, port: smtp.port, secure: smtp.secure, requireTls: smtp.requireTls, user: smtp.user, pass: smtp.pass },
    from: parseMailbox('EMAIL_FROM', from),
    pollSeconds: reader.number('EMAIL_POLL_SECONDS', 60, { min: 5, max: 3600, integer: true }),
  };
}

/** A mail server URL; its password never appears in an error message. */
function mailServerUrl(
  name: string,
  value: string,
  schemes: { secure: string; plain: string; securePort: number; plainPort: number },
): { host: string; port: number; secure: boolean; requireTls: boolean; user: string | null; pass: string | null; path: string } {
  const shape = `${schemes.secure}//user:password@host:${schemes.securePort}${name === 'EMAIL_IMAP_URL' ? '/INBOX' : ''} or ${schemes.plain}//... (STARTTLS)`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(name, `must be a URL like ${shape}`);
  }
  if (url.protocol !== schemes.secure && url.protocol !== schemes.plain) {
    throw new ConfigError(name, `must start with ${schemes.secure}// or ${schemes.plain}//, got "${url.protocol}//" (a URL like ${shape})`);
  }
  if (url.hostname === '') throw new ConfigError(name, `must name the server: ${shape}`);
  const secure = url.protocol === schemes.secure;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let user: string | null;
  let pass: string | null;
  let path: string;
  try {
    user = url.username === '' ? null : decodeURIComponent(url.username);
    pass = url.password === '' ? null : decodeURIComponent(url.password);
    path = decodeURIComponent(url.pathname.replace(/^\/+|\/+$/g, ''));
  } catch {
    throw new ConfigError(name, 'has a badly percent-encoded user, password or mailbox (write @ as %40, : as %3A, / as %2F)');
  }
  const loopback = host === 'localhost' || host === '::1' || /^127\./.test(host);
  return { host, port: url.port === '' ? (secure ? schemes.securePort : schemes.plainPort) : Number(url.port), secure, requireTls: !secure && !loopback, user, pass, path };
}

/** `"Name" <address>`, `Name <address>` or a bare address. */
function parseMailbox(name: string, value: string): { address: string; name?: string } {
  const angle = /^\s*(?:"?([^"<]*?)"?\s*)?<([^<>\s]+)>\s*$/.exec(value);
  const address = (angle?.[2] ?? value).trim();
  if (!/^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/.test(address)) {
    throw new ConfigError(name, `must be an e-mail address, optionally with a name: "Kantor Imigrasi Kupang" <pengaduan@example.go.id>, got "${value}"`);
  }
  const display = angle?.[1]?.trim();
  return { address, ...(display !== undefined && display !== '' ? { name: display } : {}) };
}

function validateTelegramToken(token: string): string {
  if (!/^\d+:[A-Za-z0-9_-]{20,}$/.test(token)) {
    throw new ConfigError('TELEGRAM_BOT_TOKEN', 'must look like 123456789:AA... (the token @BotFather gives)');
  }
  return token;
}

interface NumberRule {
  readonly min: number;
  readonly max: number;
  readonly integer?: boolean;
}

type EnvReader = ReturnType<typeof createEnvReader>;

function createEnvReader(env: Env) {
  const raw = (name: string): string | null => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? null : value;
  };
  return {
    string(name: string, fallback: string): string {
      return raw(name) ?? fallback;
    },
    optionalString(name: string): string | null {
      return raw(name);
    },
    number(name: string, fallback: number, rule: NumberRule): number {
      const value = raw(name);
      if (value === null) return fallback;
      const parsed = Number(value);
      const kind = rule.integer ? 'a whole number' : 'a number';
      if (!Number.isFinite(parsed) || (rule.integer && !Number.isInteger(parsed)) || parsed < rule.min || parsed > rule.max) {
        throw new ConfigError(name, `must be ${kind} from ${rule.min} to ${rule.max}, got "${value}"`);
      }
      return parsed;
    },
    oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
      const value = raw(name);
      if (value === null) return fallback;
      const found = allowed.find((option) => option === value.toLowerCase());
      if (found === undefined) throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${value}"`);
      return found;
    },
    timeZone(name: string, fallback: string): string {
      const value = raw(name) ?? fallback;
      try {
        new Intl.DateTimeFormat('en', { timeZone: value });
      } catch (cause) {
        throw new ConfigError(name, `must be an IANA time zone such as Asia/Makassar, got "${value}" (${String(cause)})`);
      }
      return value;
    },
    url(name: string, fallback: string): string {
      return this.optionalUrl(name) ?? fallback;
    },
    optionalUrl(name: string): string | null {
      const value = raw(name);
      if (value === null) return null;
      let parsed: URL;
      try {
        parsed = new URL(value);
      } catch {
        throw new ConfigError(name, `must be an absolute http(s) URL, got "${value}"`);
      }
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
        throw new ConfigError(name, `must be an absolute http(s) URL, got "${value}"`);
      }
      return value.replace(/\/+$/, '');
    },
    optionalMatching(name: string, pattern: RegExp, accepted: string): string | null {
      const value = raw(name);
      if (value === null) return null;
      if (!pattern.test(value)) throw new ConfigError(name, `must be ${accepted}, got "${value}"`);
      return value;
    },
    list(name: string, pattern: RegExp, accepted: string): string[] {
      const value = raw(name);
      if (value === null) return [];
      const items = value.split(',').map((item) => item.trim()).filter((item) => item !== '');
      const bad = items.find((item) => !pattern.test(item));
      if (bad !== undefined) throw new ConfigError(name, `must be ${accepted}, got "${bad}"`);
      return items;
    },
  };
}

/** SAPA_MODEL_CACHE, else `cache/` beside the database file; none for an in-memory database. */
function modelCacheDirOf(configured: string, dbPath: string): string | null {
  if (configured !== '') return configured;
  return dbPath === ':memory:' ? null : modelCacheBesideDb(dbPath);
}
