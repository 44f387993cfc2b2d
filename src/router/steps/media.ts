/**
 * Messages the bot cannot read: an empty one, a voice note, media without words.
 *
 * Many applicants who cannot type (older people, people with a disability) send a voice
 * note or a photo of a letter instead (#22). The bot cannot understand either, so it does
 * not pretend to: a voice note becomes a handoff ticket (or joins the open one) with the
 * audio kept for an officer to listen to, and so does a photo or document sent without an
 * open ticket. The applicant is told at once which ticket, that an officer will listen (or
 * look) and answer here, and by when in business time. A recording over the limits, of a
 * type we cannot play, or not received is refused with the reason; the message itself is
 * stored either way (and joins an open ticket, so staff see it was sent).
 */
import { AUDIO_KINDS, AUDIO_MAX_BYTES, AUDIO_MAX_SECONDS, audioRefusal, type AttachmentKind } from '../../../channels/channel.js';
import type { VoiceRefusalReason } from '../../messages/index.js';
import type { StoredMedia } from '../../store/messages.js';
import type { Ticket } from '../../domain.js';
import { staffTexts } from '../../messages/staff.js';
import { messageRecordings } from '../../store/ticket-media.js';
import type { Decision, RouterKit, Step, Turn } from '../types.js';

/** Media we keep on a ticket; other kinds (stickers, locations, ...) get the "text only" reply. */
export const TICKET_MEDIA: ReadonlySet<string> = new Set(['image', 'document', 'voice', 'audio']);

export const AUDIO_LIMITS = Object.freeze({
  maxMinutes: Math.floor(AUDIO_MAX_SECONDS / 60),
  maxMegabytes: Math.floor(AUDIO_MAX_BYTES / (1024 * 1024)),
});

export function isAudio(attachment: Pick<StoredMedia, 'kind'>): boolean {
  return AUDIO_KINDS.has(attachment.kind as AttachmentKind);
}

/**
 * Why no recording of these can be played: the first one's limit, or 'not_received' when
 * the adapter could not download it. Null when at least one recording was kept with its bytes.
 */
export function voiceRefusal(audio: readonly StoredMedia[]): VoiceRefusalReason | null {
  let reason: VoiceRefusalReason | null = null;
  for (const attachment of audio) {
    // No bytes and no type: the download failed before the provider said what it was (Meta's
    // CDN unreachable), so the recording was not received, not of a type we cannot play.
    const limit = attachment.mimeType === null && !attachment.hasData ? null : audioRefusal(attachment);
    if (limit === null && attachment.hasData) return null;
    reason ??= limit ?? 'not_received';
  }
  return reason;
}

/** The ticket's line for staff when the message has no words. */
function summaryOf(turn: Turn, audio: readonly StoredMedia[]): string {
  if (audio.length > 0) {
    const seconds = audio[0]!.durationSeconds;
    return seconds === null ? '[Pesan suara]' : `[Pesan suara ${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}]`;
  }
  return turn.attachments.some((a) => a.kind === 'image') ? '[Foto]' : '[Berkas]';
}

/**
 * Joins the open ticket, else reopens one resolved a moment ago, else opens a handoff ticket.
 * Priority follows the usual rule: a priority group known from the words or the conversation
 * (an elderly applicant) makes it high.
 */
function ticketFor(kit: RouterKit, turn: Turn, summary: string): { ticket: Ticket; added: boolean } {
  if (turn.active) return { ticket: kit.addToTicket(turn, turn.active), added: true };
  const reopened = kit.reopenRecent(turn);
  if (reopened) return { ticket: reopened, added: true };
  const priorityGroup = turn.classification?.priorityGroup === true || turn.dialogue.facts.who === 'elderly';
  const ticket = kit.openTicket(turn, { kind: 'handoff', intent: 'human_handoff', priority: priorityGroup ? 'high' : 'normal', integrity: false, summary });
  return { ticket, added: false };
}

