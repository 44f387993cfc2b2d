/** Where staff and supervisor alerts go, from the configuration (one mapping for the bot and the CLI). */
import type { Config } from './config.js';
import type { AlertTarget } from './staff-alerts.js';

export function alertTargetsOf(config: Config): AlertTarget[] {
  const targets: AlertTarget[] = [];
  const telegram = config.telegram;
  if (telegram !== null) {
    if (telegram.staffChatId !== null) targets.push({ channel: 'telegram', externalId: telegram.staffChatId, audience: 'staff' });
    for (const id of telegram.supervisorChatIds) targets.push({ channel: 'telegram', externalId: id, audience: 'supervisor' });
  }
  if (config.whatsapp?.staffGroupJid) targets.push({ channel: 'whatsapp', externalId: config.whatsapp.staffGroupJid, audience: 'staff' });
  // The WhatsApp adapter addresses people by JID.
  for (const number of config.whatsapp?.supervisorNumbers ?? []) {
    targets.push({ channel: 'whatsapp', externalId: `${number}@s.whatsapp.net`, audience: 'supervisor' });
  }
  return targets;
}
