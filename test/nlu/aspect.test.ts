import { describe, expect, it } from 'vitest';
import { detectAspect } from '../../src/nlu/aspect.js';

describe('detectAspect', () => {
  it.each([
    ['biayanya berapa', 'fee'],
    ['dendanya berapa', 'fee'],
    ['how much is it', 'fee'],
    ['berapa lama jadinya', 'time'],
    ['dokumennya apa saja', 'documents'],
    ['syaratnya apa', 'documents'],
    ['caranya bagaimana', 'steps'],
    ['di mana tempatnya', 'where'],
    ['boleh diwakilkan', 'who'],
  ] as const)('%s -> %s', (text, aspect) => {
    expect(detectAspect(text)).toBe(aspect);
  });

  it('says null when no part of a topic is named', () => {
    expect(detectAspect('paspor saya hilang')).toBeNull();
  });
});
