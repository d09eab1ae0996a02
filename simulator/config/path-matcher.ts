import { createRequire } from 'node:module';
import type picomatchType from 'picomatch';

const require = createRequire(import.meta.url);

/**
 * How a `path:` glob in a fault rule, a journal filter or a journal expectation matches an SFTP
 * path (or an upload name): a glob without a slash matches the file name anywhere, like `*.mrc`.
 */
export function pathMatcher(glob: string): (path: string) => boolean {
  // Required at first use: most runs have no rule with a path, and `serve` listens sooner.
  const picomatch = require('picomatch') as typeof picomatchType;
  return picomatch(glob, { dot: true, basename: !glob.includes('/'), nocase: true });
}
