/**
 * Accounts (admin) and channel status (admin); the alert feed is in desk-routes.ts.
 * The channels endpoint passes `channel.status()` through as is, so later adapters
 * (WhatsApp QR or pairing code, Instagram challenge) show up without dashboard changes.
 */
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core.js';
import type { StaffRole } from '../../domain.js';
import { STAFF_ROLES, type StaffAccount, type StaffService } from '../../staff.js';
import { goLiveBlocked, goLiveChecks } from '../../go-live.js';
import { HttpError } from '../errors.js';
import { AUDIT_ACTIONS, type AuditAction, type AuditLog } from './audit.js';
import { userOf } from './auth.js';
import { body, limit, oneOf, optionalOneOf, positiveId } from './input.js';
import { dateRange } from '../../metrics/index.js';
import type { MetaSetup } from '../../meta-setup.js';
import type { Login } from './login.js';
import type { SessionStore } from './sessions.js';

export interface AdminRouteDeps {
  readonly core: Core;
  readonly staff: StaffService;
  readonly audit: AuditLog;
  readonly sessions: SessionStore;
  readonly login: Login;
  /** Messenger and official Instagram setup (src/meta-setup.ts), shown on the channel page. */
  readonly metaSetup?: () => MetaSetup;
  /** PUBLIC_URL (null when unset): what applicants and Meta are given, so what must be https. */
  readonly publicUrl: string | null;
}

