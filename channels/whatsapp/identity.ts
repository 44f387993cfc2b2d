/**
 * Who wrote: one stable identity per person whether WhatsApp addressed them
 * by phone number (`...@s.whatsapp.net`) or by LID (`...@lid`, newer
 * accounts and privacy-enabled chats). The phone JID is the stable id when it
 * is known, from the key's `remoteJidAlt`/`participantAlt` or from the
 * lid-mapping store Baileys keeps with the signal keys; only a LID we cannot
 * map is used as is. Mappings learned from a message's alt JID are written
 * back in Baileys' own lid-mapping format, so a later LID-only message from
 * the same person resolves to the same contact.
 */
import { isHostedLidUser, isHostedPnUser, isLidUser, isPnUser, jidDecode, jidNormalizedUser } from '@whiskeysockets/baileys';
import type { SignalKeyStore, WAMessageKey } from '@whiskeysockets/baileys';

export interface ResolvedPerson {
  /** The stable id: the phone JID when known, otherwise the LID JID. */
  readonly jid: string;
  /** Digits with country code (6281234567890) when the phone number is known. */
  readonly phone?: string;
  readonly lid?: string;
}

export interface IdentityResolver {
  /** The author of a one-to-one message (the chat partner) or of a group message (the participant). */
  resolve(key: WAMessageKey): Promise<ResolvedPerson | undefined>;
}

type LidMappingKeys = Pick<SignalKeyStore, 'get' | 'set'>;

function isPn(jid: string | null | undefined): jid is string {
  return typeof jid === 'string' && (isPnUser(jid) === true || isHostedPnUser(jid) === true);
}

function isLid(jid: string | null | undefined): jid is string {
  return typeof jid === 'string' && (isLidUser(jid) === true || isHostedLidUser(jid) === true);
}

function userOf(jid: string): string | undefined {
  return jidDecode(jid)?.user;
}

/** Whose message this is: in a group the participant, otherwise the chat partner. */
function authorOf(key: WAMessageKey): { jid: string | undefined; alt: string | undefined } {
  if (typeof key.participant === 'string' && key.participant !== '') {
    return { jid: key.participant, alt: key.participantAlt };
  }
  return { jid: key.remoteJid ?? undefined, alt: key.remoteJidAlt };
}

export function createIdentityResolver(keys: LidMappingKeys): IdentityResolver {
  async function phoneForLid(lid: string): Promise<string | undefined> {
    const lidUser = userOf(lid);
    if (lidUser === undefined) return undefined;
    const found = await keys.get('lid-mapping', [`${lidUser}_reverse`]);
    const pnUser = found[`${lidUser}_reverse`];
    return typeof pnUser === 'string' && pnUser !== '' ? `${pnUser}@s.whatsapp.net` : undefined;
  }

  async function remember(pn: string, lid: string): Promise<void> {
    const pnUser = userOf(pn);
    const lidUser = userOf(lid);
    if (pnUser === undefined || lidUser === undefined) return;
    const known = await keys.get('lid-mapping', [`${lidUser}_reverse`]);
    if (known[`${lidUser}_reverse`] === pnUser) return;
    // The same two entries Baileys' LIDMappingStore writes (pn -> lid, lid_reverse -> pn).
    await keys.set({ 'lid-mapping': { [pnUser]: lidUser, [`${lidUser}_reverse`]: pnUser } });
  }

  return {
    async resolve(key) {
      const author = authorOf(key);
      if (author.jid === undefined) return undefined;
      const jid = jidNormalizedUser(author.jid);
      const alt = author.alt === undefined || author.alt === '' ? undefined : jidNormalizedUser(author.alt);
      let pn: string | undefined;
      let lid: string | undefined;
      if (isPn(jid)) {
        pn = jid;
        lid = isLid(alt) ? alt : undefined;
      } else if (isLid(jid)) {
        lid = jid;
        pn = isPn(alt) ? alt : await phoneForLid(jid);
      } else {
        return undefined;
      }
      // Learned from this message's alt JID (not from the store): keep it for LID-only messages later.
      if (pn !== undefined && lid !== undefined && (alt === pn || alt === lid)) await remember(pn, lid);
      const phone = pn === undefined ? undefined : userOf(pn);
      return {
        jid: pn ?? jid,
        ...(phone !== undefined ? { phone } : {}),
        ...(lid !== undefined ? { lid } : {}),
      };
    },
  };
}
