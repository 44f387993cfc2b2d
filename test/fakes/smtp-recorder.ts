/**
 * A real SMTP server (the `smtp-server` package) on loopback that records every mail it
 * accepts, parsed with mailparser, for the e-mail channel's tests. Recipients listed in
 * `refuse` are rejected with 550 (a permanent failure).
 */
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  readonly envelopeTo: readonly string[];
  readonly raw: string;
  readonly parsed: ParsedMail;
  header(name: string): string | undefined;
}

export interface SmtpRecorder {
  readonly port: number;
  readonly received: readonly ReceivedMail[];
  refuse(address: string): void;
  close(): Promise<void>;
}

export async function startSmtpRecorder(): Promise<SmtpRecorder> {
  const received: ReceivedMail[] = [];
  const refused = new Set<string>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (refused.has(address.address.toLowerCase())) {
        const err = new Error('5.1.1 mailbox unknown') as Error & { responseCode: number };
        err.responseCode = 550;
        callback(err);
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw)
          .then((parsed) => {
            received.push({
              envelopeTo: session.envelope.rcptTo.map((r) => r.address),
              raw: raw.toString('utf8'),
              parsed,
              header: (name) => {
                const line = parsed.headerLines.find((h) => h.key === name.toLowerCase());
                return line === undefined ? undefined : line.line.slice(line.line.indexOf(':') + 1).trim();
              },
            });
            callback();
          })
          .catch((err: Error) => callback(err));
      });
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : 0);
    });
  });
  return {
    port,
    received,
    refuse: (address) => refused.add(address.toLowerCase()),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
