/**
 * Instagram's private API as nock@14 interceptors on https://i.instagram.com,
 * answering the real library (instagram-private-api) with bodies shaped like
 * the app's: inbox and pending-inbox pages, login with a real RSA key (the
 * library encrypts the password with it), broadcast, approve, challenge and
 * two-factor endpoints. Builders keep the tests' data short.
 */
import { generateKeyPairSync } from 'node:crypto';
import nock from 'nock';

export const IG_HOST = 'https://i.instagram.com';

/** The office account in the tests. */
export const OFFICE = { pk: '7001', username: 'kanim.kupang' } as const;

let publicKeyB64: string | undefined;

/** The public key Instagram hands out for password encryption (generated once per test file). */
function passwordKey(): string {
  if (publicKeyB64 === undefined) {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    publicKeyB64 = Buffer.from(publicKey.export({ type: 'spki', format: 'pem' })).toString('base64');
  }
  return publicKeyB64;
}

/** The `ig-set-authorization` header value of a logged-in session for `pk`. */
export function authorizationFor(pk: string, sessionId = 'sess-1'): string {
  return `Bearer IGT:2:${Buffer.from(JSON.stringify({ ds_user_id: pk, sessionid: sessionId })).toString('base64')}`;
}

export function ig(): nock.Scope {
  return nock(IG_HOST);
}

/** qe/sync (hands out the password key) and a successful login. */
export function expectLogin(options: { pk?: string; username?: string; sessionId?: string } = {}): nock.Scope {
  const pk = options.pk ?? OFFICE.pk;
  return ig()
    .post('/api/v1/qe/sync/')
    .reply(200, { status: 'ok' }, { 'ig-set-password-encryption-key-id': '41', 'ig-set-password-encryption-pub-key': passwordKey() })
    .post('/api/v1/accounts/login/')
    .reply(
      200,
      { status: 'ok', logged_in_user: { pk: Number(pk), username: options.username ?? OFFICE.username } },
      { 'ig-set-authorization': authorizationFor(pk, options.sessionId) },
    );
}

/** qe/sync, then a login answered with `status` and `body` (bad password, two-factor, challenge). */
export function expectLoginFailure(status: number, body: Record<string, unknown>): nock.Scope {
  return ig()
    .post('/api/v1/qe/sync/')
    .reply(200, { status: 'ok' }, { 'ig-set-password-encryption-key-id': '41', 'ig-set-password-encryption-pub-key': passwordKey() })
    .post('/api/v1/accounts/login/')
    .reply(status, { status: 'fail', ...body });
}

// ---------------------------------------------------------------------------
// Bodies
// ---------------------------------------------------------------------------

/** Microseconds since the epoch, as the API sends item timestamps. */
export function usAt(at: Date | string): string {
  return (BigInt(new Date(at).getTime()) * 1000n).toString();
}

export interface ItemSpec {
  readonly id: string;
  readonly user: string;
  readonly at: Date | string;
}

export const item = {
  text: (spec: ItemSpec & { text: string }) => base(spec, 'text', { text: spec.text }),
  link: (spec: ItemSpec & { url: string; text?: string }) =>
    base(spec, 'link', { link: { text: spec.text ?? spec.url, link_context: { link_url: spec.url, link_title: 'x' } } }),
  mediaShare: (spec: ItemSpec & { code: string }) => base(spec, 'media_share', { media_share: { id: '1_2', code: spec.code, media_type: 1 } }),
  voice: (spec: ItemSpec) => base(spec, 'voice_media', { voice_media: { media: { audio: { audio_src: 'https://cdn.example/a.m4a', duration: 4200 } } } }),
  reel: (spec: ItemSpec & { code: string }) => base(spec, 'clip', { clip: { clip: { id: '9_9', code: spec.code, media_type: 2 } } }),
  photo: (spec: ItemSpec & { url: string; mediaId?: string }) =>
    base(spec, 'media', { media: { id: spec.mediaId ?? `m${spec.id}`, media_type: 1, image_versions2: { candidates: [{ url: spec.url, width: 1080, height: 1350 }] } } }),
  viewOncePhoto: (spec: ItemSpec) => base(spec, 'raven_media', { visual_media: { view_mode: 'once', media: { id: `r${spec.id}`, media_type: 1 } } }),
  storyReply: (spec: ItemSpec & { text: string }) => base(spec, 'reel_share', { reel_share: { text: spec.text, type: 'reply' } }),
  actionLog: (spec: ItemSpec) => base(spec, 'action_log', { action_log: { description: 'liked a message' } }),
} as const;

function base(spec: ItemSpec, itemType: string, extra: Record<string, unknown>): Record<string, unknown> {
  // user_id as a number, like the API (json-bigint keeps small ones as numbers).
  return { item_id: spec.id, user_id: Number(spec.user), timestamp: usAt(spec.at), item_type: itemType, ...extra };
}

