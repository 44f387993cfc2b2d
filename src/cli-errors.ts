/** A wrong command line: reported with the command's usage and exit code 2. */
export class UsageError extends Error {
  readonly code = 'SAPA_USAGE';
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
