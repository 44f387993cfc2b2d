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


/** true when `promise` settled within `ms`. */
export async function raceTimeout(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true, () => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