export function registerAdminRoutes(app: FastifyInstance, { core, staff, audit, sessions, login, metaSetup, publicUrl }: AdminRouteDeps): void {
  /** `lockedUntil`: until when logins in this name from unknown addresses are held back (login.ts). */
  const accountJson = (a: StaffAccount) => ({
    id: a.id,
    username: a.username,
    displayName: a.displayName,
    role: a.role,
    disabled: a.disabled,
    lockedUntil: login.throttledUntil(a.username)?.toISOString() ?? null,
    createdAt: a.createdAt.toISOString(),
  });
  const must = (username: string): StaffAccount => {
    const account = staff.findByUsername(username);
    if (!account) throw new HttpError('NOT_FOUND', `no staff account "${username}"`);
    return account;
  };
  const record = (actor: StaffAccount, action: AuditAction, target: string, ip: string, data?: Record<string, unknown>): void =>
    audit.record({ staffId: actor.id, username: actor.username, action, target, ip, ...(data ? { data } : {}) });

  // Supervisors need the list for the assignee filter; only admins change accounts.
  app.get('/api/staff', { config: { access: 'supervisor' } }, async () => {
    return { staff: staff.list().map(accountJson) };
  });

  app.post('/api/staff', { config: { access: 'admin' } }, async (request, reply) => {
    const actor = userOf(request).account;
    const input = body(request);
    const role = oneOf<StaffRole>(input['role'], STAFF_ROLES, 'role');
    if (typeof input['username'] !== 'string' || typeof input['password'] !== 'string') {
      throw new HttpError('VALIDATION', 'send username, password and role');
    }
    const displayName = typeof input['displayName'] === 'string' && input['displayName'].trim() !== '' ? input['displayName'].trim() : undefined;
    const account = staff.add({ username: input['username'], password: input['password'], role, ...(displayName ? { displayName } : {}) });
    record(actor, 'staff_added', account.username, request.ip);
    return reply.code(201).send({ staff: accountJson(account) });
  });

  app.post('/api/staff/:username/disable', { config: { access: 'admin' } }, async (request) => {
    const actor = userOf(request).account;
    const target = must((request.params as { username: string }).username);
    if (target.id === actor.id) throw new HttpError('CONFLICT', 'you cannot disable your own account');
    const account = staff.disable(target.username);
    sessions.revokeAllOf(account.id);
    record(actor, 'staff_disabled', account.username, request.ip);
    return { staff: accountJson(account) };
  });

  // Re-enable: the account may log in again; its sessions were ended when it was disabled.
  app.post('/api/staff/:username/enable', { config: { access: 'admin' } }, async (request) => {
    const actor = userOf(request).account;
    const target = must((request.params as { username: string }).username);
    const account = target.disabled ? staff.enable(target.username) : target;
    if (target.disabled) record(actor, 'staff_enabled', account.username, request.ip);
    return { staff: accountJson(account) };
  });

  app.post('/api/staff/:username/role', { config: { access: 'admin' } }, async (request) => {
    const actor = userOf(request).account;
    const target = must((request.params as { username: string }).username);
    const role = oneOf<StaffRole>(body(request)['role'], STAFF_ROLES, 'role');
    if (role === target.role) return { staff: accountJson(target) };
    // Not one's own: the acting admin stays admin, so an office always keeps one who can manage accounts.
    if (target.id === actor.id) throw new HttpError('CONFLICT', 'you cannot change your own role');
    // Every request reads the account again (auth.ts), so the new role applies at once.
    const account = staff.setRole(target.username, role);
    record(actor, 'staff_role_changed', account.username, request.ip, { from: target.role, to: role });
    return { staff: accountJson(account) };
  });

  app.post('/api/staff/:username/unlock', { config: { access: 'admin' } }, async (request) => {
    const actor = userOf(request).account;
    const target = must((request.params as { username: string }).username);
    // Clears the failures counted against this username (its login delay ends now).
    login.clear(target.username);
    record(actor, 'staff_unlocked', target.username, request.ip);
    return { staff: accountJson(must(target.username)) };
  });

  app.post('/api/staff/:username/password', { config: { access: 'admin' } }, async (request) => {
    const actor = userOf(request).account;
    const target = must((request.params as { username: string }).username);
    const input = body(request);
    if (typeof input['password'] !== 'string') throw new HttpError('VALIDATION', 'send password');
    const account = staff.setPassword(target.username, input['password']);
    // A new password ends the old sessions (a leaked cookie stops working too).
    sessions.revokeAllOf(account.id);
    login.clear(account.username);
    record(actor, 'staff_password_set', account.username, request.ip);
    return { staff: accountJson(account) };
  });

  /**
   * The audit log, newest first: `limit` (default 50, at most 500), `before` (the id from
   * `nextBefore`, for the next page), filters `action`, `username` (who), `target`,
   * `from`/`to` (office-local days, inclusive).
   */
  app.get('/api/audit', { config: { access: 'admin' } }, async (request) => {
    const q = request.query as Record<string, unknown>;
    const str = (key: string): string | undefined => (typeof q[key] === 'string' && (q[key] as string).trim() !== '' ? (q[key] as string).trim() : undefined);
    const action = optionalOneOf<AuditAction>(q['action'], AUDIT_ACTIONS, 'action');
    const before = q['before'] === undefined || q['before'] === '' ? undefined : positiveId(q['before'], 'before');
    const from = str('from');
    const to = str('to');
    const days = from !== undefined || to !== undefined ? dateRange(from ?? to!, to ?? from!, core.timeZone) : null;
    const username = str('username');
    const target = str('target');
    const page = audit.query({
      limit: limit(q['limit'], 50, 500),
      ...(before !== undefined ? { before } : {}),
      ...(action !== undefined ? { action } : {}),
      ...(username !== undefined ? { username } : {}),
      ...(target !== undefined ? { target } : {}),
      ...(days !== null ? { fromMs: days.startMs, toMs: days.endMs } : {}),
    });
    return { entries: page.entries.map((e) => ({ ...e, createdAt: e.createdAt.toISOString() })), nextBefore: page.nextBefore };
  });

  /**
   * "Before going live" (the same checks as `sapa doctor`), from the running bot: the office
   * profile and confirmed hours it uses, the channels' live status, the accounts, the
   * supervisor chats, and whether the configured PUBLIC_URL is https (as `sapa doctor` checks;
   * the protocol of this request says nothing about what applicants are given).
   */
  app.get('/api/golive', { config: { access: 'admin' } }, async () => {
    const checks = goLiveChecks({
      hoursConfirmed: core.sla.officeHoursText() !== null,
      office: core.knowledge().office,
      channels: core.channels().map((channel) => ({ name: channel.name, linked: channel.status().state === 'connected' })),
      accounts: staff.list(),
      supervisorTargets: core.alerts.targets().filter((target) => target.audience === 'supervisor').length,
      https: { ok: publicUrl !== null && publicUrl.startsWith('https://'), where: publicUrl },
    });
    return { ready: !goLiveBlocked(checks), checks };
  });

  app.get('/api/channels', { config: { access: 'admin' } }, async () => ({
    channels: await Promise.all(
      core.channels().map(async (channel) => {
        const status = channel.status();
        // WhatsApp waiting to be linked: the QR (as an image URL) or the pairing code.
        const prompt = status.state === 'needs_attention' && channel.linkingPrompt ? await channel.linkingPrompt() : null;
        return {
          name: channel.name,
          status: {
            ...('retryAt' in status && status.retryAt ? { ...status, retryAt: status.retryAt.toISOString() } : status),
            ...(prompt?.qrDataUrl ? { qr: prompt.qrDataUrl } : {}),
            ...(prompt?.pairingCode ? { pairingCode: prompt.pairingCode } : {}),
          },
          capabilities: channel.capabilities,
        };
      }),
    ),
    // Messenger and Instagram (official): the webhook address and what is still missing, configured or not.
    meta: metaSetup?.() ?? null,
  }));
}
