/**
 * Staying connected. Baileys never reconnects by itself: every close ends that
 * socket (and its event emitter), so this module creates a new socket and
 * re-binds the handlers, by the policy in disconnect.ts:
 * - 515 after pairing: reconnect at once (part of linking, not a failure);
 * - 401 logged out: stop, delete the dead creds and keys, status
 *   `logged_out`, report the problem (staff are alerted on other channels);
 * - 440 replaced / 403 forbidden: stop and report (reconnecting would fight
 *   another instance, or hammer a refused account);
 * - anything else: exponential backoff with jitter, reset after an open.
 * Creds are saved on every `creds.update`.
 */
import makeWASocket from '@whiskeysockets/baileys';
import type { UserFacingSocketConfig, WASocket } from '@whiskeysockets/baileys';
import type { Logger } from 'pino';
import type { Clock } from '../../src/clock.js';
import type { ChannelStatus } from '../channel.js';
import type { AuthStore } from './auth-state.js';
import {
  actionFor,
  classifyDisconnect,
  describeDisconnect,
  reconnectDelayMs,
  type DisconnectReason,
  type ReconnectBackoff,
} from './disconnect.js';
import { logSafeError } from './errors.js';
import type { Linking } from './linking.js';

export type SocketFactory = (config: UserFacingSocketConfig) => WASocket;

export type WhatsappProblemKind = 'logged_out' | 'replaced' | 'forbidden';

/** Something a person must fix; the lead wires it to staff alerts on the other channels. */
export interface WhatsappProblem {
  readonly kind: WhatsappProblemKind;
  /** English, for logs and the dashboard; alerts may phrase it from `kind`. */
  readonly text: string;
}

export interface ConnectionDeps {
  readonly auth: AuthStore;
  readonly linking: Linking;
  /** Everything makeWASocket needs besides `auth` (logger, getMessage, waWebSocketUrl in tests...). */
  readonly socketConfig: Omit<UserFacingSocketConfig, 'auth'>;
  readonly makeSocket?: SocketFactory;
  /** Link by pairing code for this number (digits with country code) instead of a QR code. */
  readonly pairingNumber?: string;
  readonly backoff: ReconnectBackoff;
  readonly random?: () => number;
  readonly clock: Clock;
  readonly log: Logger;
  /** A new socket was created: bind the intake to its `ev`. */
  readonly onSocket: (socket: WASocket) => void;
  readonly onProblem?: (problem: WhatsappProblem) => void;
}

export interface Connection {
  start(): void;
  /** Ends the socket and any pending reconnect; resolves once the socket closed. */
  stop(): Promise<void>;
  /** The socket while it is open; undefined while connecting or down. */
  openSocket(): WASocket | undefined;
  status(): ChannelStatus;
  /** After a logout (or a replaced/forbidden stop): start over with fresh creds, i.e. a new QR/pairing code. */
  relink(): void;
}

const PROBLEM_TEXT: Record<WhatsappProblemKind, string> = {
  logged_out:
    'WhatsApp logged this device out (removed on the phone, or the session expired). Messages are queued; link again from the dashboard (scan the QR code).',
  replaced: 'Another client took over this WhatsApp session (a second SAPA instance with the same database?). WhatsApp stopped; check and restart one instance.',
  forbidden: 'WhatsApp refused the account (403; it may be restricted or banned). WhatsApp stopped; check the phone.',
};

