/**
 * Debian's dovecot (apt-get install dovecot-imapd) on loopback, for the e-mail channel's
 * tests: a real IMAP server with IDLE, UIDs and flags. Runs in the foreground (`-F`) from a
 * private configuration in a temp directory, so the test owns the process and can take the
 * server away and bring it back on the same port. Any user name logs in with PASSWORD and
 * gets its own empty maildir, so each test uses a fresh mailbox.
 *
 * Dovecot must start as root (it switches to its own users); CI runs as root and installs
 * the package (.ci/run). Without dovecot or root, `dovecotAvailable()` says why, and the
 * e-mail tests fail with that reason (never skip). `withoutIdle` starts one that offers no
 * IDLE, like servers that only allow polling.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';

export const DOVECOT_BIN = '/usr/sbin/dovecot';
export const PASSWORD = 'rahasia-imap';

export function dovecotAvailable(): string | null {
  if (!existsSync(DOVECOT_BIN)) return 'dovecot is not installed (apt-get install dovecot-imapd)';
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'dovecot needs to start as root';
  return null;
}

export interface Dovecot {
  readonly port: number;
  /** Takes the server away (clients see the connection close) / brings it back on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Delivers a mail into `user`'s INBOX (IMAP APPEND) with the given arrival time; returns its UID. */
  deliver(user: string, raw: string, arrivedAt: Date): Promise<number>;
  /** The flags of a mail. */
  flags(user: string, uid: number): Promise<string[]>;
  log(): string;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function waitFor(check: () => Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export interface DovecotOptions {
  /** Leaves IDLE out of the capabilities (servers that only allow polling). */
  readonly withoutIdle?: boolean;
}

/** Dovecot 2.3's capabilities after login, without IDLE. */
const CAPABILITIES_WITHOUT_IDLE = 'IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE UNSELECT CHILDREN NAMESPACE UIDPLUS LITERAL+ SPECIAL-USE MOVE';

export async function startDovecot(options: DovecotOptions = {}): Promise<Dovecot> {
  const unavailable = dovecotAvailable();
  if (unavailable !== null) throw new Error(unavailable);
  const dir = mkdtempSync('/tmp/sapa-dovecot-');
  chmodSync(dir, 0o755);
  const mailDir = join(dir, 'mail');
  mkdirSync(mailDir);
  mkdirSync(join(dir, 'state'));
  const uid = Number(execFileSync('id', ['-u', 'dovecot']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'dovecot']).toString().trim());
  chownSync(mailDir, uid, gid);
  const port = await freePort();
  const config = join(dir, 'dovecot.conf');
  const logFile = join(dir, 'dovecot.log');
  writeFileSync(
    config,
    `base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${logFile}
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 1
passdb {
  driver = static
  args = password=${PASSWORD}
}
userdb {
  driver = static
  args = uid=dovecot gid=dovecot home=${mailDir}/%u
}
mail_location = maildir:~/Maildir
${options.withoutIdle === true ? `imap_capability = ${CAPABILITIES_WITHOUT_IDLE}\n` : ''}service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
`,
  );
  let child: ChildProcess | null = null;

  async function start(): Promise<void> {
    // libfaketime (CI's shifted-date run) is for SAPA, not for the mail server.
    const env = { ...process.env };
    delete env['LD_PRELOAD'];
    delete env['FAKETIME'];
    // Its own process group, so stop() takes the master and every login and IMAP process at once.
    child = spawn(DOVECOT_BIN, ['-F', '-c', config], { stdio: 'ignore', env, detached: true });
    const started = child;
    await waitFor(async () => {
      if (started.exitCode !== null) throw new Error(`dovecot exited with ${started.exitCode}: ${readLog()}`);
      return canConnect(port);
    }, 'dovecot to listen');
  }

  async function stop(): Promise<void> {
    const running = child;
    child = null;
    if (running === null || running.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    // Gone at once, like a crashed or unplugged server: clients see their connections drop.
    if (running.pid !== undefined) process.kill(-running.pid, 'SIGKILL');
    await exited;
    await waitFor(async () => !(await canConnect(port)), 'dovecot to stop listening');
  }

  function readLog(): string {
    return existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
  }

  async function withClient<T>(user: string, work: (client: ImapFlow) => Promise<T>): Promise<T> {
    const client = new ImapFlow({ host: '127.0.0.1', port, secure: false, auth: { user, pass: PASSWORD }, logger: false });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.logout();
    }
  }

  await start();
  return {
    port,
    stop,
    start,
    async deliver(user, raw, arrivedAt) {
      return withClient(user, async (client) => {
        const appended = await client.append('INBOX', raw, [], arrivedAt);
        if (appended === false || appended.uid === undefined) throw new Error('APPEND returned no UID');
        return appended.uid;
      });
    },
    async flags(user, messageUid) {
      return withClient(user, async (client) => {
        await client.mailboxOpen('INBOX');
        const message = await client.fetchOne(String(messageUid), { flags: true }, { uid: true });
        return message === false ? [] : [...(message.flags ?? [])];
      });
    },
    log: readLog,
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
