/**
 * The Instagram access token's refresh (Instagram API with Instagram Login: 60-day
 * long-lived tokens, `GET /refresh_access_token?grant_type=ig_refresh_token`), against the
 * fake graph.instagram.com on loopback with the injected clock: refreshed at start and
 * before expiry, kept in the database and used over the configured one after a restart
 * (until an admin configures a new one), and admins warned once, 7 days before expiry,
 * when refreshing keeps failing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetaChannel } from '../../channels/meta.js';
import { readChannelState } from '../../src/store/channel-records.js';
import { graphErrors } from '../fakes/meta-graph-api.js';
import {
  DAY,
  HOUR,
  IG_TOKEN,
  callsTo,
  instagramMessage,
  newMid,
  post,
  startMetaHarness,
  stopMetaHarness,
  waitFor,
  type MetaHarness,
} from '../helpers/meta-harness.js';

const instagramOf = (h: MetaHarness): MetaChannel => h.app.core.channels().find((c) => c.name === 'instagram') as MetaChannel;
const stored = (h: MetaHarness): Record<string, unknown> => JSON.parse(readChannelState(h.app.core.db, 'instagram', 'official.access_token') ?? 'null') as Record<string, unknown>;
const tokenAlerts = (h: MetaHarness) => h.app.core.alerts.recent(50).filter((a) => a.kind === 'channel_problem' && a.text.includes('token Instagram'));

async function answeredWith(h: MetaHarness, igsid: string): Promise<string> {
  expect(await post(h, instagramMessage(igsid, h.clock.now().getTime(), { mid: newMid('aWdf'), text: 'halo' }))).toBe(200);
  const call = await waitFor(() => callsTo(h.instagram, igsid).find((c) => c.answered === 200), 'the Instagram answer');
  return call.token;
}

describe('Instagram token refresh', () => {
  let h: MetaHarness;
  beforeAll(async () => {
    h = await startMetaHarness();
  });
  afterAll(async () => {
    await stopMetaHarness(h);
  });

  it('refreshes the configured token at start, stores it with its expiry and sends with it', async () => {
    await waitFor(() => instagramOf(h).tokenStatus()?.source === 'refreshed', 'the refresh at start');
    expect(h.instagram.refreshes).toEqual([{ token: IG_TOKEN, answered: 200 }]);
    const fresh = h.instagram.token();
    expect(fresh).not.toBe(IG_TOKEN);
    expect(stored(h)).toMatchObject({ token: fresh, expiresAt: h.clock.now().getTime() + 60 * DAY, refreshedAt: h.clock.now().getTime(), lastError: null });
    expect(await answeredWith(h, '5910000000000001')).toBe(fresh);
    // The Messenger Page token is not refreshed (it does not expire).
    expect(h.messenger.refreshes).toEqual([]);
  });

  it('does not refresh a token younger than a day or with more than 53 days left; does after', async () => {
    expect(await instagramOf(h).refreshToken()).toMatchObject({ outcome: 'not_due' });
    h.clock.advance(6 * DAY);
    expect(await instagramOf(h).refreshToken()).toMatchObject({ outcome: 'not_due' });
    expect(h.instagram.refreshes).toHaveLength(1);
    h.clock.advance(DAY + HOUR);
    const previous = h.instagram.token();
    const result = await instagramOf(h).refreshToken();
    expect(result).toEqual({ outcome: 'refreshed', expiresAt: new Date(h.clock.now().getTime() + 60 * DAY) });
    expect(h.instagram.refreshes.at(-1)).toEqual({ token: previous, answered: 200 });
    expect(instagramOf(h).tokenStatus()).toMatchObject({ source: 'refreshed', expiryEstimated: false, lastError: null });
  });

  it('when refreshing fails, retries at each check and warns admins once, 7 days before expiry', async () => {
    const expiresAt = instagramOf(h).tokenStatus()!.expiresAt.getTime();
    const failures = Array.from({ length: 10 }, () => graphErrors.temporary());
    h.instagram.scriptRefresh(...failures);
    h.clock.set(new Date(expiresAt - 50 * DAY));
    expect(await instagramOf(h).refreshToken()).toMatchObject({ outcome: 'failed', warned: false });
    h.clock.set(new Date(expiresAt - 8 * DAY));
    expect(await instagramOf(h).refreshToken()).toMatchObject({ outcome: 'failed', warned: false });
    expect(tokenAlerts(h)).toEqual([]);
    h.clock.set(new Date(expiresAt - 7 * DAY + HOUR));
    const failed = await instagramOf(h).refreshToken();
    expect(failed).toMatchObject({ outcome: 'failed', warned: true, expiresAt: new Date(expiresAt) });
    const [alert, ...more] = tokenAlerts(h);
    expect(more).toEqual([]);
    expect(alert?.text).toMatch(/berakhir dalam 6 hari/);
    expect(alert?.text).toContain(new Date(expiresAt).toISOString().slice(0, 10));
    expect(alert?.text).toContain('INSTAGRAM_ACCESS_TOKEN');
    expect(alert?.text).not.toContain(h.instagram.token());
    // The next checks fail too: no second warning for the same expiry.
    h.clock.advance(HOUR);
    expect(await instagramOf(h).refreshToken()).toMatchObject({ outcome: 'failed', warned: false });
    h.clock.advance(DAY);
    expect(await instagramOf(h).refreshToken()).toMatchObject({ outcome: 'failed', warned: false });
    expect(tokenAlerts(h)).toHaveLength(1);
    expect(instagramOf(h).tokenStatus()?.lastError).toMatch(/code 2/);
    expect(stored(h)).toMatchObject({ warnedFor: expiresAt });
    // Meta answers again: refreshed, the error cleared.
    while (h.instagram.refreshes.filter((r) => r.answered !== 200).length < failures.length) {
      expect(await instagramOf(h).refreshToken()).toMatchObject({ outcome: 'failed' });
    }
    expect(await instagramOf(h).refreshToken()).toMatchObject({ outcome: 'refreshed' });
    expect(instagramOf(h).tokenStatus()).toMatchObject({ lastError: null });
  });
});

describe('Instagram token across restarts', () => {
  it('uses the stored (refreshed) token over the configured one, until an admin configures a new token', async () => {
    const first = await startMetaHarness();
    await waitFor(() => instagramOf(first).tokenStatus()?.source === 'refreshed', 'the refresh at start');
    const refreshed = first.instagram.token();
    await stopMetaHarness(first, true);

    // Same INSTAGRAM_ACCESS_TOKEN: the refreshed token from the database is used; no refresh due yet.
    first.clock.advance(HOUR);
    const second = await startMetaHarness({ dir: first.dir, fakes: { messenger: first.messenger, instagram: first.instagram }, clock: first.clock });
    expect(instagramOf(second).tokenStatus()).toMatchObject({ source: 'refreshed' });
    expect(await answeredWith(second, '5920000000000001')).toBe(refreshed);
    expect(second.instagram.refreshes).toHaveLength(1);
    await stopMetaHarness(second, true);

    // An admin put a new token in INSTAGRAM_ACCESS_TOKEN: that one replaces the stored one.
    const configured = 'IGAAAdminPastedANewToken1234567890abcd';
    second.instagram.setToken(configured);
    const third = await startMetaHarness({
      dir: first.dir,
      fakes: { messenger: first.messenger, instagram: first.instagram },
      clock: first.clock,
      env: { INSTAGRAM_ACCESS_TOKEN: configured },
    });
    try {
      await waitFor(() => third.instagram.refreshes.length === 2, 'the refresh of the new token');
      expect(third.instagram.refreshes[1]).toEqual({ token: configured, answered: 200 });
      await waitFor(() => instagramOf(third).tokenStatus()?.refreshedAt?.getTime() === third.clock.now().getTime(), 'stored');
      expect(stored(third)).toMatchObject({ token: third.instagram.token() });
    } finally {
      await stopMetaHarness(third);
    }
  });
});
