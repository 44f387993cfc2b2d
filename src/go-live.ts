/**
 * "Before going live": what an office must have in place before applicants are pointed at
 * SAPA, judged from plain facts so `sapa doctor` (configuration and files) and the
 * dashboard's admin checklist (the running bot) say the same. Pure: no I/O here.
 */
import type { StaffRole } from './domain.js';

export type CheckLevel = 'needed' | 'recommended';

export interface GoLiveCheck {
  readonly id: 'office_profile' | 'hours_confirmed' | 'channels' | 'supervisors' | 'admin' | 'https';
  readonly level: CheckLevel;
  readonly ok: boolean;
  /** What is checked, Indonesian then English. */
  readonly title: { readonly id: string; readonly en: string };
  /** What was found, or what to do when it is not ok. */
  readonly detail: { readonly id: string; readonly en: string };
}

export interface GoLiveChannel {
  readonly name: string;
  /** True when linked and connected, false when it needs attention, null when unknown (the CLI cannot see a running bot). */
  readonly linked: boolean | null;
}

export interface GoLiveFacts {
  /** `hours_confirmed` in the SLA file. */
  readonly hoursConfirmed: boolean;
  /** data/office.yaml as loaded (empty string = not filled). */
  readonly office: Readonly<Record<string, string>>;
  readonly channels: readonly GoLiveChannel[];
  readonly accounts: readonly { readonly role: StaffRole; readonly disabled: boolean }[];
  /** Supervisor chats (Telegram, WhatsApp) that receive alerts and the digest. */
  readonly supervisorTargets: number;
  /** Whether staff and applicants reach SAPA over HTTPS, and what it is (PUBLIC_URL or the page's address). */
  readonly https: { readonly ok: boolean; readonly where: string | null };
}

/** Office facts applicants ask for first: without them the bot answers "not confirmed" to the basics. */
const NEEDED_OFFICE_FIELDS = ['address'] as const;
const CONTACT_FIELDS = ['phone', 'whatsapp', 'email'] as const;
const RECOMMENDED_OFFICE_FIELDS = ['maps_url', 'website', 'instagram', 'quota_schedule', 'priority_hours'] as const;
/** Channels an applicant reaches from outside the building (the web chat and the terminal are always there). */
const INTERNAL_CHANNELS = new Set(['web', 'console']);

