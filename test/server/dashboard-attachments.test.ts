/**
 * #22 on the dashboard API: the ticket JSON lists each message's attachments (a player for
 * a voice note, an image for a photo) and GET /api/tickets/:id/attachments/:attachmentId
 * serves the bytes to officers who may act on the ticket, typed from an allow-list, with
 * nosniff, no caching by shared caches, and byte ranges; a colleague who may only read the
 * ticket gets no bytes (403), nor does anyone without a session.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseRange, servedType } from '../../src/server/dashboard/attachment-routes.js';
import { makeWav, PNG_1X1 } from '../helpers/audio.js';
import { createHarness, type Harness } from './dashboard-harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

interface AttachmentJson {
  id: number;
  display: string;
  kind: string;
  mimeType: string | null;
  durationSeconds: number | null;
  url: string | null;
  unavailable: string | null;
}
interface TicketJson {
  messages: { id: number; direction: string; attachments: AttachmentJson[] }[];
}

const WAV = makeWav(1);
const attachmentsOf = (body: TicketJson): AttachmentJson[] => body.messages.flatMap((m) => m.attachments);

describe('ticket attachments on the dashboard', () => {
  it('lists a voice note with a url and serves its bytes with the right headers to the officers who may act', async () => {
    h = await createHarness();
    await h.t.say('', { from: 'opa-1', attachments: [{ kind: 'voice', mimeType: 'audio/wav', durationSeconds: 1, data: WAV }] });
    const siti = await h.login('siti');
    const page = (await siti.call('GET', '/api/tickets/1')).json() as TicketJson;
    const [voice] = attachmentsOf(page);
    expect(voice).toMatchObject({ display: 'audio', kind: 'voice', mimeType: 'audio/wav', durationSeconds: 1, unavailable: null });
    expect(voice?.url).toBe(`/api/tickets/1/attachments/${voice?.id}`);

    const file = await siti.call('GET', voice!.url!);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('audio/wav');
    expect(file.headers['x-content-type-options']).toBe('nosniff');
    expect(file.headers['cache-control']).toBe('private, no-store');
    expect(file.headers['accept-ranges']).toBe('bytes');
    expect(String(file.headers['content-disposition'])).toMatch(/^inline;/);
    expect(file.rawPayload.equals(Buffer.from(WAV))).toBe(true);

    // A byte range, as a browser asks for audio.
    const part = await h.app.inject({ method: 'GET', url: voice!.url!, headers: { cookie: siti.cookie, range: 'bytes=4-11' } });
    expect(part.statusCode).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 4-11/${WAV.byteLength}`);
    expect(part.rawPayload.equals(Buffer.from(WAV.subarray(4, 12)))).toBe(true);
    const past = await h.app.inject({ method: 'GET', url: voice!.url!, headers: { cookie: siti.cookie, range: `bytes=${WAV.byteLength}-` } });
    expect(past.statusCode).toBe(416);

    // Without a session: nothing.
    expect((await h.app.inject({ method: 'GET', url: voice!.url! })).statusCode).toBe(401);

    // Siti takes the ticket: Budi may only read it, and gets no bytes; the supervisor does.
    expect((await siti.call('POST', '/api/tickets/1/claim')).statusCode).toBe(200);
    const budi = await h.login('budi');
    const readOnly = attachmentsOf((await budi.call('GET', '/api/tickets/1')).json() as TicketJson);
    expect(readOnly).toMatchObject([{ display: 'audio', url: null, unavailable: 'read_only' }]);
    expect((await budi.call('GET', voice!.url!)).statusCode).toBe(403);
    const sari = await h.login('sari');
    expect((await sari.call('GET', voice!.url!)).statusCode).toBe(200);
  });

  it('serves a photo as an image; an attachment is reached only through its own ticket', async () => {
    h = await createHarness();
    await h.t.say('', { from: 'a-1', attachments: [{ kind: 'image', mimeType: 'image/png', data: PNG_1X1 }] });
    await h.t.say('', { from: 'b-2', attachments: [{ kind: 'voice', mimeType: 'audio/wav', durationSeconds: 1, data: WAV }] });
    const siti = await h.login('siti');
    const [photo] = attachmentsOf((await siti.call('GET', '/api/tickets/1')).json() as TicketJson);
    expect(photo).toMatchObject({ display: 'image', mimeType: 'image/png' });
    const image = await siti.call('GET', photo!.url!);
    expect(image.headers['content-type']).toBe('image/png');
    expect(image.rawPayload.equals(Buffer.from(PNG_1X1))).toBe(true);
    // Ticket 2's voice note through ticket 1's address: not there.
    const [voice] = attachmentsOf((await siti.call('GET', '/api/tickets/2')).json() as TicketJson);
    expect((await siti.call('GET', `/api/tickets/1/attachments/${voice!.id}`)).statusCode).toBe(404);
    expect((await siti.call('GET', '/api/tickets/1/attachments/abc')).statusCode).toBe(400);
  });

  it('a recording whose bytes were not kept is listed without a url, saying so', async () => {
    h = await createHarness();
    await h.complaint('saya mau komplain, antrean tidak jelas', 'c-3');
    await h.t.say('', { from: 'c-3', attachments: [{ kind: 'voice', mimeType: 'audio/ogg', durationSeconds: 900 }] });
    const siti = await h.login('siti');
    expect(attachmentsOf((await siti.call('GET', '/api/tickets/1')).json() as TicketJson)).toMatchObject([
      { display: 'audio', durationSeconds: 900, url: null, unavailable: 'not_kept' },
    ]);
  });

  it('types only what a browser may render from our origin; other files download', () => {
    expect(servedType('audio/ogg; codecs=opus')).toEqual({ contentType: 'audio/ogg', inline: true });
    expect(servedType('image/jpeg')).toEqual({ contentType: 'image/jpeg', inline: true });
    expect(servedType('image/svg+xml')).toEqual({ contentType: 'application/octet-stream', inline: false });
    expect(servedType('text/html')).toEqual({ contentType: 'application/octet-stream', inline: false });
    expect(servedType(null)).toEqual({ contentType: 'application/octet-stream', inline: false });
  });

  it('reads single byte ranges', () => {
    expect(parseRange(undefined, 100)).toBeNull();
    expect(parseRange('bytes=0-', 100)).toEqual({ start: 0, end: 99 });
    expect(parseRange('bytes=10-19', 100)).toEqual({ start: 10, end: 19 });
    expect(parseRange('bytes=90-200', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=100-', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=0-1,5-6', 100)).toBeNull();
    expect(parseRange('items=0-1', 100)).toBeNull();
  });
});
