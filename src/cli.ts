/**
 * The `sapa` command. One error boundary: every command's failure becomes
 * `sapa: <message>` on stderr and exit code 1 (2 for usage errors).
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './cli-errors.js';
import { ConfigError, loadConfig, loadDotenvFile, type Config } from './config.js';
import { restrictUmask } from './file-modes.js';
import { createLogger } from './log.js';

export { UsageError };

export interface CliIo {
  readonly stdin: NodeJS.ReadableStream;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly env: Readonly<Record<string, string | undefined>>;
}

interface Command {
  readonly summary: string;
  readonly usage: string;
  readonly help: string;
  readonly options?: ParseArgsConfig['options'];
  run(args: ParsedArgs, io: CliIo): Promise<number>;
}

interface ParsedArgs {
  readonly values: Record<string, string | boolean | undefined>;
  readonly positionals: readonly string[];
}

const STAFF_USAGE_TEXT = [
  'sapa staff add <username> --role staff|supervisor|admin --password-stdin [--name "Full Name"]',
  'sapa staff list',
  'sapa staff disable <username>',
  'sapa staff passwd <username> --password-stdin',
  'sapa staff link-telegram <username> <telegram-user-id>',
  'sapa staff link-whatsapp <username> <number>',
].join('\n       ');

const COMMANDS: Record<string, Command> = {
  start: {
    summary: 'run the bot: web chat, dashboard, configured channels',
    usage: 'sapa start',
    help: 'Starts SAPA with the web chat on http://HOST:PORT/ and every channel whose variables are set.\nStops cleanly on SIGTERM or SIGINT.',
    async run(_args, io) {
      const config = configFrom(io);
      const logger = createLogger(config.logLevel);
      const { startApp } = await import('./main.js');
      const app = await startApp(config, logger);
      await new Promise<void>((resolve) => {
        const shutdown = (signal: string): void => {
          logger.info({ signal }, 'shutting down');
          // A second signal while stopping forces the exit.
          process.once(signal as NodeJS.Signals, () => process.exit(1));
          app.stop().then(resolve, (err: unknown) => {
            logger.error({ err }, 'shutdown failed');
            resolve();
          });
        };
        process.once('SIGTERM', () => shutdown('SIGTERM'));
        process.once('SIGINT', () => shutdown('SIGINT'));
      });
      return 0;
    },
  },
  chat: {
    summary: 'chat with the bot in this terminal (same router and database)',
    usage: 'sapa chat [--user NAME]',
    help: 'Type a message and press Enter. Numbered options pick a suggested topic. Ctrl-D ends.\n--user NAME keeps your conversation and tickets across runs (default: your login name).',
    options: { user: { type: 'string' } },
    async run(args, io) {
      const config = configFrom(io);
      const { runConsoleChat } = await import('./console-chat.js');
      const user = typeof args.values['user'] === 'string' ? args.values['user'] : defaultUser(io);
      await runConsoleChat(config, { input: io.stdin, output: io.stdout, userId: user });
      return 0;
    },
  },
  classify: {
    summary: 'classify messages: one per stdin line (or per argument), one JSON line out',
    usage: 'sapa classify < messages.txt\n       sapa classify "MESSAGE" ["MESSAGE" ...]',
    help: 'Reads one message per line from standard input (or takes each argument as a message) and prints one JSON object per message:\n{"intent": "...", "confidence": 0.0-1.0, "complaint": true|false,\n "candidates": [{"intent", "confidence"} x 3, best first], "secondIntent": "..." or null}',
    async run(args, io) {
      const config = configFrom(io);
      const { loadKnowledgeBase } = await import('./knowledge/index.js');
      const { createClassifier } = await import('./nlu/classifier.js');
      const classifier = createClassifier(loadKnowledgeBase(config.intentsDir, config.officeFile), classifierCacheOf(config));
      const print = (message: string): void => {
        const result = classifier.classify(message);
        io.stdout.write(
          `${JSON.stringify({
            intent: result.intent,
            confidence: round(result.confidence),
            complaint: result.complaint,
            candidates: result.candidates.map((c) => ({ intent: c.intent, confidence: round(c.confidence) })),
            secondIntent: result.secondIntent,
          })}\n`,
        );
      };
      // Arguments are for trying a message by hand; without them, stdin (the contract for files and pipes).
      if (args.positionals.length > 0) {
        for (const message of args.positionals) print(message);
        return 0;
      }
      for await (const line of createInterface({ input: io.stdin, crlfDelay: Infinity })) print(line);
      return 0;
    },
  },
  eval: {
    summary: 'measure the classifier on a labelled TSV (intent or intents, complaint, text)',
    usage: 'sapa eval FILE.tsv [--lines FROM-TO ...] [--errors N] [--json]',
    help:
      'Prints strict and lenient accuracy, per-intent precision and recall, the most confused pairs,\n' +
      'out-of-scope recall, the share of in-scope messages sent to out_of_scope, and complaint\n' +
      'precision, recall and F1. The file is either "intent<TAB>complaint<TAB>text" or\n' +
      '"intents<TAB>complaint<TAB>text" with a comma list of acceptable intents, best first.\n' +
      '--lines FROM-TO (repeatable) also reports that part of the file on its own, e.g. the random\n' +
      'half of real-dev.tsv: --lines 2-201. --errors N lists at most N mistakes (default 30).\n' +
      '--typos also reports a typo-noised twin of the file (a third of the longer words get one\n' +
      'typo: a neighbouring key, swapped or doubled or dropped letters, vowels left out).',
    options: { json: { type: 'boolean' }, lines: { type: 'string', multiple: true }, errors: { type: 'string' }, typos: { type: 'boolean' } },
    async run(args, io) {
      const file = args.positionals[0];
      if (!file) throw new UsageError('eval needs a FILE.tsv');
      const parts = ((args.values['lines'] as string[] | undefined) ?? []).map((spec) => {
        const match = /^(\d+)-(\d+)$/.exec(spec);
        if (!match || Number(match[1]) > Number(match[2])) throw new UsageError(`--lines takes FROM-TO line numbers, e.g. 2-201 (got "${spec}")`);
        return { spec, from: Number(match[1]), to: Number(match[2]) };
      });
      const maxErrors = args.values['errors'] === undefined ? 30 : Number(args.values['errors']);
      if (!Number.isInteger(maxErrors) || maxErrors < 0) throw new UsageError('--errors takes a whole number');
      const config = configFrom(io);
      const { loadKnowledgeBase } = await import('./knowledge/index.js');
      const { createClassifier } = await import('./nlu/classifier.js');
      const { evaluate, formatReport, formatSummary, parseEvalTsv, rowsBetween } = await import('./nlu/eval.js');
      const rows = parseEvalTsv(readFileSync(file, 'utf8'));
      const classifier = createClassifier(loadKnowledgeBase(config.intentsDir, config.officeFile), classifierCacheOf(config));
      const report = evaluate(classifier, rows);
      const partReports = parts.map((part) => ({ part: `lines ${part.spec}`, report: evaluate(classifier, rowsBetween(rows, part.from, part.to)) }));
      if (args.values['typos']) {
        const { addTypos } = await import('./nlu/typo-noise.js');
        // Seeded by line number: the same twin every run.
        const noisy = rows.map((row) => ({ ...row, text: addTypos(row.text, row.line) }));
        partReports.push({ part: 'the whole file with typos', report: evaluate(classifier, noisy) });
      }
      if (args.values['json']) {
        io.stdout.write(`${JSON.stringify(partReports.length > 0 ? { ...report, parts: partReports } : report)}\n`);
        return 0;
      }
      io.stdout.write(`${formatReport(report, { maxErrors })}\n`);
      for (const part of partReports) io.stdout.write(`\n${part.part}:\n${formatSummary(part.report).join('\n')}\n`);
      return 0;
    },
  },
  'test-dialogues': {
    summary: 'run the dialogue tests (test/conversations/*.yaml) against intents/ (after editing them)',
    usage: 'sapa test-dialogues [FILE|DIR ...] [--verbose] [--full]',
    help:
      'Plays each scripted conversation (default: every file in test/conversations/) through the bot with a fresh\n' +
      'in-memory database and a fake clock, and checks each turn\'s expectations (replies contain..., a ticket\n' +
      'opened/added, buttons, length). Prints PASS or FAIL per dialogue, the transcript of each failure, and a\n' +
      'summary; exits 1 when a dialogue fails. Dialogues marked known_issue are reported without failing the run.\n' +
      '--verbose prints every transcript; --full prints whole replies instead of excerpts. The file format is\n' +
      'described in test/conversations/README.md.',
    options: { verbose: { type: 'boolean' }, full: { type: 'boolean' } },
    async run(args, io) {
      const config = configFrom(io);
      const { testDialoguesCommand } = await import('./cli-dialogues.js');
      return testDialoguesCommand(config, {
        paths: args.positionals,
        verbose: args.values['verbose'] === true,
        full: args.values['full'] === true,
        write: (text) => io.stdout.write(text),
      });
    },
  },
  tickets: {
    summary: 'list tickets (tickets list [--status open,pending] [--json]); export them as CSV (tickets export --from --to [--origin])',
    usage: 'sapa tickets list [--status STATUS[,STATUS]] [--limit N] [--json]\n       sapa tickets export --from YYYY-MM-DD --to YYYY-MM-DD [--origin ORIGIN] [--unmasked]',
    help:
      'list: tickets, the nearest SLA due time first. STATUS: open, pending, resolved, closed (default open,pending).\n' +
      'export: the tickets opened from --from to --to (office days, inclusive) as CSV on standard output, one row per ticket,\n' +
      'for the monthly reports. ORIGIN: chat, desk, phone, letter, lapor, email, other. Names, phones, e-mail addresses and\n' +
      'numbers in the summaries are masked; --unmasked writes them in full (recorded in the audit log as cli:<OS user>).',
    options: {
      status: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
      from: { type: 'string' },
      to: { type: 'string' },
      origin: { type: 'string' },
      unmasked: { type: 'boolean' },
    },
    async run(args, io) {
      const sub = args.positionals[0];
      if (sub === 'export') {
        const config = configFrom(io);
        const { exportTicketsCommand } = await import('./cli-tickets.js');
        io.stdout.write(
          exportTicketsCommand(config, {
            from: typeof args.values['from'] === 'string' ? args.values['from'] : undefined,
            to: typeof args.values['to'] === 'string' ? args.values['to'] : undefined,
            origin: typeof args.values['origin'] === 'string' ? args.values['origin'] : undefined,
            unmasked: args.values['unmasked'] === true,
          }),
        );
        return 0;
      }
      if (sub !== 'list') throw new UsageError(`unknown tickets command "${sub ?? ''}"; try: sapa tickets list, sapa tickets export`);
      const config = configFrom(io);
      const { listTicketsCommand } = await import('./cli-tickets.js');
      io.stdout.write(
        listTicketsCommand(config, {
          status: typeof args.values['status'] === 'string' ? args.values['status'] : 'open,pending',
          limit: typeof args.values['limit'] === 'string' ? args.values['limit'] : '50',
          json: args.values['json'] === true,
        }),
      );
      return 0;
    },
  },
  staff: {
    summary: 'manage staff accounts (add, list, disable, passwd, link-telegram, link-whatsapp)',
    usage: STAFF_USAGE_TEXT,
    help: 'Passwords are read from standard input (--password-stdin), never from the command line. They need 10+ characters and must be\nhard to guess (zxcvbn strength 3 of 4; a phrase of a few words works); a weak one is refused with the reason.\npasswd and disable end the account\'s dashboard sessions at once. Every change is written to the audit log as cli:<OS user>.\nRoles: staff (tickets), supervisor (also reports), admin (also accounts and channels).',
    options: { role: { type: 'string' }, name: { type: 'string' }, 'password-stdin': { type: 'boolean' } },
    async run(args, io) {
      const config = configFrom(io);
      const { staffCommand } = await import('./cli-staff.js');
      const [sub, ...rest] = args.positionals;
      const readPassword = async (): Promise<string> => {
        if (args.values['password-stdin'] !== true) throw new UsageError('give the password on standard input with --password-stdin');
        const password = (await readAll(io.stdin)).replace(/\r?\n$/, '');
        if (password === '') throw new UsageError('no password on standard input');
        return password;
      };
      io.stdout.write(
        await staffCommand(config, {
          sub,
          args: rest,
          role: typeof args.values['role'] === 'string' ? args.values['role'] : undefined,
          displayName: typeof args.values['name'] === 'string' ? args.values['name'] : undefined,
          readPassword,
        }),
      );
      return 0;
    },
  },
  sla: {
    summary: 'SLA escalations (sla scan [--at ISO-TIME] [--dry-run])',
    usage: 'sapa sla scan [--at ISO-TIME] [--dry-run]',
    help: 'Runs one SLA scan on SAPA_DB and prints one JSON object:\n{at, dryRun, examined, fired: [{ticketId, ref, timer, level, dueAt}], nextCheckAt}.\nWithout --dry-run it performs them (each ticket, timer and level once); the running bot delivers the alerts.\n--at: an ISO 8601 time with a zone, e.g. 2026-12-01T10:00:00+08:00 (default: now).',
    options: { at: { type: 'string' }, 'dry-run': { type: 'boolean' } },
    async run(args, io) {
      const sub = args.positionals[0];
      if (sub !== 'scan') throw new UsageError(`unknown sla command "${sub ?? ''}"; try: sapa sla scan`);
      const config = configFrom(io);
      const { slaScanCommand } = await import('./cli-sla.js');
      io.stdout.write(
        await slaScanCommand(config, {
          at: typeof args.values['at'] === 'string' ? args.values['at'] : undefined,
          dryRun: args.values['dry-run'] === true,
        }),
      );
      return 0;
    },
  },
  calendar: {
    summary: 'holiday calendar: years covered and what is missing (calendar check [--at ISO-TIME] [--json])',
    usage: 'sapa calendar check [--at ISO-TIME] [--json]',
    help: 'Reads the holidays file named in SAPA_SLA_FILE (data/holidays.json) and prints each year it covers with its status\n(official, with the decree, or provisional), the fixed-date national holidays applied in every year, the years\nwithout official data (this year, and next year) and the warning /healthz shows (from 1 November when next year\nhas no official data). Exits 0 whatever is missing; 1 when the file is broken (the message names the entry).\n--at: judge at another moment, an ISO 8601 time with a zone, e.g. 2026-11-01T00:00:00+08:00 (default: now).\n--json: one JSON object {at, localDate, timeZone, file, years, currentYear, nextYear, missing, nextYearCheckFrom, warning, fixedDateHolidays}.',
    options: { at: { type: 'string' }, json: { type: 'boolean' } },
    async run(args, io) {
      const sub = args.positionals[0];
      if (sub !== 'check') throw new UsageError(`unknown calendar command "${sub ?? ''}"; try: sapa calendar check`);
      const config = configFrom(io);
      const { calendarCheckCommand } = await import('./cli-calendar.js');
      io.stdout.write(
        calendarCheckCommand(config, {
          at: typeof args.values['at'] === 'string' ? args.values['at'] : undefined,
          json: args.values['json'] === true,
        }),
      );
      return 0;
    },
  },
  instagram: {
    summary: 'Instagram channel: complete a login challenge or two-factor login (instagram verify <code>)',
    usage: 'sapa instagram verify <code>',
    help: 'When the Instagram channel shows "needs attention" (challenge_required or a two-factor login), Instagram\nsends a code to the account phone, e-mail or authenticator app. Run this with that code against the bot\'s\nSAPA_DB (IG_USERNAME must be set); the running bot resumes polling by itself within a minute.',
    async run(args, io) {
      const [sub, code] = args.positionals;
      if (sub !== 'verify') throw new UsageError(`unknown instagram command "${sub ?? ''}"; try: sapa instagram verify <code>`);
      const config = configFrom(io);
      const { instagramVerifyCommand } = await import('./cli-instagram.js');
      io.stdout.write(await instagramVerifyCommand(config, code));
      return 0;
    },
  },
  digest: {
    summary: 'daily supervisor digest (digest [--date YYYY-MM-DD] [--json] [--send] [--png FILE])',
    usage: 'sapa digest [--date YYYY-MM-DD] [--json] [--send] [--png FILE]',
    help: 'Builds the supervisors\' daily digest from SAPA_DB and prints it: the phone text, or one JSON object with --json\n(fields in README, "Daily digest"). --date: an office-local day, default yesterday in SAPA_TZ.\n--send also queues it (text + PNG chart) to TELEGRAM_SUPERVISOR_CHAT_IDS and WHATSAPP_SUPERVISOR_NUMBERS,\nonce per date and recipient (shared with the daily job); the running bot delivers it.\n--png FILE also writes the chart (the PNG the supervisors receive) to FILE.',
    options: { date: { type: 'string' }, json: { type: 'boolean' }, send: { type: 'boolean' }, png: { type: 'string' } },
    async run(args, io) {
      const config = configFrom(io);
      const { digestCommand } = await import('./cli-digest.js');
      io.stdout.write(
        await digestCommand(config, {
          date: typeof args.values['date'] === 'string' ? args.values['date'] : undefined,
          json: args.values['json'] === true,
          send: args.values['send'] === true,
          png: typeof args.values['png'] === 'string' ? args.values['png'] : undefined,
        }),
      );
      return 0;
    },
  },
  doctor: {
    summary: 'before going live: office profile, confirmed hours, channels, supervisors, admin, HTTPS (exit 1 if something is missing)',
    usage: 'sapa doctor',
    help: 'Checks what must be in place before applicants are sent to SAPA: data/office.yaml filled in (address and a\ncontact), the office hours confirmed in data/sla.yaml (hours_confirmed: true), at least one applicant channel\nbesides the web chat, an active supervisor account (and supervisor chats for alerts and the digest), an admin\naccount, and PUBLIC_URL on https. One line per check in Indonesian and English; exit code 1 when a needed item\nis missing, 0 otherwise. The dashboard shows the same list to admins (Kanal page), with the channels\' live status.',
    async run(_args, io) {
      const config = configFrom(io);
      const { doctorCommand } = await import('./cli-doctor.js');
      const result = doctorCommand(config);
      io.stdout.write(result.text);
      return result.exitCode;
    },
  },
  backup: {
    summary: 'copy the database to a file while the bot runs (online backup)',
    usage: 'sapa backup <file>',
    help: 'Writes a consistent copy of SAPA_DB to <file> using SQLite\'s online backup; safe while the bot is running.\nRestore: stop the bot, copy the backup over SAPA_DB, delete SAPA_DB-wal and SAPA_DB-shm if present, start the bot.',
    async run(args, io) {
      const file = args.positionals[0];
      if (!file) throw new UsageError('backup needs a <file>');
      const config = configFrom(io);
      const { openDatabase } = await import('./store/db.js');
      const { backupDatabase } = await import('./maintenance.js');
      const db = openDatabase(config.dbPath);
      try {
        const result = await backupDatabase(db, file);
        io.stdout.write(`backed up ${config.dbPath} to ${result.file} (${result.pages} pages)\n`);
      } finally {
        db.close();
      }
      return 0;
    },
  },
  purge: {
    summary: 'remove old message bodies, keeping ticket statistics (purge --older-than 365d)',
    usage: 'sapa purge --older-than <N>d|<N>w',
    help: 'Clears the text of messages, attachment bytes, alert texts, survey comments and summaries of finished\ntickets older than the given age. Times, intents, statuses and ratings stay, so reports keep working.\nMessages of tickets still open or pending are kept whole.',
    options: { 'older-than': { type: 'string' } },
    async run(args, io) {
      const { parseRetention, purgeOlderThan } = await import('./maintenance.js');
      const raw = args.values['older-than'];
      const ms = typeof raw === 'string' ? parseRetention(raw) : null;
      if (ms === null) throw new UsageError('--older-than takes an age such as 365d or 52w');
      const config = configFrom(io);
      const { openDatabase } = await import('./store/db.js');
      const db = openDatabase(config.dbPath);
      try {
        const result = purgeOlderThan(db, new Date(Date.now() - ms));
        io.stdout.write(
          `purged before ${result.cutoff.toISOString()}: ${result.messages} messages, ${result.attachments} attachments, ${result.tickets} ticket summaries, ${result.alerts} alerts, ${result.comments} comments\n`,
        );
      } finally {
        db.close();
      }
      return 0;
    },
  },
  migrate: {
    summary: 'create or upgrade the database schema',
    usage: 'sapa migrate',
    help: 'Applies pending schema migrations to SAPA_DB (start does this too) and prints the schema version.',
    async run(_args, io) {
      const config = configFrom(io);
      const { openDatabase } = await import('./store/db.js');
      const { runMigrations } = await import('./store/migrate.js');
      const db = openDatabase(config.dbPath, { migrate: false });
      try {
        const report = runMigrations(db);
        io.stdout.write(
          report.applied.length > 0
            ? `applied migrations ${report.applied.join(', ')}; schema version ${report.current} (${config.dbPath})\n`
            : `schema is up to date at version ${report.current} (${config.dbPath})\n`,
        );
      } finally {
        db.close();
      }
      return 0;
    },
  },
};


async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
  return text;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function defaultUser(io: CliIo): string {
  const name = io.env['USER'] ?? io.env['USERNAME'] ?? 'terminal';
  return `console-${name.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 40) || 'terminal'}`;
}

function configFrom(io: CliIo): Config {
  return loadConfig(io.env);
}

function mainHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`);
  return `SAPA — Sistem Aduan & Pelayanan Paspor\n\nUsage: sapa <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun "sapa <command> --help" for a command's options.\n`;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(mainHelp());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  try {
    if (!command) throw new UsageError(`unknown command "${name}"`);
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout.write(`Usage: ${command.usage}\n\n${command.help}\n`);
      return 0;
    }
    let parsed: ParsedArgs;
    try {
      const result = parseArgs({ args: [...rest], options: command.options ?? {}, allowPositionals: true, strict: true });
      parsed = { values: result.values as ParsedArgs['values'], positionals: result.positionals };
    } catch (err) {
      throw new UsageError(err instanceof Error ? err.message : String(err));
    }
    return await command.run(parsed, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`sapa: ${err.message}\n${command ? `Usage: ${command.usage}\n` : mainHelp()}`);
      return 2;
    }
    if (err instanceof ConfigError) {
      io.stderr.write(`sapa: configuration error: ${err.message}\n`);
      return 1;
    }
    const message = err instanceof Error ? err.message : String(err);
    io.stderr.write(`sapa: ${message}\n`);
    if (io.env['LOG_LEVEL'] === 'debug' && err instanceof Error && err.stack) io.stderr.write(`${err.stack}\n`);
    return 1;
  }
}

/** Entry point used by bin/sapa.js. */
export async function main(): Promise<void> {
  // Everything sapa creates (database, WAL, backups, caches) is readable by its user only.
  restrictUmask();
  loadDotenvFile();
  const code = await runCli(process.argv.slice(2), {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
  });
  process.exitCode = code;
}

/** `sapa classify` and `sapa eval` reuse the model the running bot trained (same folder). */
function classifierCacheOf(config: Config): { cacheDir?: string } {
  return config.modelCacheDir === null ? {} : { cacheDir: config.modelCacheDir };
}
