/**
 * "Bisa bantu saya?", "saya bingung", "mau tanya", "tolong", "🙏😭": the applicant wants help
 * but has not said with what. A friendly "tentu, soal apa?" with the main topics; never a
 * ticket, never the out-of-scope text.
 */
import { isVagueOpener } from '../cues.js';
import type { RouterKit, Step } from '../types.js';

export function vagueStep(kit: RouterKit): Step {
  return {
    name: 'vague',
    run(turn, next) {
      if (turn.understanding?.source !== 'message' || !isVagueOpener(turn.forms())) return next();
      kit.reply(turn, turn.m.vagueOpener, kit.mainTopics(turn));
      return { outcome: 'vague', classification: turn.classification, ticketId: null };
    },
  };
}
