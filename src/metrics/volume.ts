/** Ticket volume by channel, intent and SERVQUAL dimension, most frequent first. */
import type { TicketFact } from './ticket-facts.js';

export interface Count {
  readonly key: string;
  readonly count: number;
}

export interface VolumeReport {
  readonly tickets: number;
  readonly byChannel: readonly Count[];
  /** #21: chat, or how staff received it (desk, phone, letter, lapor, email, other). */
  readonly byOrigin: readonly Count[];
  readonly byIntent: readonly Count[];
  readonly byServqual: readonly Count[];
}

export function countBy<T>(items: readonly T[], keyOf: (item: T) => string): Count[] {
  const counts = new Map<string, number>();
  for (const item of items) {
    const key = keyOf(item);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([key, count]) => ({ key, count })).sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

export function volume(facts: readonly TicketFact[]): VolumeReport {
  return {
    tickets: facts.length,
    byChannel: countBy(facts, (f) => f.channel),
    byOrigin: countBy(facts, (f) => f.origin),
    byIntent: countBy(facts, (f) => f.intent),
    byServqual: countBy(facts, (f) => f.servqual),
  };
}
