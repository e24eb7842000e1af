/** The CLI's window on the world, so commands run in-process in tests. */
export interface Io {
  /** `done` (when the sink supports it) says whether the text reached the reader: see `progress.earned`. */
  stdout: { write(s: string, done?: (err?: Error | null) => void): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown; isTTY?: boolean };
  stdin?: NodeJS.ReadableStream;
  cwd?: string;
}

export const processIo: Io = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin };

/** Exit codes of the contract. */
export const EXIT = { ok: 0, findings: 1, usage: 2, unreadable: 3 } as const;
