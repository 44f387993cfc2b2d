/**
 * In-process notifications after a state change (live dashboard, staff-channel posts).
 * Listeners run on a later tick, after the synchronous SQLite transaction that caused
 * the change has committed; a listener's failure is logged by the caller's boundary
 * and never reaches the code that changed the state.
 */
export type DomainEvent =
  | { readonly type: 'ticket.opened'; readonly ticketId: number }
  | { readonly type: 'ticket.changed'; readonly ticketId: number; readonly change: string }
  | { readonly type: 'message.inbound'; readonly conversationId: number; readonly messageId: number; readonly ticketId: number | null }
  | { readonly type: 'message.outbound'; readonly conversationId: number; readonly messageId: number }
  | { readonly type: 'alert.raised'; readonly alertId: number; readonly kind: string; readonly ticketId: number | null }
  | { readonly type: 'message.delivery'; readonly conversationId: number; readonly messageId: number; readonly status: 'sent' | 'failed' | 'delivered' | 'read' };

export type EventListener = (event: DomainEvent) => void;

export interface EventBus {
  publish(event: DomainEvent): void;
  subscribe(listener: EventListener): () => void;
}

export function createEventBus(onListenerError: (err: unknown, event: DomainEvent) => void): EventBus {
  const listeners = new Set<EventListener>();
  // Events published in one synchronous stretch are delivered, in order, on one later
  // tick: a routed batch publishes several per message, and one timer per event cost more
  // than the delivery itself.
  let queue: DomainEvent[] = [];
  let scheduled = false;
  const deliver = (): void => {
    scheduled = false;
    const batch = queue;
    queue = [];
    for (const event of batch) {
      for (const listener of listeners) {
        try {
          listener(event);
        } catch (err) {
          onListenerError(err, event);
        }
      }
    }
  };
  return {
    publish(event) {
      queue.push(event);
      if (!scheduled) {
        scheduled = true;
        setImmediate(deliver);
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
