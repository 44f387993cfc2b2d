/**
 * Sending through the office's SMTP server with nodemailer. One transport (a small pool of
 * connections) for the channel's life. Failures become SendResults: a 5xx answer (recipient
 * unknown, message refused) is permanent, everything else (4xx, connection refused or cut,
 * timeouts, a login refused while an admin fixes the password) is retried by the outbox.
 */
import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type { SendResult } from '../channel.js';
import type { ComposedMail } from './compose.js';

export interface SmtpSettings {
  readonly host: string;
  readonly port: number;
  /** true: TLS from the first byte (smtps, port 465); false: STARTTLS. */
  readonly secure: boolean;
  /** With `secure: false`: refuse to send without STARTTLS (always, except on loopback). */
  readonly requireTls: boolean;
  readonly user: string | null;
  readonly pass: string | null;
}

export interface SmtpSender {
  send(mail: ComposedMail): Promise<SendResult>;
  close(): void;
}

export function createSmtpSender(settings: SmtpSettings, timeoutMs: number): SmtpSender {
  const transport: Transporter = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    requireTLS: !settings.secure && settings.requireTls,
    ignoreTLS: !settings.secure && !settings.requireTls && isLoopback(settings.host),
    ...(settings.user !== null ? { auth: { user: settings.user, pass: settings.pass ?? '' } } : {}),
    pool: true,
    maxConnections: 2,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return {
    async send(mail) {
      try {
        await transport.sendMail({
          from: { name: mail.from.name ?? '', address: mail.from.address },
          to: { name: mail.to.name ?? '', address: mail.to.address },
          subject: mail.subject,
          text: mail.text,
          messageId: mail.messageId,
          inReplyTo: mail.inReplyTo,
          references: [...mail.references],
          headers: { ...mail.headers },
          attachments: mail.attachments.map((file) => ({ filename: file.fileName, contentType: file.mimeType, content: Buffer.from(file.data) })),
          disableFileAccess: true,
          disableUrlAccess: true,
        });
        return { ok: true, providerMessageId: mail.messageId };
      } catch (err) {
        return classifySmtpError(err);
      }
    },
    close() {
      transport.close();
    },
  };
}

export function classifySmtpError(err: unknown): SendResult & { ok: false } {
  const e = err as { responseCode?: unknown; code?: unknown; message?: unknown; response?: unknown };
  const code = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const detail = typeof e.response === 'string' && e.response !== '' ? e.response : typeof e.message === 'string' ? e.message : String(err);
  const error = `smtp${code !== undefined ? ` ${code}` : ''}${typeof e.code === 'string' ? ` ${e.code}` : ''}: ${detail}`.slice(0, 500);
  // A refused login is the office's to fix (password changed): keep the reply until it is.
  if (code !== undefined && code >= 500 && code < 600 && e.code !== 'EAUTH') return { ok: false, kind: 'permanent', error };
  return { ok: false, kind: 'retryable', error };
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
