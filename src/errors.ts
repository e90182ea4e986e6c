/**
 * Errors that carry their exit code (../shared/CONTRACT.md, "Exit codes"). The CLI root maps them to
 * a one-line message on stderr and the code; anything else is an internal failure (exit 1), still
 * printed as one line unless CORR_DEBUG is set.
 */
export class CorrError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad usage: unknown option, unreadable time expression, bad regex, unknown zone. Exit 2. */
export class UsageError extends CorrError {
  constructor(message: string) {
    super(message, 2);
  }
}

/** The database cannot be used (not SQLite, newer schema, not writable). Exit 2, nothing changed. */
export class StoreError extends CorrError {
  constructor(message: string) {
    super(message, 2);
  }
}

/** The database stayed locked by another writer past the busy timeout. Exit 1. */
export class LockedError extends CorrError {
  constructor(message: string) {
    super(message, 1);
  }
}
