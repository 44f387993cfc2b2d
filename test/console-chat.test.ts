import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { runConsoleChat } from '../src/console-chat.js';

const dir = mkdtempSync(join(tmpdir(), 'sapa-console-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function chat(lines: string[], user = 'console-test', typingMs = 150): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const done = runConsoleChat(loadConfig({ SAPA_DB: join(dir, 'console.db'), LOG_LEVEL: 'silent' }), { input, output, userId: user });
  for (const line of lines) {
    input.write(`${line}\n`);
    // Let each message be routed and answered before the next, as a person would type.
    if (typingMs > 0) await new Promise((resolve) => setTimeout(resolve, typingMs));
  }
  input.end();
  await done;
  return text;
}

describe('sapa chat (terminal)', () => {
  it('answers questions, numbers the suggested topics, and gives a ticket for a complaint', async () => {
    const out = await chat(['berapa biaya paspor?', '1', 'antrian lama sekali, saya kecewa']);
    expect(out).toContain('SAPA> ');
    expect(out).toContain('Rp950.000');
    expect(out).toMatch(/^ {2}1\. /m);
    expect(out).toMatch(/tiket #1\b/);
  });

  it('keeps the same conversation for the same user across runs', async () => {
    const out = await chat(['status tiket saya'], 'console-test');
    expect(out).toMatch(/Tiket #1/);
  });

  it('answers every line of piped input before it exits (input that ends at once)', async () => {
    const out = await chat(['halo', 'syarat paspor anak apa saja', 'terima kasih'], 'console-piped', 0);
    expect(out.match(/SAPA> /g)).toHaveLength(3);
    expect(out).toMatch(/akta lahir anak/i);
  });
});
