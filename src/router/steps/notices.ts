/** Said or done before any answer: a truncated message is noted; files sent with text join the open ticket. */
import { TICKET_MEDIA } from './media.js';
import type { RouterKit, Step } from '../types.js';

export function noticesStep(kit: RouterKit): Step {
  return {
    name: 'notices',
    run(turn, next) {
      if (turn.message.textTruncated) kit.reply(turn, turn.m.truncated(turn.message.text.length));
      if (turn.active && !turn.classification?.complaint && turn.attachments.some((a) => TICKET_MEDIA.has(a.kind))) {
        kit.addToTicket(turn, turn.active);
      }
      return next();
    },
  };
}
