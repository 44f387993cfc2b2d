/**
 * `sapa instagram verify <code>`: completes the challenge or two-factor login
 * the Instagram channel recorded when it stopped, using the session it saved
 * in SAPA_DB, and saves the new session. A running bot notices within
 * seconds and resumes polling; no restart is needed.
 *
 * This is the one place in src/ that reaches into the Instagram adapter (like
 * main.ts, it is a composition point). With the official Instagram Messaging
 * API there is no challenge to answer, and this file goes with the adapter.
 */
import { pino } from 'pino';
import { isVerificationCode, verifyInstagramLogin, type GatewayFactory, type VerifyOutcome } from '../channels/instagram.js';
import { UsageError } from './cli-errors.js';
import type { LogLevel } from './config.js';
import { createLogger } from './log.js';
import { openDatabase } from './store/db.js';

/** The parts of Config this command reads (Config.instagram is null when IG_USERNAME is not set). */
export interface InstagramVerifyConfig {
  readonly dbPath: string;
  readonly logLevel: LogLevel;
  readonly instagram: { readonly username: string; readonly proxyUrl?: string | null } | null;
}

export interface InstagramVerifyDeps {
  /** Tests: the library edge. */
  readonly createGateway?: GatewayFactory;
}

export async function instagramVerifyCommand(config: InstagramVerifyConfig, code: string | undefined, deps: InstagramVerifyDeps = {}): Promise<string> {
  if (code === undefined || code.trim() === '') throw new UsageError('instagram verify needs the code Instagram sent (SMS, e-mail or authenticator app)');
  const trimmed = code.replace(/\s+/g, '');
  if (!isVerificationCode(trimmed)) throw new UsageError(`the code must be 4 to 8 digits, got "${code}"`);
  if (config.instagram === null) throw new Error('IG_USERNAME is not set: the Instagram channel is not configured');
  // Logs go to stderr so stdout holds only the result line.
  const logger = createLogger(config.logLevel, pino.destination(2));
  const db = openDatabase(config.dbPath);
  try {
    const outcome = await verifyInstagramLogin({
      db,
      username: config.instagram.username,
      code: trimmed,
      logger,
      ...(config.instagram.proxyUrl ? { proxyUrl: config.instagram.proxyUrl } : {}),
      ...(deps.createGateway !== undefined ? { createGateway: deps.createGateway } : {}),
    });
    return `${resultLine(outcome)}\n`;
  } finally {
    db.close();
  }
}

/** Success as a line on stdout; anything else as an error (exit code 1) saying what to do next. */
function resultLine(outcome: VerifyOutcome): string {
  switch (outcome.outcome) {
    case 'verified':
      return outcome.kind === 'two_factor'
        ? 'Instagram two-factor login completed; session saved. The running bot resumes polling within a minute.'
        : 'Instagram challenge completed; session saved. The running bot resumes polling within a minute.';
    case 'nothing_pending':
      throw new Error('no Instagram challenge or two-factor login is waiting for a code (see /healthz for the channel status)');
    case 'rejected':
      throw new Error(`Instagram did not accept the code (${outcome.reason}); check it and run the command again with the latest code`);
    case 'challenge_next':
      throw new Error(
        outcome.codeRequested
          ? 'the code was accepted, but Instagram now asks to confirm the login: a new code was sent; run: npx sapa instagram verify <new code>'
          : 'the code was accepted, but Instagram now asks to confirm the login; confirm it in the Instagram app, then run: npx sapa instagram verify <code>',
      );
    case 'failed':
      throw new Error(`verification failed: ${outcome.reason}; try again later, or log in once in the Instagram app and restart SAPA`);
  }
}
