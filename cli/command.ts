/** What a command may use of the outside world; tests pass their own. */
export interface CliIo {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  cwd: string;
  now: () => Date;
  env: Record<string, string | undefined>;
  /** Resolves when the user asks to stop (Ctrl-C); long-running commands wait on it. */
  interrupted: Promise<void>;
  /** True when stdout is a terminal: progress is then one line redrawn in place. */
  isTTY?: boolean | undefined;
  /** Writes to stdout as is, without a line break (redrawing a progress line). */
  write?: ((text: string) => void) | undefined;
}

/** One `gazette <name>` command. */
export interface Command {
  name: string;
  /** Full help text: usage line, options, examples. */
  help: string;
  /** Exit code: 0 ok, 1 content or runtime error, 2 usage error. */
  run(args: string[], io: CliIo): Promise<number>;
}

/** A mistake in how the command was called: exit 2 with a hint. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
  }
}
