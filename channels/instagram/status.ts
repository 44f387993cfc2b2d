/**
 * The channel's status as /healthz and the dashboard see it; staff are told
 * (onProblem) whenever the channel starts to need a person.
 */
import type { Logger } from 'pino';
import type { ChannelStatus } from '../channel.js';
import type { AuthProblem } from './auth.js';

export interface StatusTracker {
  current(): ChannelStatus;
  starting(): void;
  connected(): void;
  reconnecting(reason: string, retryAt: Date): void;
  needsAttention(problem: AuthProblem): void;
  stopped(): void;
}

export function createStatusTracker(deps: { log: Logger; onProblem?: (text: string) => void }): StatusTracker {
  const { log } = deps;
  let status: ChannelStatus = { state: 'stopped' };

  function set(next: ChannelStatus): void {
    if (next.state !== status.state) log.info({ state: next.state }, 'instagram channel status');
    status = next;
  }

  return {
    current: () => status,
    starting: () => set({ state: 'starting' }),
    connected() {
      if (status.state !== 'connected') set({ state: 'connected', detail: 'polling' });
    },
    reconnecting: (reason, retryAt) => set({ state: 'reconnecting', reason, retryAt }),
    needsAttention(problem) {
      const same = status.state === 'needs_attention' && status.reason === problem.reason;
      set({ state: 'needs_attention', reason: problem.reason, action: problem.action });
      if (same) return;
      log.warn({ kind: problem.kind }, 'instagram channel needs attention; polling stopped');
      try {
        deps.onProblem?.(`Instagram channel stopped: ${problem.reason}. To fix: ${problem.action}`);
      } catch (err) {
        // Alerting must not take the channel down with it.
        log.error({ err }, 'instagram onProblem callback failed');
      }
    },
    stopped: () => set({ state: 'stopped' }),
  };
}
