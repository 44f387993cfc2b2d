/**
 * Saves the library's session to the database after every HTTP response
 * (`request.end$`): cookies and the authorization header change during a
 * session, and a restart must pick up the latest ones instead of logging in.
 * Saves run one after another so an older snapshot never overwrites a newer one.
 */
import type { Logger } from 'pino';
import type { IgGateway } from './gateway.js';
import type { InstagramStateStore } from './state-store.js';

export interface SessionSaver {
  /** Resolves once every response seen so far has been saved. */
  flush(): Promise<void>;
}

export function attachSessionSaver(deps: { gateway: IgGateway; store: InstagramStateStore; log: Logger }): SessionSaver {
  const { gateway, store, log } = deps;
  let chain: Promise<void> = Promise.resolve();
  // Several responses in one tick need one save (the last state covers them).
  let queued = false;

  const save = async (): Promise<void> => {
    queued = false;
    try {
      store.saveSession(await gateway.serialize());
    } catch (err) {
      // The next response saves again; a restart in between logs in with the older session.
      log.error({ err }, 'could not save the Instagram session');
    }
  };

  gateway.onRequestEnd(() => {
    if (queued) return;
    queued = true;
    chain = chain.then(save);
  });

  return {
    async flush() {
      // end$ fires on process.nextTick after the response; let it run first.
      await new Promise<void>((resolve) => setImmediate(resolve));
      await chain;
    },
  };
}