function voiceNote(kit: RouterKit, turn: Turn, audio: readonly StoredMedia[]): Decision {
  kit.resetMisses(turn);
  const refused = voiceRefusal(audio);
  if (refused !== null) {
    // Nothing is lost: the message is stored, and on an open ticket staff see it was sent.
    const ticketId = turn.active ? kit.addToTicket(turn, turn.active).id : null;
    kit.reply(turn, turn.m.voiceRefused(refused, AUDIO_LIMITS), [], ticketId);
    return { outcome: 'voice_refused', classification: turn.classification, ticketId };
  }
  const { ticket, added } = ticketFor(kit, turn, summaryOf(turn, audio));
  kit.reply(turn, turn.m.mediaReceived({ ...kit.ticketFacts(turn, ticket), what: 'voice', added }), [], ticket.id);
  if (added) {
    // A new ticket's post carries its recording; a voice note joining one is posted on its
    // own, so the officers in the group hear it too and can answer by replying to it.
    const recordings = messageRecordings(kit.db, turn.message.id, ticket.id);
    if (recordings.length > 0) {
      kit.alerts.raise({ kind: 'ticket_voice', audience: 'staff', ticketId: ticket.id, text: staffTexts.voiceAdded(ticket, audio[0]!.durationSeconds), attachments: recordings });
    }
  }
  return { outcome: added ? 'attachment_added' : 'handoff_opened', classification: turn.classification, ticketId: ticket.id };
}

/**
 * A photo or document sent with words while no ticket is open: the words get their answer as
 * usual, and the file still reaches an officer on a handoff ticket (a letter or an error
 * screen is why it was sent; answered from the knowledge base alone, nobody would see it).
 */
function withFileSeen(kit: RouterKit, turn: Turn, decision: Decision): Decision {
  if (decision.ticketId !== null || turn.active) return decision;
  const files = turn.attachments.filter((a) => (a.kind === 'image' || a.kind === 'document') && a.hasData);
  if (files.length === 0) return decision;
  // (The ticket's summary is the message's own words.)
  const { ticket, added } = ticketFor(kit, turn, summaryOf(turn, []));
  const what = files.some((a) => a.kind === 'image') ? 'photo' : 'file';
  kit.reply(turn, turn.m.mediaReceived({ ...kit.ticketFacts(turn, ticket), what, added, captioned: true }), [], ticket.id);
  return { ...decision, ticketId: ticket.id };
}

export function mediaStep(kit: RouterKit): Step {
  return {
    name: 'media',
    run(turn, next) {
      // A voice note is handled here even with a caption: its words are in the recording.
      const audio = turn.attachments.filter(isAudio);
      if (audio.length > 0) return voiceNote(kit, turn, audio);
      if (turn.text !== '') return withFileSeen(kit, turn, next());
      if (turn.attachments.length === 0) {
        kit.reply(turn, turn.m.emptyMessage, kit.mainTopics(turn));
        return { outcome: 'empty', classification: null, ticketId: null };
      }
      const files = turn.attachments.filter((a) => TICKET_MEDIA.has(a.kind));
      if (turn.active && files.length > 0) {
        const ticket = kit.addToTicket(turn, turn.active);
        if (ticket.assigneeId === null) kit.reply(turn, turn.m.attachmentAdded(ticket.ref), [], ticket.id);
        return { outcome: 'attachment_added', classification: null, ticketId: ticket.id };
      }
      if (files.length > 0) {
        // A letter or an error screen without an open ticket: an officer looks at it, when it arrived.
        if (!files.some((a) => a.hasData)) {
          kit.reply(turn, turn.m.fileNotReceived);
          return { outcome: 'file_refused', classification: null, ticketId: null };
        }
        const { ticket, added } = ticketFor(kit, turn, summaryOf(turn, []));
        const what = files.some((a) => a.kind === 'image' && a.hasData) ? 'photo' : 'file';
        kit.reply(turn, turn.m.mediaReceived({ ...kit.ticketFacts(turn, ticket), what, added }), [], ticket.id);
        return { outcome: added ? 'attachment_added' : 'handoff_opened', classification: null, ticketId: ticket.id };
      }
      kit.reply(turn, turn.m.textOnly);
      return { outcome: 'media_only', classification: null, ticketId: null };
    },
  };
}
