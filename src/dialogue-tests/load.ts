/**
 * Dialogue tests: scripted conversations with expected outcomes (in the manner of Rasa's
 * test stories) in plain YAML files under test/conversations/, which the office can extend
 * after editing intents/. One file holds one or more dialogues:
 *
 *   dialogues:
 *     - name: damaged passport, then its fee
 *       language: id                 # id, en or kupang (informative)
 *       turns:
 *         - user: paspor saya rusak kena air
 *           expect: { contains: [BAP, Rp500.000], ticket: none }
 *         - user: biayanya berapa?
 *           expect: { startsWith: Biaya kerusakan, notContains: Rp1.000.000, maxLength: 600 }
 *         - press: Selengkapnya       # a button of the bot's last reply (label or payload)
 *         - wait: 31m                 # the fake clock moves on (m, h, d)
 *         - staff: claim              # claim, resolve, reopen, or reply: <text>
 *
 * Validation errors name the file, the dialogue and the turn.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';

export const TICKET_EFFECTS = ['opened', 'added', 'reopened', 'none'] as const;
export type TicketEffect = (typeof TICKET_EFFECTS)[number];

const texts = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).transform((value) => (Array.isArray(value) ? value : [value]));

const expectSchema = z
  .object({
    /** The router's outcome (one of several). */
    outcome: texts.optional(),
    /** Each text appears in the turn's replies (case-insensitive). */
    contains: texts.optional(),
    /** No text appears in the turn's replies (case-insensitive). */
    notContains: texts.optional(),
    /** The first reply starts with this (case-insensitive). */
    startsWith: z.string().min(1).optional(),
    /** What happened to a ticket on this turn. */
    ticket: z.enum(TICKET_EFFECTS).optional(),
    /** The ticket is high priority / an integrity report. */
    priority: z.enum(['normal', 'high']).optional(),
    integrity: z.boolean().optional(),
    /** Buttons of the last reply: each given label or payload is there (true: some, false: none). */
    buttons: z.union([z.boolean(), texts]).optional(),
    /** Every reply is at most this long. */
    maxLength: z.number().int().positive().optional(),
    /** How many replies (0: silent). */
    replies: z.number().int().min(0).optional(),
  })
  .strict();

export type Expectation = z.output<typeof expectSchema>;

const userTurn = z.object({ user: z.string(), expect: expectSchema.optional() }).strict();
const pressTurn = z.object({ press: z.string().min(1), expect: expectSchema.optional() }).strict();
const waitTurn = z.object({ wait: z.string().regex(/^\d+(\.\d+)?(m|h|d)$/, 'must be like 31m, 2h or 3d'), expect: expectSchema.optional() }).strict();
const staffTurn = z
  .object({
    staff: z.union([z.enum(['claim', 'resolve', 'reopen']), z.object({ reply: z.string().min(1) }).strict()], {
      error: 'must be claim, resolve, reopen or { reply: <text> }',
    }),
    expect: expectSchema.optional(),
  })
  .strict();

/** Each kind of turn is told apart by its first key, so an error names what is wrong inside it. */
const TURN_KINDS = { user: userTurn, press: pressTurn, wait: waitTurn, staff: staffTurn } as const;

const turnSchema = z.unknown().transform((value, ctx): z.output<typeof userTurn> | z.output<typeof pressTurn> | z.output<typeof waitTurn> | z.output<typeof staffTurn> => {
  const kind = value !== null && typeof value === 'object' ? Object.keys(TURN_KINDS).find((key) => key in value) : undefined;
  if (kind === undefined) {
    ctx.addIssue({ code: 'custom', message: 'a turn needs user, press, wait or staff' });
    return z.NEVER;
  }
  const result = TURN_KINDS[kind as keyof typeof TURN_KINDS].safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
  return z.NEVER;
});

export type DialogueTurn = z.output<typeof turnSchema>;

