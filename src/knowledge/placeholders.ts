/** `{{office.field}}` references inside answers. */
export const PLACEHOLDER = /\{\{\s*office\.([A-Za-z0-9_]+)\s*\}\}/g;

/** The office fields a text references, in order of appearance. */
export function placeholderFields(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((match) => match[1] ?? '');
}
