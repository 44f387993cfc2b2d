/**
 * What is wrong right now, for /healthz and the dashboard: components report a
 * problem when an operation fails and clear it when the next one succeeds.
 */
export interface HealthMonitor {
  report(component: string, problem: string): void;
  clear(component: string): void;
  problems(): string[];
}

export function createHealthMonitor(): HealthMonitor {
  const current = new Map<string, string>();
  return {
    report(component, problem) {
      current.set(component, problem);
    },
    clear(component) {
      current.delete(component);
    },
    problems: () => [...current].map(([component, problem]) => `${component}: ${problem}`),
  };
}

/** SQLite failures that mean "the disk or the file cannot take writes now", not a bug. */
const STORAGE_CODES = /^SQLITE_(FULL|READONLY|IOERR|CANTOPEN|BUSY|LOCKED|PERM|CORRUPT|NOTADB)/;

export function isStorageFailure(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && STORAGE_CODES.test(code);
}

export function describeStorageFailure(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'SQLITE_FULL') return 'the disk is full; messages cannot be stored until space is freed';
  if (typeof code === 'string' && code.startsWith('SQLITE_READONLY')) return 'the database is read-only; check the file and folder permissions';
  return `the database cannot be written (${String(code ?? (err instanceof Error ? err.message : err))})`;
}