const dialogueSchema = z
  .object({
    name: z.string().min(1),
    language: z.enum(['id', 'en', 'kupang']).default('id'),
    /** When the conversation starts (ISO time with zone); default Monday 30 November 2026, 09:00 WITA. */
    start: z.string().optional(),
    /**
     * Play the dialogue as if the office had (true) or had not (false) confirmed its hours
     * (`hours_confirmed` in data/sla.yaml); default: as the SLA file says.
     */
    hours_confirmed: z.boolean().optional(),
    /** The channel the applicant writes on (default telegram). */
    channel: z.enum(['telegram', 'whatsapp', 'instagram', 'web', 'console']).default('telegram'),
    /** A known defect (e.g. a misclassification reported to the NLU): reported, not counted as a failure. */
    known_issue: z.string().min(1).optional(),
    turns: z.array(turnSchema).min(1),
  })
  .strict();

export type Dialogue = z.output<typeof dialogueSchema> & { readonly file: string };

const fileSchema = z.object({ dialogues: z.array(dialogueSchema).min(1) }).strict();

export class DialogueFileError extends Error {
  readonly code = 'DIALOGUE_FILE_INVALID';
  constructor(message: string, readonly file: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DialogueFileError';
  }
}

/** The dialogue files in a folder (sorted), or the file itself. */
export function dialogueFiles(path: string): string[] {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch (err) {
    throw new DialogueFileError(`${path}: cannot read it (${err instanceof Error ? err.message : String(err)})`, path, { cause: err });
  }
  if (!isDir) return [path];
  return readdirSync(path)
    .filter((name) => name.endsWith('.yaml') || name.endsWith('.yml'))
    .sort()
    .map((name) => join(path, name));
}

export function loadDialogues(file: string): Dialogue[] {
  let data: unknown;
  try {
    data = parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new DialogueFileError(`${file}: not readable YAML (${(err instanceof Error ? err.message : String(err)).split('\n')[0]})`, file, { cause: err });
  }
  const result = fileSchema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue?.path ?? [];
    const where = describePath(data, path);
    throw new DialogueFileError(`${file}: ${where}${issue?.message ?? 'invalid content'}`, file);
  }
  for (const dialogue of result.data.dialogues) {
    if (dialogue.start !== undefined && Number.isNaN(new Date(dialogue.start).getTime())) {
      throw new DialogueFileError(`${file}: dialogue "${dialogue.name}": start must be an ISO time such as 2026-11-30T09:00:00+08:00`, file);
    }
  }
  return result.data.dialogues.map((dialogue) => ({ ...dialogue, file }));
}

/** "dialogue "name", turn 3, expect.ticket: " for an issue's path. */
function describePath(data: unknown, path: readonly PropertyKey[]): string {
  const parts: string[] = [];
  if (path[0] === 'dialogues' && typeof path[1] === 'number') {
    const dialogues = (data as { dialogues?: { name?: unknown }[] } | null)?.dialogues;
    const name = dialogues?.[path[1]]?.name;
    parts.push(typeof name === 'string' ? `dialogue "${name}"` : `dialogue ${path[1] + 1}`);
    if (path[2] === 'turns' && typeof path[3] === 'number') {
      parts.push(`turn ${path[3] + 1}`);
      if (path.length > 4) parts.push(path.slice(4).map(String).join('.'));
    } else if (path.length > 2) parts.push(path.slice(2).map(String).join('.'));
  } else if (path.length > 0) parts.push(path.map(String).join('.'));
  return parts.length > 0 ? `${parts.join(', ')}: ` : '';
}

/** "31m" -> milliseconds. */
export function parseWait(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(m|h|d)$/.exec(text);
  if (!match) throw new Error(`bad wait "${text}"`);
  const unit = match[2] === 'm' ? 60_000 : match[2] === 'h' ? 3_600_000 : 86_400_000;
  return Number(match[1]) * unit;
}
