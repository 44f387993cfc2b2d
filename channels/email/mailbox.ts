/**
 * The IMAP side: one connection that selects the mailbox, reads every new mail, and waits
 * for the next (IDLE where the server offers it, imapflow's NOOP polling otherwise, and a
 * UID search every `pollMs` in any case). When the connection fails or the server goes
 * away, it reconnects with exponential backoff; a refused login is retried slowly (servers
 * lock accounts after repeated failures) and shown as needing attention.
 *
 * Which mails are new: the UIDs above a cursor kept in the store (UIDVALIDITY and the last
 * UID handled), so a mail a person already opened in webmail is still read. On the first
 * start, or when the server renumbered the mailbox, the unread mails are read. A mail is
 * handed over (stored by the core) before it is flagged \Seen and before the cursor moves:
 * a crash in between costs a re-read, which the core recognises by the Message-ID.
 */
import { ImapFlow } from 'imapflow';
import type { Logger } from 'pino';
import { abortableSleep } from '../channel.js';
import type { EmailDirectory } from './directory.js';

export interface ImapSettings {
  readonly host: string;
  readonly port: number;
  /** true: TLS from the first byte (imaps, 993); false: STARTTLS. */
  readonly secure: boolean;
  /** With `secure: false`: refuse to log in without STARTTLS (always, except on loopback). */
  readonly requireTls: boolean;
  readonly user: string;
  readonly pass: string;
  readonly mailbox: string;
}

export interface FetchedMail {
  readonly uid: number;
  readonly source: Buffer;
  readonly internalDate: Date | undefined;
  /** The mail was larger than we read; the source is its beginning. */
  readonly truncated: boolean;
}

/** What handling a mail came to: flagged \Seen when stored or recorded; left unread when automatic. */
export type MailOutcome = 'stored' | 'recorded' | 'ignored';

export interface ReconnectBackoff {
  readonly baseMs: number;
  readonly maxMs: number;
  /** After a refused login. */
  readonly authFailureMs: number;
}

export const DEFAULT_RECONNECT: ReconnectBackoff = { baseMs: 1_000, maxMs: 5 * 60_000, authFailureMs: 15 * 60_000 };

export type WatcherState =
  | { readonly state: 'connecting' }
  | { readonly state: 'connected' }
  | { readonly state: 'reconnecting'; readonly reason: string; readonly retryAt: Date; readonly authFailed: boolean };

export interface MailboxWatcherOptions {
  readonly imap: ImapSettings;
  readonly directory: EmailDirectory;
  readonly handle: (mail: FetchedMail) => Promise<MailOutcome>;
  readonly onState: (state: WatcherState) => void;
  readonly pollMs: number;
  readonly backoff: ReconnectBackoff;
  /** Waits between attempts (tests pass a recording one); must return early when `signal` aborts. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly now: () => Date;
  readonly random: () => number;
  /** Largest mail read whole; a larger one is read up to this many bytes (its files are lost). */
  readonly maxMailBytes: number;
  readonly timeoutMs: number;
  readonly log: Logger;
}

interface Cursor {
  readonly uidValidity: string;
  readonly lastUid: number;
}

export interface MailboxWatcher {
  /** Runs until `signal` aborts. */
  run(signal: AbortSignal): Promise<void>;
}

