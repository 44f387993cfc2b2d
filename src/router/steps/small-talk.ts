/** Greetings get the welcome and the main topics; thanks a warm closing. */
import type { RouterKit, Step } from '../types.js';

export function smallTalkStep(kit: RouterKit): Step {
  return {
    name: 'small-talk',
    run(turn, next) {
      const intent = turn.understanding?.intent;
      const text = intent === 'greeting' || intent === 'thanks' ? kit.text(turn, intent) : null;
      if (text === null) return next();
      kit.resetMisses(turn);
      kit.reply(turn, text, intent === 'greeting' ? kit.mainTopics(turn) : []);
      return { outcome: 'small_talk', classification: turn.classification, ticketId: null };
    },
  };
}
