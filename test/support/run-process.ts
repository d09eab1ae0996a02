import { spawn } from 'node:child_process';

export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved as they arrived. */
  out: string;
}

/** Runs a real client to completion, feeding `input` on stdin. */
export function runProcess(
  command: string,
  args: readonly string[],
  options: { cwd: string; input?: string; env?: NodeJS.ProcessEnv },
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env });
    const result: ProcessResult = { code: null, stdout: '', stderr: '', out: '' };
    child.stdout.on('data', (d: Buffer) => {
      result.stdout += d.toString();
      result.out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      result.stderr += d.toString();
      result.out += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ ...result, code }));
    child.stdin.end(options.input ?? '');
  });
}
