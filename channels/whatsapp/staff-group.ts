/**
 * The staff group on WhatsApp (WHATSAPP_STAFF_GROUP_JID): the binding between
 * group messages and the transport-neutral staff desk (src/staff-desk), the
 * same commands as the Telegram staff group:
 *   /ambil <n>, /balas <n> <teks>, /selesai <n>, /catatan <n> <teks>,
 *   /tiket <n>, /bantuan,
 * plus a quoted reply to a ticket post, which goes to the applicant like /balas.
 * Only numbers linked to active staff accounts act (`sapa staff link-whatsapp`);
 * anyone else is refused, and nothing is looked at or changed.
 *
 * Group messages are commands, not applicant messages, so they skip the
 * inbox; the message id is recorded in the same transaction as the command's
 * effects (OnceLog), so a replayed message changes nothing and answers nothing.
 */
import type { Logger } from 'pino';
import type { Clock } from '../../src/clock.js';
import { maskIdentifier } from '../../src/privacy.js';
import { createOnceLog, createStaffDesk, looksLikeCommand, parseStaffCommand, type StaffRequest } from '../../src/staff-desk/index.js';
import { ticketOfStaffPost } from '../../src/staff-alerts.js';
import type { StaffService } from '../../src/staff.js';
import type { Db } from '../../src/store/db.js';
import type { TicketService } from '../../src/tickets.js';
import type { WhatsappGroupMessage } from './intake.js';

export interface WhatsappStaffGroupDeps {
  readonly db: Db;
  readonly tickets: TicketService;
  readonly staff: StaffService;
  readonly clock: Clock;
  readonly logger: Logger;
  /** WHATSAPP_STAFF_GROUP_JID; the channel hands us only this group's messages. */
  readonly groupJid: string;
  /** For due times in /tiket (config SAPA_TZ). */
  readonly timeZone: string;
}

/** Posts feedback in the group, quoting the staff message it answers. */
export type GroupResponder = (text: string, quotedId: string) => Promise<void>;

export interface WhatsappStaffGroup {
  handle(message: WhatsappGroupMessage, respond: GroupResponder): Promise<void>;
}

export function createWhatsappStaffGroup(deps: WhatsappStaffGroupDeps): WhatsappStaffGroup {
  const { db, clock, groupJid } = deps;
  const log = deps.logger.child({ module: 'channel.whatsapp.staff-group' });
  const desk = createStaffDesk({ db, tickets: deps.tickets, staff: deps.staff, clock, timeZone: deps.timeZone });
  const once = createOnceLog({ db, channel: 'whatsapp', clock, prefix: `staff-msg:${groupJid}:` });

  /** null: nothing for us (chat among staff, other bots' commands). */
  function readRequest(message: WhatsappGroupMessage): StaffRequest | null {
    // Commands first, and nothing that looks like one is ever forwarded to an applicant.
    if (looksLikeCommand(message.text)) return parseStaffCommand(message.text) ?? null;
    if (message.quotedId === undefined) return null;
    const ticketId = ticketOfStaffPost(db, 'whatsapp', groupJid, message.quotedId);
    return ticketId === null ? null : { type: 'reply', ticketId, text: message.text };
  }

  return {
    async handle(message, respond) {
      const request = readRequest(message);
      if (request === null) return;
      // A LID we cannot map to a phone number has no number to check: refused like a stranger.
      const identity = { channel: 'whatsapp', number: message.author.phone ?? '' } as const;
      // Throws only when the database failed: then nothing was recorded.
      const handled = once.run(message.id, () => desk.execute(identity, request));
      if (!handled.first) {
        log.debug({ messageId: message.id }, 'staff group message already handled; not answered again');
        return;
      }
      const outcome = handled.value;
      log.info(
        {
          messageId: message.id,
          command: request.type,
          result: outcome.result,
          ticketId: outcome.ticket?.id,
          staffId: outcome.staff?.id,
          ...(outcome.result === 'refused' ? { from: maskIdentifier(message.author.jid) } : {}),
        },
        'whatsapp staff group command',
      );
      try {
        await respond(outcome.text, message.id);
      } catch (err) {
        // Feedback only: the command is committed and must not run again for this.
        log.warn({ err: err instanceof Error ? err.message : String(err) }, 'whatsapp staff group feedback failed');
      }
    },
  };
}