export function goLiveChecks(facts: GoLiveFacts): GoLiveCheck[] {
  const missingNeeded = [
    ...NEEDED_OFFICE_FIELDS.filter((field) => !facts.office[field]),
    ...(CONTACT_FIELDS.some((field) => facts.office[field]) ? [] : ['phone/whatsapp/email']),
  ];
  const missingRecommended = RECOMMENDED_OFFICE_FIELDS.filter((field) => !facts.office[field]);
  const external = facts.channels.filter((c) => !INTERNAL_CHANNELS.has(c.name));
  const broken = external.filter((c) => c.linked === false).map((c) => c.name);
  const unknown = external.filter((c) => c.linked === null).map((c) => c.name);
  const active = facts.accounts.filter((a) => !a.disabled);
  const supervisors = active.filter((a) => a.role === 'supervisor' || a.role === 'admin').length;
  const admins = active.filter((a) => a.role === 'admin').length;

  return [
    {
      id: 'office_profile',
      level: 'needed',
      ok: missingNeeded.length === 0,
      title: { id: 'Profil kantor terisi (data/office.yaml)', en: 'Office profile filled in (data/office.yaml)' },
      detail:
        missingNeeded.length > 0
          ? {
              id: `Belum diisi: ${missingNeeded.join(', ')}. Isi hanya yang sudah dikonfirmasi kantor; bot menjawab "belum ada informasi" untuk yang kosong.`,
              en: `Not filled in: ${missingNeeded.join(', ')}. Fill in only what the office confirmed; the bot says "no confirmed information" for empty fields.`,
            }
          : missingRecommended.length > 0
            ? { id: `Lengkap untuk yang wajib; masih kosong (boleh menyusul): ${missingRecommended.join(', ')}.`, en: `Needed fields filled; still empty (may follow): ${missingRecommended.join(', ')}.` }
            : { id: 'Semua isian utama terisi.', en: 'All main fields filled in.' },
    },
    {
      id: 'hours_confirmed',
      level: 'needed',
      ok: facts.hoursConfirmed,
      title: { id: 'Jam layanan dikonfirmasi (data/sla.yaml)', en: 'Office hours confirmed (data/sla.yaml)' },
      detail: facts.hoursConfirmed
        ? { id: 'Bot menyebut jam buka dari business_hours.', en: 'The bot states the opening hours from business_hours.' }
        : {
            id: 'Periksa business_hours (termasuk jam istirahat, mis. "08:00-12:00, 13:00-16:00"), lalu tulis hours_confirmed: true dan mulai ulang SAPA. Sampai itu bot tidak menyebut jam buka.',
            en: 'Check business_hours (with any lunch break, e.g. "08:00-12:00, 13:00-16:00"), then set hours_confirmed: true and restart SAPA. Until then the bot states no opening time.',
          },
    },
    {
      id: 'channels',
      level: 'needed',
      ok: external.length > 0 && broken.length === 0,
      title: { id: 'Kanal pemohon tersambung', en: 'Applicant channels linked' },
      detail:
        external.length === 0
          ? {
              id: 'Hanya web chat yang aktif. Sambungkan WhatsApp, Telegram atau Instagram (README, "Channels").',
              en: 'Only the web chat is on. Link WhatsApp, Telegram or Instagram (README, "Channels").',
            }
          : broken.length > 0
            ? { id: `Perlu ditautkan lagi: ${broken.join(', ')} (halaman Kanal).`, en: `Needs linking again: ${broken.join(', ')} (Channels page).` }
            : unknown.length > 0
              ? {
                  id: `Dikonfigurasi: ${external.map((c) => c.name).join(', ')}; lihat halaman Kanal di dasbor untuk status tautannya.`,
                  en: `Configured: ${external.map((c) => c.name).join(', ')}; see the dashboard's Channels page for their link status.`,
                }
              : { id: `Tersambung: ${external.map((c) => c.name).join(', ')}.`, en: `Connected: ${external.map((c) => c.name).join(', ')}.` },
    },
    {
      id: 'supervisors',
      level: 'needed',
      ok: supervisors > 0,
      title: { id: 'Pengawas bisa dihubungi', en: 'Supervisors reachable' },
      detail:
        supervisors === 0
          ? {
              id: 'Tidak ada akun pengawas aktif: laporan integritas dan eskalasi SLA tidak dibaca siapa pun. Buat dengan: npx sapa staff add <nama> --role supervisor --password-stdin',
              en: 'No active supervisor account: integrity reports and SLA escalations reach no one. Create one: npx sapa staff add <name> --role supervisor --password-stdin',
            }
          : facts.supervisorTargets === 0
            ? {
                id: `${supervisors} akun pengawas/admin melihat peringatan di dasbor; sebaiknya isi juga TELEGRAM_SUPERVISOR_CHAT_IDS atau WHATSAPP_SUPERVISOR_NUMBERS agar peringatan segera dan ringkasan harian sampai ke ponsel.`,
                en: `${supervisors} supervisor/admin account(s) see alerts on the dashboard; also set TELEGRAM_SUPERVISOR_CHAT_IDS or WHATSAPP_SUPERVISOR_NUMBERS so urgent alerts and the daily digest reach their phones.`,
              }
            : { id: `${supervisors} akun pengawas/admin, ${facts.supervisorTargets} chat pengawas.`, en: `${supervisors} supervisor/admin account(s), ${facts.supervisorTargets} supervisor chat(s).` },
    },
    {
      id: 'admin',
      level: 'needed',
      ok: admins > 0,
      title: { id: 'Akun admin ada', en: 'An admin account exists' },
      detail:
        admins > 0
          ? { id: `${admins} admin aktif.`, en: `${admins} active admin(s).` }
          : { id: 'Buat dengan: npx sapa staff add <nama> --role admin --password-stdin', en: 'Create one: npx sapa staff add <name> --role admin --password-stdin' },
    },
    {
      id: 'https',
      level: 'needed',
      ok: facts.https.ok,
      title: { id: 'HTTPS (PUBLIC_URL)', en: 'HTTPS (PUBLIC_URL)' },
      detail: facts.https.ok
        ? { id: `Alamat publik: ${facts.https.where ?? ''}.`, en: `Public address: ${facts.https.where ?? ''}.` }
        : {
            id: `${facts.https.where ? `${facts.https.where} bukan https. ` : 'PUBLIC_URL belum diisi. '}Pasang SAPA di belakang reverse proxy dengan HTTPS dan isi PUBLIC_URL=https://... (README, "Reverse proxy with HTTPS"); tanpa itu kata sandi petugas dan pesan pemohon lewat tanpa enkripsi.`,
            en: `${facts.https.where ? `${facts.https.where} is not https. ` : 'PUBLIC_URL is not set. '}Put SAPA behind a reverse proxy with HTTPS and set PUBLIC_URL=https://... (README, "Reverse proxy with HTTPS"); without it staff passwords and applicants' messages travel unencrypted.`,
          },
    },
  ];
}

/** Whether anything needed is missing (`sapa doctor` exits 1). */
export function goLiveBlocked(checks: readonly GoLiveCheck[]): boolean {
  return checks.some((check) => check.level === 'needed' && !check.ok);
}

/** The checks as terminal lines: "[OK] ..." / "[PERLU] ..." in Indonesian, then English. */
export function formatGoLiveChecks(checks: readonly GoLiveCheck[]): string {
  const lines: string[] = ['Sebelum operasi / Before going live', ''];
  for (const check of checks) {
    const mark = check.ok ? '[OK]   ' : check.level === 'needed' ? '[PERLU]' : '[SARAN]';
    lines.push(`${mark} ${check.title.id} / ${check.title.en}`);
    lines.push(`        ${check.detail.id}`);
    lines.push(`        ${check.detail.en}`);
  }
  const blocked = goLiveBlocked(checks);
  lines.push(
    '',
    blocked
      ? 'Belum siap: lengkapi butir [PERLU] di atas. / Not ready: fix the [PERLU] (needed) items above.'
      : 'Siap operasi. / Ready to go live.',
  );
  return `${lines.join('\n')}\n`;
}
