/** Abort and timeout plumbing for telegraf calls and the intake loops. */
import type { Telegram } from 'telegraf';

export type TelegrafSignal = NonNullable<NonNullable<Parameters<Telegram['callApi']>[2]>['signal']>;

/**
 * telegraf types `signal` with the abort-controller polyfill's class, which
 * Node's AbortSignal does not match structurally. At runtime telegraf hands
 * the signal to node-fetch 2, whose check is `constructor.name ===
 * 'AbortSignal'`, which Node's signals (timeout/any included) pass. The
 * cast is confined here.
 */
export function bridgeSignal(signal: AbortSignal): TelegrafSignal {
  return signal as unknown as TelegrafSignal;
}

/** A signal that aborts a single API call after `ms`. */
export function timeoutSignal(ms: number): TelegrafSignal {
  return bridgeSignal(AbortSignal.timeout(ms));
}

