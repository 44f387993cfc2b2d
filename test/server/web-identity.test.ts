/** Signed visitor ids, the key kept beside the database, address keys and stream tokens. */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VISITOR_ID_PATTERN } from '../../channels/web.js';
import { createFakeClock } from '../../src/clock.js';
import { addressKey, createStreamTokens, createVisitorIdentities, loadWebChatSecret } from '../../src/server/web-identity.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('visitor identities', () => {
  const ids = createVisitorIdentities(Buffer.alloc(32, 1));

  it('issues ids the web channel accepts, verifies only its own, and tags them by address', () => {
    const a = ids.issue('203.0.113.7');
    const b = ids.issue('203.0.113.7');
    const c = ids.issue('198.51.100.1');
    expect(a).toMatch(VISITOR_ID_PATTERN);
    expect(a).not.toBe(b);
    expect([a, b, c].every((id) => ids.verify(id))).toBe(true);
    expect(ids.addressTagOf(a)).toBe(ids.addressTagOf(b));
    expect(ids.addressTagOf(a)).not.toBe(ids.addressTagOf(c));
    expect(ids.addressTagOf(a)).toBe(ids.addressTag('203.0.113.7'));
    // The tag is a keyed hash: the address is not in the id.
    expect(a).not.toContain('203');
    // One changed character anywhere, another key, or an old random id: refused.
    for (let i = 0; i < a.length; i += 7) {
      const flipped = `${a.slice(0, i)}${a[i] === 'A' ? 'B' : 'A'}${a.slice(i + 1)}`;
      expect(ids.verify(flipped), flipped).toBe(false);
    }
    expect(createVisitorIdentities(Buffer.alloc(32, 2)).verify(a)).toBe(false);
    expect(ids.verify('0123456789abcdef0123456789abcdef')).toBe(false);
    expect(ids.addressTagOf('0123456789abcdef0123456789abcdef')).toBeNull();
    expect(() => createVisitorIdentities(Buffer.alloc(16))).toThrow(/32 bytes/);
  });

  it('counts IPv4-mapped addresses as IPv4 and IPv6 by its /64', () => {
    expect(addressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:0db8:0001:0002:ffff:1:2:3')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::5')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
  });
});

describe('the web chat key', () => {
  it('is made once beside the database, 0600, and read again after a restart', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sapa-key-'));
    dirs.push(dir);
    const dbPath = join(dir, 'sapa.db');
    const first = loadWebChatSecret({ configured: null, dbPath });
    const file = join(dir, 'web-chat.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadWebChatSecret({ configured: null, dbPath }).equals(first)).toBe(true);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.toString('hex'));
    // WEB_CHAT_SECRET wins; an in-memory database gets a key for the process only.
    expect(loadWebChatSecret({ configured: 'x'.repeat(40), dbPath }).toString()).toBe('x'.repeat(40));
    expect(loadWebChatSecret({ configured: null, dbPath: ':memory:' })).toHaveLength(32);
    // A damaged key file is reported, not silently replaced (every visitor would lose their chat).
    writeFileSync(file, 'nonsense');
    expect(() => loadWebChatSecret({ configured: null, dbPath })).toThrow(/web-chat\.key is not a web chat key/);
  });
});

describe('stream tokens', () => {
  it('are single-use, expire by the injected clock, and one per visitor is outstanding', () => {
    const clock = createFakeClock();
    const tokens = createStreamTokens(() => clock.now(), 60_000);
    const first = tokens.issue('visitor-a')!;
    expect(tokens.redeem(first.token)).toBe('visitor-a');
    expect(tokens.redeem(first.token)).toBeNull();
    const late = tokens.issue('visitor-a')!;
    clock.advance(60_001);
    expect(tokens.redeem(late.token)).toBeNull();
    const replaced = tokens.issue('visitor-b')!;
    const current = tokens.issue('visitor-b')!;
    expect(tokens.redeem(replaced.token)).toBeNull();
    expect(tokens.redeem(current.token)).toBe('visitor-b');
    expect(tokens.outstanding()).toBe(0);
  });
});