export interface ThreadSpec {
  readonly id: string;
  /** The applicant(s); the office is never listed in `users`. */
  readonly users: readonly { pk: string; username: string; fullName?: string }[];
  /** Any order; sent newest first like the API. */
  readonly items: readonly Record<string, unknown>[];
  readonly isGroup?: boolean;
  readonly hasOlder?: boolean;
  readonly oldestCursor?: string;
}

export function thread(spec: ThreadSpec): Record<string, unknown> {
  const items = [...spec.items].sort((a, b) => (BigInt(String(b['timestamp'])) > BigInt(String(a['timestamp'])) ? 1 : -1));
  return {
    thread_id: spec.id,
    thread_v2_id: `v2${spec.id}`,
    users: spec.users.map((u) => ({ pk: Number(u.pk), username: u.username, full_name: u.fullName ?? '' })),
    items,
    is_group: spec.isGroup ?? false,
    has_older: spec.hasOlder ?? false,
    oldest_cursor: spec.oldestCursor ?? `cursor-${spec.id}`,
    viewer_id: Number(OFFICE.pk),
    pending: false,
  };
}

export function inboxBody(threads: readonly Record<string, unknown>[], options: { hasOlder?: boolean } = {}): Record<string, unknown> {
  return {
    status: 'ok',
    seq_id: 1,
    inbox: { threads, has_older: options.hasOlder ?? false, oldest_cursor: 'older', unseen_count: threads.length },
  };
}

/** One poll: the pending folder, then the inbox. */
export function expectPoll(options: { inbox?: readonly Record<string, unknown>[]; pending?: readonly Record<string, unknown>[]; authorization?: string } = {}): nock.Scope {
  const scope = options.authorization === undefined ? ig() : nock(IG_HOST, { reqheaders: { authorization: options.authorization } });
  return scope
    .get('/api/v1/direct_v2/pending_inbox/')
    .query(true)
    .reply(200, inboxBody(options.pending ?? []))
    .get('/api/v1/direct_v2/inbox/')
    .query(true)
    .reply(200, inboxBody(options.inbox ?? []));
}

/** The body of a `challenge_required` answer. */
export function challengeRequired(pk = OFFICE.pk): Record<string, unknown> {
  const apiPath = `/challenge/${pk}/Abc123/`;
  return { message: 'challenge_required', status: 'fail', error_type: 'checkpoint_challenge_required', challenge: { api_path: apiPath, url: `https://i.instagram.com${apiPath}`, lock: true } };
}

/** What `ig.challenge.auto(true)` sends: reset (which answers with the step), then the choice of e-mail/SMS. */
export function expectChallengeCodeRequest(pk = OFFICE.pk): nock.Scope {
  const path = `/api/v1/challenge/${pk}/Abc123/`;
  return ig()
    .post(`/api/v1/challenge/reset/${pk}/Abc123/`)
    .reply(200, { status: 'ok', step_name: 'select_verify_method', step_data: { choice: '1' } })
    .post(path, (body: Record<string, string>) => String(body['signed_body'] ?? '').includes('"choice":"1"'))
    .reply(200, { status: 'ok', step_name: 'verify_email', step_data: { contact_point: 'k***@example.org' } });
}

/** Instagram answering the security code. */
export function expectChallengeAnswer(options: { code: string; accept: boolean; pk?: string }): nock.Scope {
  const pk = options.pk ?? OFFICE.pk;
  return ig()
    .post(`/api/v1/challenge/${pk}/Abc123/`, (body: Record<string, string>) => String(body['signed_body'] ?? '').includes(`"security_code":"${options.code}"`))
    .reply(
      options.accept ? 200 : 400,
      options.accept ? { status: 'ok', action: 'close', logged_in_user: { pk: Number(pk), username: OFFICE.username } } : { status: 'fail', message: 'Please check the code we sent you and try again.' },
      options.accept ? { 'ig-set-authorization': authorizationFor(pk, 'sess-after-challenge') } : {},
    );
}

export function twoFactorRequired(): Record<string, unknown> {
  return {
    message: 'You need to enter the code',
    two_factor_required: true,
    two_factor_info: { username: OFFICE.username, two_factor_identifier: 'tfa-777', sms_two_factor_on: true, totp_two_factor_on: false, obfuscated_phone_number: '12' },
    error_type: 'two_factor_required',
  };
}

export function expectTwoFactorLogin(options: { code: string; accept: boolean }): nock.Scope {
  return ig()
    .post('/api/v1/accounts/two_factor_login/', (body: Record<string, string>) => {
      const signed = String(body['signed_body'] ?? '');
      return signed.includes(`"verification_code":"${options.code}"`) && signed.includes('"two_factor_identifier":"tfa-777"');
    })
    .reply(
      options.accept ? 200 : 400,
      options.accept
        ? { status: 'ok', logged_in_user: { pk: Number(OFFICE.pk), username: OFFICE.username } }
        : { status: 'fail', message: 'This code is no longer valid.', error_type: 'sms_code_validation_code_invalid' },
      options.accept ? { 'ig-set-authorization': authorizationFor(OFFICE.pk, 'sess-after-2fa') } : {},
    );
}
