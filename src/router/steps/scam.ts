/**
 * Brokers, illegal fees, bribes, and scams in the office's name (someone asking for a
 * transfer, a fake "petugas" on WhatsApp, a fake page, quota sold for money): an integrity
 * ticket (high priority, supervisors alerted at once) and, for a scam, a clear warning:
 * applications only through M-Paspor, fees only through the billing code, the office never
 * asks for transfers.
 */
import { isScamReport } from '../cues.js';
import type { RouterKit, Step } from '../types.js';

export function scamStep(kit: RouterKit): Step {
  return {
    name: 'scam',
    run(turn, next) {
      const classification = turn.classification;
      if (turn.understanding?.source === 'button') return next();
      const scam = isScamReport(turn.forms());
      if (!scam && !classification?.integrity) return next();
      kit.resetMisses(turn);
      let ticket;
      let added = false;
      if (turn.active) {
        ticket = kit.flagIntegrity(turn, kit.addToTicket(turn, turn.active));
        added = true;
      } else {
        ticket = kit.openTicket(turn, { kind: 'complaint', intent: 'complaint', priority: 'high', integrity: true });
      }
      const facts = kit.ticketFacts(turn, ticket);
      const text = scam ? turn.m.scamWarning(facts) : added ? turn.m.complaintAdded(facts) : turn.m.integrityOpened(facts);
      kit.reply(turn, text, [], ticket.id);
      return { outcome: 'integrity_reported', classification, ticketId: ticket.id };
    },
  };
}
