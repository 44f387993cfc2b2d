/**
 * The line of a topic's answer a follow-up asks about (src/router/steps/answer-line.ts), on
 * the shipped knowledge base.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadKnowledgeBase } from '../../src/knowledge/index.js';
import type { KnowledgeBase } from '../../src/knowledge/types.js';
import { answeringLine, PLAIN_LINE_SCORE } from '../../src/router/steps/answer-line.js';

let kb: KnowledgeBase;
beforeAll(() => {
  kb = loadKnowledgeBase('intents', 'data/office.yaml');
});

describe('answeringLine', () => {
  it('finds the line the question names, without its list number', () => {
    expect(answeringLine(kb, 'lost_damaged', 'id', ['lost'], 'harus lapor polisi dulu?')?.line).toBe('Buat surat laporan kehilangan di kepolisian.');
    expect(answeringLine(kb, 'mpaspor_register', 'en', [], 'I have no smartphone')?.line).toMatch(/No smartphone or signal\? Come to the office/);
    // Chat "telat" for the answers' "(paling) lambat".
    expect(answeringLine(kb, 'processing_time', 'id', [], 'kalau telat ambil?')?.line).toMatch(/^Ambil paling lambat 30 hari/);
  });

  it('reads the case: a damaged passport walks in, without the app', () => {
    const found = answeringLine(kb, 'lost_damaged', 'id', ['damaged'], 'bisa lewat m-paspor ko?');
    expect(found?.line).toMatch(/tanpa M-Paspor/);
    expect(found?.line).toMatch(/rusak/);
    expect(found!.score).toBeGreaterThanOrEqual(PLAIN_LINE_SCORE);
  });

  it('answers nothing from words every line uses, function words, or a word of several lines alone', () => {
    expect(answeringLine(kb, 'lost_damaged', 'id', ['lost'], 'paspor saya bagaimana?')).toBeNull();
    expect(answeringLine(kb, 'fees', 'id', [], 'apa itu?')).toBeNull();
    // "ambil" is in two lines of the processing time (who may collect; collect within 30 days).
    expect(answeringLine(kb, 'processing_time', 'id', [], 'boleh beta pung adik yang ambil ko?')).toBeNull();
    expect(answeringLine(kb, 'no_such_topic', 'id', [], 'harus lapor polisi dulu?')).toBeNull();
  });
});
