import { rmSync } from 'node:fs';

/**
 * How a command ends early without leaving half-made files: paths registered here are removed
 * when the process exits before the command says they are finished, whatever ends it (Ctrl+C,
 * SIGTERM, a closed pipe, an error). Removal runs in the 'exit' handler, so it is synchronous.
 */
/** Path → whether it is a folder this command made (only those are removed recursively). */
const unfinished = new Map<string, boolean>();
let exitHandlerInstalled = false;

function removeUnfinished(): void {
  for (const [path, folder] of unfinished) rmSync(path, { recursive: folder, force: true });
  unfinished.clear();
}

/** Removes `path` at exit unless `finished()` is called first; `folder` for a folder the command made. */
export function removeUnlessFinished(
  path: string,
  options: { folder?: boolean } = {},
): { finished: () => void } {
  if (!exitHandlerInstalled) {
    process.on('exit', removeUnfinished);
    exitHandlerInstalled = true;
  }
  unfinished.set(path, options.folder === true);
  return { finished: () => unfinished.delete(path) };
}

/** Exit codes the shell reports for these signals (128 + the signal's number). */
export const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;

/**
 * Ends the command at once on Ctrl+C or SIGTERM, after saying where it stopped (`where()`, e.g.
 * "after 3 of 25 scenarios"); what `removeUnlessFinished` holds is removed on the way out. Returns
 * a function that takes the handlers off again (for a command that then waits its own way).
 */
export function stopOnSignal(where: () => string): () => void {
  const handlers = (Object.keys(SIGNAL_EXIT) as (keyof typeof SIGNAL_EXIT)[]).map((signal) => {
    const handler = (): void => {
      const what = signal === 'SIGINT' ? 'Ctrl+C (SIGINT)' : 'SIGTERM';
      process.stderr.write(`\ndatasync-sim: stopped by ${what} ${where()}\n`);
      process.exit(SIGNAL_EXIT[signal]);
    };
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  return () => {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  };
}

/**
 * Output piped into a reader that stops early (`| head`) ends the command quietly, as `cat` does:
 * no EPIPE stack, exit code 141 (128 + SIGPIPE) as the shell reports for a killed writer.
 */
export function endQuietlyOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(141);
      throw error;
    });
  }
}
