/** One command of a scenario's `sftp` step, parsed; quoted words may hold spaces. */
export type SftpCommand =
  | { verb: 'put'; local: string; remote: string }
  | { verb: 'get' | 'ls' | 'rm' | 'mkdir'; path: string }
  | { verb: 'rename'; from: string; to: string };

export const SFTP_COMMAND_FORMS = 'put LOCAL REMOTE, get REMOTE, ls DIR, rm REMOTE, rename A B, mkdir DIR';

const ARITY: Readonly<Record<SftpCommand['verb'], number>> = {
  put: 2,
  get: 1,
  ls: 1,
  rm: 1,
  mkdir: 1,
  rename: 2,
};

/** Parses a command, or says what is wrong with it; an unknown verb is an error, never a default. */
export function parseSftpCommand(text: string): SftpCommand | { error: string } {
  const [verb = '', ...args] = [...text.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '');
  if (!Object.hasOwn(ARITY, verb))
    return { error: `unknown SFTP command "${verb}"; the commands are ${SFTP_COMMAND_FORMS}` };
  const known = verb as SftpCommand['verb'];
  if (args.length !== ARITY[known])
    return {
      error: `${known} takes ${ARITY[known]} argument(s), got ${args.length}; the commands are ${SFTP_COMMAND_FORMS}`,
    };
  const [a = '', b = ''] = args;
  if (known === 'put') return { verb: known, local: a, remote: b };
  if (known === 'rename') return { verb: known, from: a, to: b };
  return { verb: known, path: a };
}
