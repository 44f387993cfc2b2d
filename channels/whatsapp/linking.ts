/**
 * Linking the office's WhatsApp number as a device: the current QR code (or
 * pairing code) for the terminal and for the admin dashboard. WhatsApp
 * rotates the QR every ~20 seconds; only the newest is kept.
 */
import QRCode from 'qrcode';
import type { Clock } from '../../src/clock.js';

export type LinkingState =
  /** Linked: nothing to show. */
  | 'linked'
  /** Waiting for a scan of `qr`. */
  | 'qr'
  /** Waiting for `pairingCode` to be typed on the phone (Linked devices > Link with phone number). */
  | 'pairing_code'
  /** Not linked and no code yet (connecting). */
  | 'waiting';

export interface LinkingInfo {
  readonly state: LinkingState;
  /** The raw QR payload (render it with any QR library). */
  readonly qr?: string;
  readonly pairingCode?: string;
  readonly updatedAt?: Date;
}

export interface Linking {
  current(): LinkingInfo;
  showQr(qr: string): Promise<void>;
  showPairingCode(code: string): void;
  linked(): void;
  waiting(): void;
  /** The current QR as an SVG document, for the dashboard; undefined when there is none. */
  qrSvg(): Promise<string | undefined>;
  /** The current QR as a PNG data URL, for an <img>; undefined when there is none. */
  qrDataUrl(): Promise<string | undefined>;
}

/** Where the terminal rendering goes; `null` turns it off (tests, or a server without a terminal). */
export type QrPrinter = ((rendered: string) => void) | null;

export function defaultQrPrinter(rendered: string): void {
  process.stdout.write(`${rendered}\n`);
}

export function createLinking(deps: { clock: Clock; printQr: QrPrinter; onPrintError: (err: unknown) => void }): Linking {
  let info: LinkingInfo = { state: 'waiting' };

  return {
    current: () => info,
    async showQr(qr) {
      info = { state: 'qr', qr, updatedAt: deps.clock.now() };
      if (deps.printQr === null) return;
      try {
        // `utf8` draws with half blocks: half the height of `terminal`, so it fits an 80x24 screen.
        const rendered = await QRCode.toString(qr, { type: 'utf8', errorCorrectionLevel: 'L', margin: 2 });
        deps.printQr(`Scan with WhatsApp on the office phone (Linked devices > Link a device):\n${rendered}`);
      } catch (err) {
        // The dashboard still shows it; only the terminal copy is missing.
        deps.onPrintError(err);
      }
    },
    showPairingCode(code) {
      info = { state: 'pairing_code', pairingCode: code, updatedAt: deps.clock.now() };
      deps.printQr?.(`WhatsApp pairing code: ${code}\n(on the office phone: Linked devices > Link a device > Link with phone number instead)`);
    },
    linked() {
      info = { state: 'linked', updatedAt: deps.clock.now() };
    },
    waiting() {
      if (info.state !== 'waiting') info = { state: 'waiting', updatedAt: deps.clock.now() };
    },
    async qrSvg() {
      const qr = info.qr;
      return qr === undefined ? undefined : QRCode.toString(qr, { type: 'svg', errorCorrectionLevel: 'L', margin: 2 });
    },
    async qrDataUrl() {
      const qr = info.qr;
      return qr === undefined ? undefined : QRCode.toDataURL(qr, { errorCorrectionLevel: 'L', margin: 2 });
    },
  };
}
