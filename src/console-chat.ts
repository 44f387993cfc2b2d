/** `sapa chat`: the core with only the console channel attached. */
import { createConsoleChannel } from '../channels/console.js';
import { systemClock } from './clock.js';
import type { Config } from './config.js';
import { createCore } from './core.js';
import { loadKnowledgeBase } from './knowledge/index.js';
import { createLogger } from './log.js';
import { createSlaPlanner } from './sla/planner.js';
import { loadSlaPolicy } from './sla/policy.js';
import { openDatabase } from './store/db.js';

export interface ConsoleChatOptions {
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
  readonly userId: string;
}

export async function runConsoleChat(config: Config, options: ConsoleChatOptions): Promise<void> {
  // Logs would interleave with the conversation: only errors, on stderr.
  const logger = createLogger(config.logLevel === 'silent' ? 'silent' : 'error');
  const db = openDatabase(config.dbPath);
  const core = createCore({
    db,
    clock: systemClock,
    logger,
    knowledge: loadKnowledgeBase(config.intentsDir, config.officeFile),
    sla: createSlaPlanner(loadSlaPolicy({ file: config.slaFile, timeZone: config.timeZone })),
    timeZone: config.timeZone,
  });
  let closed!: () => void;
  const ended = new Promise<void>((resolve) => {
    closed = resolve;
  });
  const channel = createConsoleChannel({
    input: options.input as NodeJS.ReadableStream & import('node:stream').Readable,
    output: options.output as NodeJS.WritableStream & import('node:stream').Writable,
    userId: options.userId,
    onClose: () => closed(),
    onError: (err) => options.output.write(`(pesan tidak tersimpan: ${err instanceof Error ? err.message : String(err)})\n`),
  });
  core.addChannel(channel);
  options.output.write('SAPA — ketik pertanyaan Anda (Ctrl-D untuk keluar).\n');
  await channel.start(core.intake.sink);
  core.outbox.start();
  await ended;
  await core.intake.idle();
  // Piped input ends at once: every reply still queued is printed before leaving. The
  // background dispatcher stops first (it would hold the conversation's turn); then passes
  // run until none is due (one reply per conversation each; a failed send is not due again).
  await core.outbox.stop();
  while ((await core.outbox.runOnce()) > 0) {
    /* next reply */
  }
  db.close();
}