export function createConnection(deps: ConnectionDeps): Connection {
  const { auth, linking, clock, log } = deps;
  const makeSocket = deps.makeSocket ?? makeWASocket;
  const random = deps.random ?? Math.random;
  let status: ChannelStatus = { state: 'stopped' };
  let socket: WASocket | undefined;
  let open = false;
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopping = false;
  let pairingRequested = false;

  function setStatus(next: ChannelStatus): void {
    if (next.state !== status.state) log.info({ state: next.state }, 'whatsapp channel status');
    status = next;
  }

  function problem(kind: WhatsappProblemKind): void {
    const text = PROBLEM_TEXT[kind];
    log.error({ problem: kind }, text);
    try {
      deps.onProblem?.({ kind, text });
    } catch (err) {
      log.error({ err }, 'reporting a whatsapp problem failed');
    }
  }

  function connect(): void {
    timer = undefined;
    if (stopping) return;
    open = false;
    pairingRequested = false;
    const sock = makeSocket({ ...deps.socketConfig, auth: auth.state });
    socket = sock;
    sock.ev.on('creds.update', () => {
      try {
        auth.saveCreds();
      } catch (err) {
        // Losing creds means scanning again after a restart: loud, but the socket keeps running.
        log.error({ err }, 'saving whatsapp credentials failed');
      }
    });
    sock.ev.on('connection.update', (update) => {
      if (socket !== sock) return;
      if (update.qr !== undefined) onQr(sock, update.qr);
      if (update.connection === 'open') onOpen();
      if (update.connection === 'close') onClose(update.lastDisconnect?.error);
    });
    deps.onSocket(sock);
  }

  function onQr(sock: WASocket, qr: string): void {
    if (deps.pairingNumber !== undefined) {
      // The first QR means the socket is ready to link; ask for a code instead, once per socket.
      if (pairingRequested) return;
      pairingRequested = true;
      sock.requestPairingCode(deps.pairingNumber).then(
        (code) => {
          linking.showPairingCode(code);
          setStatus({ state: 'needs_attention', reason: 'WhatsApp is not linked', action: `enter pairing code ${code} on the office phone` });
        },
        (err: unknown) => log.warn({ err: logSafeError(err) }, 'requesting a whatsapp pairing code failed; retrying on the next connection'),
      );
      return;
    }
    setStatus({ state: 'needs_attention', reason: 'WhatsApp is not linked', action: 'scan the QR code (dashboard channel page, or the terminal)' });
    void linking.showQr(qr);
  }

  function onOpen(): void {
    open = true;
    failures = 0;
    linking.linked();
    setStatus({ state: 'connected' });
  }

  function onClose(error: unknown): void {
    open = false;
    socket = undefined;
    if (stopping) {
      setStatus({ state: 'stopped' });
      return;
    }
    const { reason, code } = classifyDisconnect(error);
    const action = actionFor(reason);
    log.warn({ reason, code }, 'whatsapp connection closed');
    switch (action) {
      case 'reconnect_now':
        setStatus({ state: 'reconnecting', reason: describeDisconnect(error) });
        schedule(0);
        return;
      case 'reconnect_with_backoff': {
        failures += 1;
        const delayMs = reconnectDelayMs(failures, deps.backoff, random);
        setStatus({ state: 'reconnecting', reason: describeDisconnect(error), retryAt: new Date(clock.now().getTime() + delayMs) });
        schedule(delayMs);
        return;
      }
      case 'logged_out':
        loggedOut();
        return;
      case 'needs_attention':
        stopFor(reason);
        return;
      case 'stop':
        setStatus({ state: 'stopped' });
        return;
    }
  }

  function loggedOut(): void {
    try {
      // The creds are dead: keeping them would only make the next start fail the same way.
      auth.reset();
    } catch (err) {
      log.error({ err }, 'clearing whatsapp credentials after logout failed');
    }
    linking.waiting();
    setStatus({ state: 'logged_out', reason: 'logged out by WhatsApp (401); link again' });
    problem('logged_out');
  }

  function stopFor(reason: DisconnectReason): void {
    const kind: WhatsappProblemKind = reason === 'replaced' ? 'replaced' : 'forbidden';
    setStatus({ state: 'needs_attention', reason: PROBLEM_TEXT[kind], action: 'fix the cause, then relink or restart SAPA' });
    problem(kind);
  }

  function schedule(delayMs: number): void {
    if (stopping) return;
    clearTimeout(timer);
    timer = setTimeout(connect, delayMs);
  }

  return {
    start() {
      if (socket !== undefined || timer !== undefined) return;
      stopping = false;
      setStatus({ state: 'starting' });
      connect();
    },
    async stop() {
      stopping = true;
      clearTimeout(timer);
      timer = undefined;
      const sock = socket;
      if (sock !== undefined) await sock.end(undefined);
      socket = undefined;
      open = false;
      setStatus({ state: 'stopped' });
    },
    openSocket: () => (open ? socket : undefined),
    status: () => status,
    relink() {
      if (stopping || socket !== undefined || timer !== undefined) return;
      failures = 0;
      setStatus({ state: 'starting' });
      connect();
    },
  };
}
