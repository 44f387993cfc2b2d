/**
 * Our own long-polling loop.
 *
 * Why not `bot.launch()`: telegraf's Polling advances its offset before
 * handlers run, runs a batch's handlers concurrently, and when a handler
 * throws it stops polling, sets process.exitCode = 1 and calls getUpdates with
 * the advanced offset, which confirms the failed update (verified against the
 * fake Bot API: a throwing handler lost its update). This loop handles a batch
 * in order within each chat (the chats of a batch at once, so the core stores
 * them in one group commit), moves the offset only past updates the sink
 * accepted (in batch order), and on a failure backs off and asks again from
 * the failed update, so it is redelivered instead of lost.
 */
import { TelegramError } from 'telegraf';
import type { Telegraf } from 'telegraf';
import type { Update } from 'telegraf/types';
import type { Logger } from 'pino';
import { IntakeError, logSafeError } from './errors.js';
import { abortableSleep } from '../channel.js';
import { bridgeSignal, timeoutSignal } from './signals.js';
import type { StatusTracker } from './status.js';
import type { UpdateRunner } from './update-runner.js';

/** What we ask Telegram for, in both modes. */
export const ALLOWED_UPDATES = ['message', 'callback_query'] as const;

export interface PollLoopDeps {
  readonly bot: Telegraf;
  readonly updates: UpdateRunner;
  readonly status: StatusTracker;
  /** Long-poll `timeout` asked of Telegram, in seconds. */
  readonly pollTimeoutSeconds: number;
  readonly requestTimeoutMs: number;
  readonly isStopping: () => boolean;
  /** Aborts the in-flight long poll and any backoff wait. */
  readonly stopSignal: AbortSignal;
  readonly log: Logger;
}

/** Runs until stop; `onFirstAttempt` fires once polling runs or the first attempt failed. */
export async function runPollLoop(deps: PollLoopDeps, onFirstAttempt: () => void): Promise<void> {
  const { bot, updates, status, pollTimeoutSeconds, requestTimeoutMs, isStopping, stopSignal, log } = deps;
  const telegram = bot.telegram;
  let offset = 0;
  let prepared = false;
  let attempt = 0;
  // After an intake failure a successful getUpdates proves nothing: only a
  // stored batch resets the backoff and the status. An update the sink
  // keeps rejecting holds up intake (retried with backoff, status
  // 'reconnecting') rather than being skipped: the sink must throw only for
  // failures that can pass (database busy or down).
  let intakeFailing = false;
  while (!isStopping()) {
    try {
      if (!prepared) {
        // Asked once per process (telegraf reads it for every update; restarts of the loop reuse it).
        bot.botInfo ??= await telegram.callApi('getMe', {}, { signal: timeoutSignal(requestTimeoutMs) });
        // A webhook left over from webhook mode makes getUpdates answer 409.
        await telegram.callApi('deleteWebhook', { drop_pending_updates: false }, { signal: timeoutSignal(requestTimeoutMs) });
        prepared = true;
        log.info({ bot: bot.botInfo.username }, 'telegram long polling started');
        status.markConnected();
        onFirstAttempt();
      }
      const batch = await telegram.callApi(
        'getUpdates',
        { offset, timeout: pollTimeoutSeconds, allowed_updates: [...ALLOWED_UPDATES] },
        { signal: bridgeSignal(AbortSignal.any([stopSignal, AbortSignal.timeout((pollTimeoutSeconds + 15) * 1000)])) },
      );
      if (!intakeFailing) {
        status.markConnected();
        attempt = 0;
      }
      const outcomes = await processBatch(updates, batch);
      for (const [index, update] of batch.entries()) {
        const outcome = outcomes[index];
        if (outcome?.status === 'rejected') throw new IntakeError(update.update_id, outcome.reason);
        // Only now may the next getUpdates confirm it (and, in batch order, every one before it).
        offset = Math.max(offset, update.update_id + 1);
      }
      if (intakeFailing && !isStopping()) {
        intakeFailing = false;
        attempt = 0;
        status.markConnected();
      }
    } catch (err) {
      if (isStopping()) break;
      attempt++;
      intakeFailing = err instanceof IntakeError;
      if (err instanceof TelegramError && err.code === 409) prepared = false;
      const delayMs = status.markFailure(err, attempt, err instanceof IntakeError ? 'storing an update' : 'polling');
      onFirstAttempt();
      await abortableSleep(delayMs, stopSignal);
    }
  }
  await confirmOffset(bot, offset, log);
}

/**
 * Processes a batch with one chain per chat: a chat's updates in order (a later one only
 * after the earlier one was stored, and not at all if it failed), different chats at the
 * same time, so their messages reach the core together and are stored in one transaction
 * instead of one each. Outcomes in batch order.
 */
export function processBatch(updates: UpdateRunner, batch: readonly Update[]): Promise<PromiseSettledResult<void>[]> {
  const chains = new Map<string, Promise<void>>();
  const runs = batch.map((update) => {
    const key = chatKey(update);
    const previous = chains.get(key);
    const run = previous === undefined ? updates.process(update) : previous.then(() => updates.process(update));
    chains.set(key, run);
    return run;
  });
  return Promise.allSettled(runs);
}

function chatKey(update: Update): string {
  if ('message' in update) return `chat:${update.message.chat.id}`;
  if ('callback_query' in update) return `chat:${update.callback_query.message?.chat.id ?? update.callback_query.from.id}`;
  return 'other';
}

/** On a clean stop, confirm what was stored so a restart does not fetch it again. */
async function confirmOffset(bot: Telegraf, offset: number, log: Logger): Promise<void> {
  if (offset === 0) return;
  try {
    await bot.telegram.callApi('getUpdates', { offset, limit: 1, timeout: 0 }, { signal: timeoutSignal(2_000) });
  } catch (err) {
    // Harmless: the core drops the redelivered updates by their unique key.
    log.warn({ err: logSafeError(err) }, 'could not confirm the last offset on stop');
  }
}
