/** A CLI command's failure with its exit code: 2 for wrong usage (a bad flag or argument), 1 otherwise. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
  }
}

export const usageError = (message: string) => new CliError(message, 2);

/** Prints a command's error as `opendray <command>: message` and answers its exit code; unknown errors rethrow. */
export function cliExitCode(command: string, error: unknown): number {
  const parseError = (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
  if (!(error instanceof CliError) && !parseError) throw error;
  console.error(`opendray ${command}: ${(error as Error).message}`);
  return error instanceof CliError ? error.exitCode : 2;
}
