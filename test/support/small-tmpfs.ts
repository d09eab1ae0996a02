import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real, small file system (tmpfs) for disk-full tests, unmounted on dispose. Mounting needs
 * root, which CI has (.ci/run); elsewhere the test fails with the reason rather than skipping.
 */
export function smallTmpfs(sizeMb: number): { path: string } & Disposable {
  const path = mkdtempSync(join(tmpdir(), 'datasync-sim-tmpfs-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m`, 'tmpfs', path], {
    encoding: 'utf8',
  });
  if (mounted.status !== 0) {
    rmSync(path, { recursive: true, force: true });
    throw new Error(
      `could not mount a ${sizeMb} MB tmpfs for the disk-full test (run the tests as root, as CI does): ${mounted.stderr.trim()}`,
    );
  }
  return {
    path,
    [Symbol.dispose]: () => {
      spawnSync('umount', ['-l', path]);
      rmSync(path, { recursive: true, force: true });
    },
  };
}
