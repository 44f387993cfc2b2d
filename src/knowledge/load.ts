/**
 * Loads the knowledge base: every intents/*.yaml plus data/office.yaml, validated with zod.
 * Any problem throws a KnowledgeError naming the file and the field, so the office can fix
 * its own edits ("intents/fees.yaml: answer.en is missing").
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { KnowledgeError } from './errors.js';
import { placeholderFields } from './placeholders.js';
import { ANSWER_ASPECTS, type AnswerAspect } from '../nlu/types.js';
import {
  ANSWER_CASES,
  CORE_INTENT_IDS,
  SERVQUAL_DIMENSIONS,
  type AnswerCase,
  type AspectAnswers,
  type Bilingual,
  type CaseAnswer,
  type IntentEntry,
  type KnowledgeBase,
  type LabelledExample,
  type OfficeProfile,
} from './types.js';

/** Core intents need this many training utterances; office-added FAQs may start smaller. */
export const MIN_CORE_UTTERANCES = 25;
/** Office-profile fields that must always be filled (the sources confirm them). */
export const REQUIRED_OFFICE_FIELDS = ['name', 'area_served', 'timezone'] as const;
/** Filled from the SLA policy's confirmed business hours (see withOfficeHours), never from data/office.yaml. */
export const DERIVED_OFFICE_FIELD = 'opening_hours';

/**
 * The knowledge base with `{{office.opening_hours}}` taken from the SLA policy: the
 * confirmed hours as text, or '' (unconfirmed: the answer says so) when `hoursText` is null.
 */
export function withOfficeHours(kb: KnowledgeBase, hoursText: string | null): KnowledgeBase {
  return { ...kb, office: { ...kb.office, [DERIVED_OFFICE_FIELD]: hoursText ?? '' } };
}

const nonEmpty = z.string().trim().min(1, 'must not be empty');
const bilingual = z.object({ id: nonEmpty, en: nonEmpty }, { error: 'must have id and en texts' });

const aspectsSchema = z.record(z.string(), bilingual).default({});
const caseSchema = z.object({
  answer: bilingual.optional(),
  more: bilingual.optional(),
  aspects: aspectsSchema,
  intent: z.string().optional(),
});

const intentFileSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be lowercase letters, digits and _'),
  label: bilingual,
  servqual: z.enum(SERVQUAL_DIMENSIONS as [string, ...string[]]),
  utterances: z.array(nonEmpty).min(1, 'needs at least one utterance'),
  answer: bilingual,
  more: bilingual.optional(),
  aspects: aspectsSchema,
  cases: z.record(z.string(), caseSchema).default({}),
  troubleshooting: z.boolean({ error: 'must be true or false' }).default(false),
  followups: z.array(z.string()).default([]),
  sources: z.array(z.string().url('must be a URL')).default([]),
  verified_at: z.union([
    z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD'),
    // YAML turns an unquoted 2026-11-27 into a Date.
    z.date().transform((date) => date.toISOString().slice(0, 10)),
  ]),
});

const officeFileSchema = z.record(z.string(), z.union([z.string(), z.number(), z.null()]));

/** Reads and validates the whole knowledge base; throws KnowledgeError on the first problem. */
export function loadKnowledgeBase(dir = 'intents', officeFile = 'data/office.yaml'): KnowledgeBase {
  const hash = createHash('sha256');
  const office = loadOffice(officeFile, hash);
  const files = listIntentFiles(dir);
  const intents = new Map<string, IntentEntry>();
  for (const file of files) {
    const entry = loadIntent(file, hash);
    intents.set(entry.id, { ...entry, examples: loadExamples(join(dir, EXAMPLES_DIR, `${entry.id}.tsv`), hash) });
  }
  checkCrossReferences(dir, intents, office);
  checkExampleFiles(join(dir, EXAMPLES_DIR), intents);
  return { intents, office, version: hash.digest('hex').slice(0, 16) };
}

function listIntentFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    throw new KnowledgeError(`${dir}: cannot read the intents folder (${errorText(err)})`, dir, { cause: err });
  }
  return names
    .filter((name) => name.endsWith('.yaml') || name.endsWith('.yml'))
    .sort()
    .map((name) => join(dir, name));
}

function readYaml(file: string, hash: ReturnType<typeof createHash>): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new KnowledgeError(`${file}: cannot read the file (${errorText(err)})`, file, { cause: err });
  }
  hash.update(file).update('\0').update(text).update('\0');
  try {
    return parse(text);
  } catch (err) {
    throw new KnowledgeError(`${file}: not valid YAML (${errorText(err).split('\n')[0] ?? ''})`, file, { cause: err });
  }
}

