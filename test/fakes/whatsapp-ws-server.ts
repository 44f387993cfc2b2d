/**
 * A WebSocket endpoint on loopback for Baileys' `waWebSocketUrl`, so the real
 * makeWASocket connects, and the connection loop's reconnect and logout
 * handling run against real sockets. It completes the RFC 6455 opening
 * handshake and then, by mode, closes the connection at once (a dropped
 * connection: Baileys reports 428) or holds it open (Baileys waits for the
 * Noise handshake, which a fake cannot answer: WhatsApp's certificate chain
 * is verified against a pinned key). Written on node:http because `ws` is
 * only a transitive dependency without types.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

export type FakeWsMode = 'accept_then_close' | 'accept_and_hold';

export interface FakeWhatsappServer {
  readonly url: string;
  /** Connections accepted so far. */
  connections(): number;
  /** performance.now() of each accepted connection. */
  connectedAt(): readonly number[];
  setMode(mode: FakeWsMode): void;
  /** Resolves when at least `n` connections were accepted. */
  waitForConnections(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
/** FIN + close opcode, 2-byte payload: status 1000 (normal closure). */
const CLOSE_FRAME = Buffer.from([0x88, 0x02, 0x03, 0xe8]);

/** Opcode and total length of the first complete frame in `data`, if there is one. */
function nextFrame(data: Buffer): { opcode: number; length: number } | undefined {
  if (data.length < 2) return undefined;
  const opcode = (data[0] ?? 0) & 0x0f;
  const masked = ((data[1] ?? 0) & 0x80) !== 0;
  let payload = (data[1] ?? 0) & 0x7f;
  let header = 2;
  if (payload === 126) {
    if (data.length < 4) return undefined;
    payload = data.readUInt16BE(2);
    header = 4;
  } else if (payload === 127) {
    if (data.length < 10) return undefined;
    payload = Number(data.readBigUInt64BE(2));
    header = 10;
  }
  const length = header + (masked ? 4 : 0) + payload;
  return data.length < length ? undefined : { opcode, length };
}

export async function createFakeWhatsappServer(mode: FakeWsMode = 'accept_then_close'): Promise<FakeWhatsappServer> {
  let current = mode;
  const times: number[] = [];
  const open = new Set<Duplex>();
  const server: Server = createServer((_req, res) => {
    res.writeHead(426).end();
  });
  server.on('upgrade', (req, socket) => {
    const key = req.headers['sec-websocket-key'];
    if (typeof key !== 'string') {
      socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
      return;
    }
    const accept = createHash('sha1').update(key + WS_GUID).digest('base64');
    socket.write(['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Accept: ${accept}`, '', ''].join('\r\n'));
    times.push(performance.now());
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    socket.on('error', () => open.delete(socket));
    // Client frames (the Noise hello) are dropped; a close frame is answered, so the client's close() completes.
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      for (let frame = nextFrame(pending); frame !== undefined; frame = nextFrame(pending)) {
        pending = pending.subarray(frame.length);
        if (frame.opcode === 0x8 && socket.writable) {
          socket.write(CLOSE_FRAME);
          socket.end();
        }
      }
    });
    if (current === 'accept_then_close') {
      socket.write(CLOSE_FRAME);
      socket.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `ws://127.0.0.1:${port}/ws/chat`,
    connections: () => times.length,
    connectedAt: () => times,
    setMode(next) {
      current = next;
    },
    async waitForConnections(n, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (times.length < n) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${n} connections (got ${times.length})`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    async close() {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