export function createMailboxWatcher(options: MailboxWatcherOptions): MailboxWatcher {
  const { imap, directory, log } = options;
  const sleep = options.sleep ?? abortableSleep;
  const cursorKey = `cursor:${imap.mailbox}`;

  function readCursor(): Cursor | undefined {
    const raw = directory.getState(cursorKey);
    if (raw === undefined) return undefined;
    const value = JSON.parse(raw) as Partial<Cursor>;
    return typeof value.uidValidity === 'string' && typeof value.lastUid === 'number' ? { uidValidity: value.uidValidity, lastUid: value.lastUid } : undefined;
  }

  function writeCursor(cursor: Cursor): void {
    directory.setState(cursorKey, JSON.stringify(cursor));
  }

  /** `uidNextAtOpen`: the mailbox's UIDNEXT when it was opened (a first start begins after it). */
  async function processNew(client: ImapFlow, uidValidity: string, uidNextAtOpen: number): Promise<void> {
    const cursor = readCursor();
    const fresh = cursor !== undefined && cursor.uidValidity === uidValidity;
    const found = fresh ? await client.search({ uid: `${cursor.lastUid + 1}:*` }, { uid: true }) : await client.search({ seen: false }, { uid: true });
    // `n:*` always names the last mail, even when its UID is below n.
    const uids = (found || []).filter((uid) => !fresh || uid > cursor.lastUid).sort((a, b) => a - b);
    let last = fresh ? cursor.lastUid : 0;
    for (const uid of uids) {
      const mail = await fetchMail(client, uid);
      if (mail !== undefined) {
        const outcome = await options.handle(mail);
        if (outcome !== 'ignored') await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
      }
      last = Math.max(last, uid);
      writeCursor({ uidValidity, lastUid: last });
    }
    if (!fresh) writeCursor({ uidValidity, lastUid: Math.max(last, uidNextAtOpen - 1) });
  }

  async function fetchMail(client: ImapFlow, uid: number): Promise<FetchedMail | undefined> {
    const meta = await client.fetchOne(String(uid), { uid: true, size: true, internalDate: true }, { uid: true });
    if (meta === false) return undefined;
    const size = meta.size ?? 0;
    const truncated = size > options.maxMailBytes;
    const full = await client.fetchOne(String(uid), { uid: true, source: truncated ? { start: 0, maxLength: options.maxMailBytes } : true }, { uid: true });
    if (full === false || full.source === undefined) return undefined;
    const internalDate = meta.internalDate === undefined ? undefined : new Date(meta.internalDate);
    return { uid, source: full.source, internalDate, truncated };
  }

  /** One connection's life; resolves when stopped, rejects when the connection failed. */
  async function session(signal: AbortSignal, connected: () => void): Promise<void> {
    const client = new ImapFlow({
      host: imap.host,
      port: imap.port,
      secure: imap.secure,
      ...(imap.secure ? {} : { doSTARTTLS: imap.requireTls ? true : undefined }),
      auth: { user: imap.user, pass: imap.pass },
      logger: false,
      autoIdleDelay: 1_000,
      connectionTimeout: options.timeoutMs,
      greetingTimeout: options.timeoutMs,
      socketTimeout: Math.max(options.timeoutMs, 5 * 60_000),
      clientInfo: { name: 'SAPA' },
    });
    let wake: (() => void) | undefined;
    /** Set when the server announced mail (or the connection ended) while we were busy. */
    let woken = false;
    const wakeUp = (): void => {
      woken = true;
      wake?.();
    };
    let closedReason: Error | undefined;
    const closed = new Promise<void>((resolve) => {
      client.on('close', () => {
        closedReason ??= new Error('the IMAP connection closed');
        wakeUp();
        resolve();
      });
    });
    client.on('error', (err: unknown) => {
      closedReason = err instanceof Error ? err : new Error(String(err));
      log.warn({ err: describe(err) }, 'IMAP connection error');
    });
    client.on('exists', wakeUp);
    const onAbort = (): void => wakeUp();
    signal.addEventListener('abort', onAbort);
    try {
      await client.connect();
      const mailbox = await client.mailboxOpen(imap.mailbox);
      const uidValidity = String(mailbox.uidValidity);
      const uidNextAtOpen = Number(mailbox.uidNext);
      connected();
      log.info({ mailbox: imap.mailbox, idle: client.capabilities.has('IDLE') }, 'e-mail: mailbox open');
      while (!signal.aborted) {
        woken = false;
        await processNew(client, uidValidity, uidNextAtOpen);
        if (signal.aborted || closedReason !== undefined) break;
        if (!woken) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, options.pollMs);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          wake = undefined;
        }
        if (closedReason !== undefined) break;
      }
      if (!signal.aborted && closedReason !== undefined) throw closedReason;
    } finally {
      signal.removeEventListener('abort', onAbort);
      if (client.usable) {
        await Promise.race([client.logout().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 2_000))]);
      }
      client.close();
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 100))]);
    }
  }

  return {
    async run(signal) {
      let attempt = 0;
      while (!signal.aborted) {
        options.onState({ state: 'connecting' });
        try {
          await session(signal, () => {
            attempt = 0;
            options.onState({ state: 'connected' });
          });
          if (signal.aborted) return;
          throw new Error('the IMAP session ended');
        } catch (err) {
          if (signal.aborted) return;
          const authFailed = (err as { authenticationFailed?: unknown }).authenticationFailed === true;
          const ceiling = Math.min(options.backoff.maxMs, options.backoff.baseMs * 2 ** Math.min(attempt, 30));
          const delay = authFailed ? options.backoff.authFailureMs : Math.round(ceiling / 2 + (options.random() * ceiling) / 2);
          attempt += 1;
          const reason = authFailed ? 'the IMAP server refused the login (check the user and password in EMAIL_IMAP_URL)' : describe(err);
          log.warn({ err: describe(err), attempt, delayMs: delay }, 'e-mail: IMAP failed, reconnecting');
          options.onState({ state: 'reconnecting', reason, retryAt: new Date(options.now().getTime() + delay), authFailed });
          await sleep(delay, signal);
        }
      }
    },
  };
}

/** An error's message without the connection details imapflow attaches (never the password). */
export function describe(err: unknown): string {
  if (err instanceof Error) {
    const extra = err as { responseText?: unknown; code?: unknown };
    const text = typeof extra.responseText === 'string' ? extra.responseText : err.message;
    return `${typeof extra.code === 'string' ? `${extra.code}: ` : ''}${text}`.slice(0, 300);
  }
  return String(err).slice(0, 300);
}