/** Labelled training examples live beside the intent files, one TSV per intent id. */
export const EXAMPLES_DIR = 'examples';
const EXAMPLES_HEADER = 'complaint\ttext';

/**
 * Reads `complaint<TAB>text` lines (a header line first). A missing file means no examples;
 * a malformed line is an error naming the file and line, so an edit never half-loads.
 */
function loadExamples(file: string, hash: ReturnType<typeof createHash>): LabelledExample[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new KnowledgeError(`${file}: cannot read the file (${errorText(err)})`, file, { cause: err });
  }
  hash.update(file).update('\0').update(text).update('\0');
  const lines = text.split(/\r?\n/);
  if (lines[0]?.trim() !== EXAMPLES_HEADER) {
    throw new KnowledgeError(`${file}: the first line must be the header "complaint<TAB>text"`, file);
  }
  const examples: LabelledExample[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const tab = line.indexOf('\t');
    const flag = tab < 0 ? '' : line.slice(0, tab).trim();
    const body = tab < 0 ? '' : line.slice(tab + 1).trim();
    if ((flag !== 'true' && flag !== 'false') || body === '') {
      throw new KnowledgeError(`${file}: line ${i + 1} must be "true" or "false", a tab, then the text`, file);
    }
    examples.push({ text: body, complaint: flag === 'true' });
  }
  return examples;
}

/** An examples file for an intent that does not exist is a typo the office should hear about. */
function checkExampleFiles(dir: string, intents: ReadonlyMap<string, IntentEntry>): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new KnowledgeError(`${dir}: cannot read the examples folder (${errorText(err)})`, dir, { cause: err });
  }
  for (const name of names) {
    if (!name.endsWith('.tsv')) continue;
    const id = name.slice(0, -'.tsv'.length);
    if (!intents.has(id)) throw new KnowledgeError(`${join(dir, name)}: there is no intent "${id}" (intents/${id}.yaml)`, join(dir, name));
  }
}

function loadIntent(file: string, hash: ReturnType<typeof createHash>): Omit<IntentEntry, 'examples'> {
  const data = readYaml(file, hash);
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new KnowledgeError(`${file}: must be a YAML mapping with id, label, servqual, utterances, answer`, file);
  }
  const result = intentFileSchema.safeParse(data);
  if (!result.success) throw new KnowledgeError(`${file}: ${describeIssue(result.error, data)}`, file);
  const parsed = result.data;
  const expectedId = basename(file).replace(/\.ya?ml$/, '');
  if (parsed.id !== expectedId) {
    throw new KnowledgeError(`${file}: id "${parsed.id}" must equal the file name "${expectedId}"`, file);
  }
  const core = (CORE_INTENT_IDS as readonly string[]).includes(parsed.id);
  if (core && parsed.utterances.length < MIN_CORE_UTTERANCES) {
    throw new KnowledgeError(
      `${file}: utterances has ${parsed.utterances.length} entries, a core intent needs at least ${MIN_CORE_UTTERANCES}`,
      file,
    );
  }
  const cases: Partial<Record<AnswerCase, CaseAnswer>> = {};
  for (const [key, value] of Object.entries(parsed.cases)) {
    if (!isAnswerCase(key)) {
      throw new KnowledgeError(`${file}: cases.${key} is not a known case; use one of ${ANSWER_CASES.join(', ')}`, file);
    }
    const aspects = checkAspects(file, `cases.${key}.aspects`, value.aspects);
    if (value.answer === undefined && value.intent === undefined && Object.keys(aspects).length === 0) {
      throw new KnowledgeError(`${file}: cases.${key} needs an answer, aspects or an intent to answer with`, file);
    }
    if (value.more !== undefined && value.answer === undefined) {
      throw new KnowledgeError(`${file}: cases.${key}.more needs cases.${key}.answer (the text it continues)`, file);
    }
    cases[key] = { answer: value.answer ?? null, more: value.more ?? null, aspects, intent: value.intent ?? null };
  }
  return {
    id: parsed.id,
    label: parsed.label,
    servqual: parsed.servqual as IntentEntry['servqual'],
    utterances: parsed.utterances,
    answer: parsed.answer,
    more: parsed.more ?? null,
    aspects: checkAspects(file, 'aspects', parsed.aspects),
    cases,
    troubleshooting: parsed.troubleshooting,
    followups: parsed.followups,
    sources: parsed.sources,
    verifiedAt: parsed.verified_at,
    file,
  };
}

