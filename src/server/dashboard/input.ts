/** Small validators for query strings and JSON bodies: each failure is a 400 VALIDATION naming the field. */
import { HttpError } from '../errors.js';

export function body(request: { body: unknown }): Record<string, unknown> {
  const value = request.body;
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new HttpError('VALIDATION', 'send a JSON object');
  return value as Record<string, unknown>;
}

export function oneOf<T extends string>(value: unknown, allowed: readonly T[], name: string): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new HttpError('VALIDATION', `${name} must be one of ${allowed.join(', ')}`);
}

export function optionalOneOf<T extends string>(value: unknown, allowed: readonly T[], name: string): T | undefined {
  return value === undefined || value === '' ? undefined : oneOf(value, allowed, name);
}

export function positiveId(value: unknown, name = 'id'): number {
  const n = typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : typeof value === 'number' ? value : NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new HttpError('VALIDATION', `${name} must be a positive whole number`);
  return n;
}

export function text(value: unknown, name: string, max: number): string {
  if (typeof value !== 'string' || value.trim() === '') throw new HttpError('VALIDATION', `${name} must be non-empty text`);
  if (value.length > max) throw new HttpError('VALIDATION', `${name} is longer than ${max} characters`);
  return value;
}

export function limit(value: unknown, fallback: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  return Math.min(positiveId(value, 'limit'), max);
}
