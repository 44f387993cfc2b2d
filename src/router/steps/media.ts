/** Messages without text: an empty one, media only (kept on an open ticket when it is a photo or document). */
import type { RouterKit, Step } from '../types.js';

/** Media we keep on a ticket; other kinds get the "text only" reply. */
export const TICKET_MEDIA: ReadonlySet<string> = new Set(['image', 'document']);

export function mediaStep(kit: RouterKit): Step {
  return {
    name: 'media',
    run(turn, next) {
      if (turn.text !== '') return next();
      if (turn.attachments.length === 0) {
        kit.reply(turn, turn.m.emptyMessage, kit.mainTopics(turn));
        return { outcome: 'empty', classification: null, ticketId: null };
      }
      const keepable = turn.attachments.some((a) => TICKET_MEDIA.has(a.kind));
      if (turn.active && keepable) {
        const ticket = kit.addToTicket(turn, turn.active);
        if (ticket.assigneeId === null) kit.reply(turn, turn.m.attachmentAdded(ticket.ref), [], ticket.id);
        return { outcome: 'attachment_added', classification: null, ticketId: ticket.id };
      }
      kit.reply(turn, turn.m.textOnly);
      return { outcome: 'media_only', classification: null, ticketId: null };
    },
  };
}
