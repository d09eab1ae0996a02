import { resolve, sep } from 'node:path';

/**
 * A JSON replacer for everything a client is sent (admin API answers, the event stream): the
 * data dir's absolute path is cut from every string, so a stored copy reads
 * `queue/12-name.mrc` and a failure reason quoting a file names it relative to the data dir.
 * No client learns the server's disk layout; in-process library users keep absolute paths.
 */
export function hideServerPaths(dataDir: string): (key: string, value: unknown) => unknown {
  const root = resolve(dataDir);
  const prefix = root.endsWith(sep) ? root : `${root}${sep}`;
  return (_key, value) => {
    if (typeof value !== 'string' || !value.includes(root)) return value;
    return value.split(prefix).join('').split(root).join('.');
  };
}
