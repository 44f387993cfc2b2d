/**
 * WhatsApp media on loopback: files encrypted exactly as WhatsApp stores them
 * (Baileys' own `encryptedStream`), served over HTTP, so the real
 * `downloadMediaMessage` fetches and decrypts them. Messages point at the
 * file with `url` (and no `directPath`, which would send Baileys to
 * mmg.whatsapp.net).
 */
import { readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encryptedStream, type MediaType } from '@whiskeysockets/baileys';

export interface EncryptedMedia {
  readonly url: string;
  readonly mediaKey: Buffer;
  readonly fileSha256: Buffer;
  readonly fileEncSha256: Buffer;
  readonly fileLength: number;
}

export interface FakeMediaServer {
  /** Encrypts `plain` for `type` and serves it; returns the fields a media message carries. */
  add(plain: Buffer, type: MediaType): Promise<EncryptedMedia>;
  /** Files fetched so far (paths). */
  readonly fetched: readonly string[];
  close(): Promise<void>;
}

export async function createFakeMediaServer(): Promise<FakeMediaServer> {
  const files = new Map<string, Buffer>();
  const fetched: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '';
    fetched.push(path);
    const body = files.get(path);
    if (body === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let count = 0;

  return {
    async add(plain, type) {
      const enc = await encryptedStream(plain, type);
      const body = await readFile(enc.encFilePath);
      await rm(enc.encFilePath, { force: true });
      count += 1;
      const path = `/media/${count}.enc`;
      files.set(path, body);
      return {
        url: `http://127.0.0.1:${port}${path}`,
        mediaKey: enc.mediaKey,
        fileSha256: enc.fileSha256,
        fileEncSha256: enc.fileEncSha256,
        fileLength: enc.fileLength,
      };
    },
    fetched,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
