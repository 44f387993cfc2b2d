/**
 * What the dashboard's channel page shows about Messenger and the official Instagram API
 * (GET /api/channels, field `meta`): the webhook address to paste into the Meta app, which
 * of the two channels run, the variables each one still lacks, and the Instagram token's
 * expiry. Read from the configuration (never the secrets themselves); the channels' live
 * state comes with the other channels in the same answer.
 */
import type { Config } from './config.js';

export const META_WEBHOOK_PATH = '/webhooks/meta';

export interface MetaTokenView {
  readonly source: 'configured' | 'refreshed';
  readonly expiresAt: string;
  readonly expiryEstimated: boolean;
  readonly refreshedAt: string | null;
  readonly lastError: string | null;
}

export interface MetaChannelSetup {
  readonly name: 'messenger' | 'instagram';
  readonly configured: boolean;
  /** Environment variables still to set for this channel to run (empty when it runs). */
  readonly missing: readonly string[];
  /** The webhook fields to subscribe in the Meta app. */
  readonly subscriptionFields: readonly string[];
  /** Instagram: the current token's expiry and last refresh error. */
  readonly token: MetaTokenView | null;
}

export interface MetaSetup {
  /** PUBLIC_URL + /webhooks/meta; null while PUBLIC_URL is unset. */
  readonly webhookUrl: string | null;
  /** Why there is no address, or what else to check. */
  readonly webhookNote: string | null;
  readonly webhookPath: string;
  readonly humanAgentTag: boolean;
  readonly graphApiVersion: string | null;
  /** The unofficial Instagram channel (IG_USERNAME) runs: the official one cannot at the same time. */
  readonly privateInstagram: boolean;
  readonly channels: readonly MetaChannelSetup[];
}

export const SUBSCRIPTION_FIELDS = {
  messenger: ['messages', 'messaging_postbacks', 'message_echoes', 'message_deliveries', 'message_reads'],
  instagram: ['messages', 'messaging_postbacks', 'messaging_seen'],
} as const;

export function describeMetaSetup(
  config: Pick<Config, 'meta' | 'instagram'> & { readonly http: Pick<Config['http'], 'publicUrl'> },
  instagramToken: () => MetaTokenView | null = () => null,
): MetaSetup {
  const { meta } = config;
  const publicUrl = config.http.publicUrl;
  const shared = meta === null ? ['META_APP_SECRET', 'META_VERIFY_TOKEN'] : [];
  const webhookUrl = publicUrl === null ? null : new URL(META_WEBHOOK_PATH, publicUrl.endsWith('/') ? publicUrl : `${publicUrl}/`).toString();
  const webhookNote =
    publicUrl === null
      ? `PUBLIC_URL belum diisi: isi dengan alamat HTTPS publik SAPA (mis. https://sapa.kanimkupang.go.id), lalu alamat webhook adalah alamat itu + ${META_WEBHOOK_PATH}.`
      : publicUrl.startsWith('https:')
        ? null
        : 'Meta hanya menerima alamat webhook HTTPS: PUBLIC_URL harus diawali https://.';
  const privateInstagram = config.instagram !== null;
  return {
    webhookUrl,
    webhookNote,
    webhookPath: META_WEBHOOK_PATH,
    humanAgentTag: meta?.humanAgentTag ?? false,
    graphApiVersion: meta?.graphApiVersion ?? null,
    privateInstagram,
    channels: [
      {
        name: 'messenger',
        configured: meta?.messenger != null,
        missing: meta?.messenger != null ? [] : [...shared, 'MESSENGER_PAGE_ID', 'MESSENGER_PAGE_ACCESS_TOKEN'],
        subscriptionFields: SUBSCRIPTION_FIELDS.messenger,
        token: null,
      },
      {
        name: 'instagram',
        configured: meta?.instagram != null,
        missing: meta?.instagram != null ? [] : [...shared, 'INSTAGRAM_ACCOUNT_ID', 'INSTAGRAM_ACCESS_TOKEN'],
        subscriptionFields: SUBSCRIPTION_FIELDS.instagram,
        token: meta?.instagram != null ? instagramToken() : null,
      },
    ],
  };
}
