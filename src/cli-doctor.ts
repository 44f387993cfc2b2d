/**
 * `sapa doctor`: the "before going live" checklist from the configuration, the office
 * profile, the SLA file and the staff accounts in SAPA_DB. Prints one line per check
 * (Indonesian and English); the exit code is 1 when something needed is missing.
 */
import { existsSync } from 'node:fs';
import { alertTargetsOf } from './alert-targets.js';
import type { Config } from './config.js';
import { goLiveBlocked, goLiveChecks, formatGoLiveChecks, type GoLiveChannel, type GoLiveCheck } from './go-live.js';
import { loadKnowledgeBase } from './knowledge/index.js';
import { loadSlaPolicy } from './sla/policy.js';
import { createStaffService } from './staff.js';
import { openDatabase } from './store/db.js';

export interface DoctorResult {
  readonly checks: GoLiveCheck[];
  readonly text: string;
  readonly exitCode: 0 | 1;
}

/** The channels the configuration turns on (their link state needs the running bot: null). */
function configuredChannels(config: Config): GoLiveChannel[] {
  const channels: GoLiveChannel[] = [{ name: 'web', linked: true }];
  if (config.telegram !== null) channels.push({ name: 'telegram', linked: null });
  if (config.whatsapp !== null) channels.push({ name: 'whatsapp', linked: null });
  if (config.instagram !== null) channels.push({ name: 'instagram', linked: null });
  if (config.meta !== null) channels.push({ name: 'meta', linked: null });
  return channels;
}

export function doctorCommand(config: Config): DoctorResult {
  const policy = loadSlaPolicy({ file: config.slaFile, timeZone: config.timeZone });
  const office = loadKnowledgeBase(config.intentsDir, config.officeFile).office;
  // A database that does not exist yet has no accounts; do not create it just to look.
  let accounts: { role: 'staff' | 'supervisor' | 'admin'; disabled: boolean }[] = [];
  if (config.dbPath === ':memory:' || existsSync(config.dbPath)) {
    const db = openDatabase(config.dbPath);
    try {
      accounts = createStaffService(db).list().map((a) => ({ role: a.role, disabled: a.disabled }));
    } finally {
      db.close();
    }
  }
  const publicUrl = config.http.publicUrl;
  const checks = goLiveChecks({
    hoursConfirmed: policy.hoursConfirmed,
    office,
    channels: configuredChannels(config),
    accounts,
    supervisorTargets: alertTargetsOf(config).filter((t) => t.audience === 'supervisor').length,
    https: { ok: publicUrl !== null && publicUrl.startsWith('https://'), where: publicUrl },
  });
  return { checks, text: formatGoLiveChecks(checks), exitCode: goLiveBlocked(checks) ? 1 : 0 };
}
