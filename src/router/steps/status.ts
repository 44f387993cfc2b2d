/** "status tiket 12", "status laporan saya": that ticket (only the applicant's own) or the latest. */
import type { RouterKit, Step } from '../types.js';

export function statusStep(kit: RouterKit): Step {
  return {
    name: 'status',
    run(turn, next) {
      if (turn.understanding?.intent !== 'ticket_status') return next();
      kit.resetMisses(turn);
      const ticketId = kit.reportStatus(turn, turn.classification?.ticketNumber);
      return { outcome: 'status', classification: turn.classification, ticketId };
    },
  };
}