function isAnswerCase(key: string): key is AnswerCase {
  return (ANSWER_CASES as readonly string[]).includes(key);
}

/** Aspect keys must be the known ones: a typo ("fees:") would otherwise never be answered. */
function checkAspects(file: string, where: string, aspects: Readonly<Record<string, Bilingual>>): AspectAnswers {
  const checked: Partial<Record<AnswerAspect, Bilingual>> = {};
  for (const [key, text] of Object.entries(aspects)) {
    if (!(ANSWER_ASPECTS as readonly string[]).includes(key)) {
      throw new KnowledgeError(`${file}: ${where}.${key} is not a known aspect; use one of ${ANSWER_ASPECTS.join(', ')}`, file);
    }
    checked[key as AnswerAspect] = text;
  }
  return checked;
}

/** Every text of an intent with where it sits in the file ("cases.lost.aspects.fee"), for cross-checks. */
function answerTexts(entry: IntentEntry): { where: string; text: Bilingual }[] {
  const texts: { where: string; text: Bilingual }[] = [{ where: 'answer', text: entry.answer }];
  if (entry.more) texts.push({ where: 'more', text: entry.more });
  for (const [aspect, text] of Object.entries(entry.aspects)) texts.push({ where: `aspects.${aspect}`, text });
  for (const [key, value] of Object.entries(entry.cases)) {
    if (value.answer) texts.push({ where: `cases.${key}.answer`, text: value.answer });
    if (value.more) texts.push({ where: `cases.${key}.more`, text: value.more });
    for (const [aspect, text] of Object.entries(value.aspects)) texts.push({ where: `cases.${key}.aspects.${aspect}`, text });
  }
  return texts;
}

function loadOffice(file: string, hash: ReturnType<typeof createHash>): OfficeProfile {
  const data = readYaml(file, hash) ?? {};
  const result = officeFileSchema.safeParse(data);
  if (!result.success) throw new KnowledgeError(`${file}: ${describeIssue(result.error, data)}`, file);
  const office: Record<string, string> = {};
  for (const [key, value] of Object.entries(result.data)) {
    office[key] = value === null ? '' : String(value).trim();
  }
  for (const field of REQUIRED_OFFICE_FIELDS) {
    if (!office[field]) throw new KnowledgeError(`${file}: ${field} is missing or empty`, file);
  }
  // One source of truth for the hours: the SLA file, which also times the tickets.
  if (office[DERIVED_OFFICE_FIELD]) {
    throw new KnowledgeError(
      `${file}: ${DERIVED_OFFICE_FIELD} must stay '': the office hours are written once, in data/sla.yaml (business_hours, then hours_confirmed: true), and the answers take them from there`,
      file,
    );
  }
  return office;
}

function checkCrossReferences(dir: string, intents: ReadonlyMap<string, IntentEntry>, office: OfficeProfile): void {
  const missing = CORE_INTENT_IDS.filter((id) => !intents.has(id));
  if (missing.length > 0) {
    throw new KnowledgeError(`${dir}: missing intent files for ${missing.map((id) => `${id}.yaml`).join(', ')}`, dir);
  }
  for (const entry of intents.values()) {
    for (const followup of entry.followups) {
      if (!intents.has(followup)) {
        throw new KnowledgeError(`${entry.file}: followups names "${followup}", which is not an intent id`, entry.file);
      }
    }
    for (const [key, value] of Object.entries(entry.cases)) {
      if (value.intent !== null && !intents.has(value.intent)) {
        throw new KnowledgeError(`${entry.file}: cases.${key}.intent names "${value.intent}", which is not an intent id`, entry.file);
      }
    }
    for (const { where, text } of answerTexts(entry)) {
      for (const language of ['id', 'en'] as const) {
        for (const field of placeholderFields(text[language])) {
          if (!(field in office)) {
            throw new KnowledgeError(
              `${entry.file}: ${where}.${language} uses {{office.${field}}}, but data/office.yaml has no field "${field}"`,
              entry.file,
            );
          }
        }
      }
    }
  }
}

/** One readable sentence for the first zod issue: "answer.en is missing". */
function describeIssue(error: z.ZodError, data: unknown): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'invalid content';
  const path = issue.path.map(String).join('.');
  const where = path === '' ? 'file' : path;
  if (valueAt(data, issue.path) === undefined) return `${where} is missing`;
  return `${where} ${issue.message}`;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = data;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
