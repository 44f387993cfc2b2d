/** Configuration of Messenger and the official Instagram API: defaults, and errors naming the variables. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const SECRET = 'd41d8cd98f00b204e9800998ecf8427e';
const BASE = {
  META_APP_SECRET: SECRET,
  META_VERIFY_TOKEN: 'sapa-kupang-verify-2026',
  MESSENGER_PAGE_ID: '104522119123456',
  MESSENGER_PAGE_ACCESS_TOKEN: 'EAAGm0PX4ZCpsBAFakePageToken1234567890',
};

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('Meta configuration', () => {
  it('is off with nothing set, and has the documented defaults when Messenger is set', () => {
    expect(loadConfig({}).meta).toBeNull();
    const meta = loadConfig(BASE).meta;
    expect(meta).toMatchObject({
      graphApiRoot: 'https://graph.facebook.com',
      instagramGraphApiRoot: 'https://graph.instagram.com',
      graphApiVersion: 'v25.0',
      humanAgentTag: false,
      messenger: { pageId: '104522119123456' },
      instagram: null,
    });
    const both = loadConfig({ ...BASE, INSTAGRAM_ACCOUNT_ID: '17841405822304914', INSTAGRAM_ACCESS_TOKEN: 'IGAAFakeInstagramUserToken0987654321', META_HUMAN_AGENT_TAG: 'true', META_GRAPH_API_VERSION: 'v26.0' }).meta;
    expect(both).toMatchObject({ humanAgentTag: true, graphApiVersion: 'v26.0', instagram: { accountId: '17841405822304914' } });
  });

  it('refuses both Instagram paths at once, naming both', () => {
    const err = configError({
      ...BASE,
      INSTAGRAM_ACCOUNT_ID: '17841405822304914',
      INSTAGRAM_ACCESS_TOKEN: 'IGAAFakeInstagramUserToken0987654321',
      IG_USERNAME: 'kanim.kupang',
      IG_PASSWORD: 'rahasia-sekali',
    });
    expect(err.message).toContain('INSTAGRAM_ACCOUNT_ID');
    expect(err.message).toContain('IG_USERNAME');
    // The private channel alone, and Messenger with it, are fine.
    expect(loadConfig({ ...BASE, IG_USERNAME: 'kanim.kupang', IG_PASSWORD: 'rahasia-sekali' }).instagram).not.toBeNull();
  });

  it('names the missing or wrong variable', () => {
    const { META_APP_SECRET: _s, ...noSecret } = BASE;
    expect(configError(noSecret).variable).toBe('META_APP_SECRET');
    const { META_VERIFY_TOKEN: _v, ...noVerify } = BASE;
    expect(configError(noVerify).variable).toBe('META_VERIFY_TOKEN');
    const { MESSENGER_PAGE_ACCESS_TOKEN: _t, ...noToken } = BASE;
    expect(configError(noToken).variable).toBe('MESSENGER_PAGE_ACCESS_TOKEN');
    expect(configError({ ...BASE, INSTAGRAM_ACCOUNT_ID: '17841405822304914' }).variable).toBe('INSTAGRAM_ACCESS_TOKEN');
    expect(configError({ ...BASE, MESSENGER_PAGE_ID: 'kanimkupang' }).variable).toBe('MESSENGER_PAGE_ID');
    expect(configError({ ...BASE, META_GRAPH_API_VERSION: '25' }).variable).toBe('META_GRAPH_API_VERSION');
    expect(configError({ ...BASE, META_GRAPH_API_ROOT: 'graph.facebook.com' }).variable).toBe('META_GRAPH_API_ROOT');
    expect(configError({ ...BASE, META_HUMAN_AGENT_TAG: 'yes' }).variable).toBe('META_HUMAN_AGENT_TAG');
    expect(configError({ ...BASE, META_VERIFY_TOKEN: 'short' }).variable).toBe('META_VERIFY_TOKEN');
    expect(configError({ META_APP_SECRET: SECRET }).variable).toBe('META_APP_SECRET');
  });
});
