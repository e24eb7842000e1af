/**
 * Errors a user can act on. `code` is stable (batch records and the CLI print it);
 * every one of these maps to exit code 3 ("could not be read as a report") except usage.
 */
export type ErrorCode =
  | 'unsupported' // a format we do not read (.doc, .wps, images, …)
  | 'corrupt' // the container or markup is broken beyond reading
  | 'encrypted' // needs a password
  | 'no-text' // no text layer (scanned)
  | 'not-report' // readable, but not a disclosure annual report
  | 'too-large' // refuses to inflate beyond the caps (zip bombs)
  | 'timeout' // the worker did not finish within the deadline and was terminated
  | 'io'
  // Only from an isolated parse (a worker thread): the worker hit its heap cap, died,
  // or the parser threw something that is not a NianbaoError (a bug worth reporting).
  | 'oom'
  | 'crash'
  | 'internal';

export class NianbaoError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'NianbaoError';
    this.code = code;
  }
}

export function isNianbaoError(e: unknown): e is NianbaoError {
  return e instanceof NianbaoError;
}

/** One line for people: the reason of a NianbaoError, or a short description of anything else. */
export function reasonOf(e: unknown): string {
  if (e instanceof NianbaoError) return e.message;
  if (e instanceof Error) return `${e.name}: ${e.message}`.split('\n')[0];
  return String(e).split('\n')[0];
}
