/** "status tiket 12", "status laporan saya": that ticket (only the applicant's own) or the latest. */
import type { RouterKit, Step } from '../types.js';

export function statusStep(kit: RouterKit): Step {
  return {
    name: 'status',
    run(turn, next) {
      if (turn.understanding?.intent !== 'ticket_status') return next();
      kit.resetMisses(turn);
      // Asking after the open ticket is part of it: the officer sees the applicant is waiting.
      const asked = turn.classification?.ticketNumber;
      if (turn.active && (asked === undefined || asked === turn.active.id)) kit.addToTicket(turn, turn.active);
      const ticketId = kit.reportStatus(turn, turn.classification?.ticketNumber);
      return { outcome: 'status', classification: turn.classification, ticketId };
    },
  };
}
