/** A knowledge file (intents/*.yaml or data/office.yaml) is missing, unreadable or invalid. */
export class KnowledgeError extends Error {
  readonly code = 'KNOWLEDGE_INVALID';

  constructor(
    message: string,
    /** The offending file, as given to the loader. */
    readonly file: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'KnowledgeError';
  }
}
