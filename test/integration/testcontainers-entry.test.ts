import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * In a fresh Node process: imports testcontainers itself, then `datasync-sim/testcontainers` (the
 * compiled package, as a user gets it), and reports what the second import added: native addons
 * opened (process.dlopen) and packages of ours that carry one or a database driver.
 */
function addedByOurEntry(): { dlopen: string[]; packages: string[] } {
  const script = `
    import { createRequire } from 'node:module';
    const require = createRequire(process.cwd() + '/');
    const opened = [];
    const dlopen = process.dlopen;
    process.dlopen = function (module, filename, ...rest) { opened.push(filename); return dlopen.call(this, module, filename, ...rest); };
    const heavy = () => new Set(Object.keys(require.cache)
      .map((path) => /node_modules\\/(ssh2|better-sqlite3|cpu-features|pg)\\//.exec(path)?.[1]).filter(Boolean));
    await import('testcontainers');
    const before = heavy();
    opened.length = 0;
    const entry = await import('datasync-sim/testcontainers');
    if (typeof entry.SimulatorContainer !== 'function') throw new Error('no SimulatorContainer');
    console.log(JSON.stringify({ dlopen: opened, packages: [...heavy()].filter((p) => !before.has(p)) }));
  `;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  expect(child.stderr).toBe('');
  return JSON.parse(child.stdout) as { dlopen: string[]; packages: string[] };
}

describe('datasync-sim/testcontainers', () => {
  it('loads no native module and no SQLite, PostgreSQL or SSH package beyond what testcontainers itself loads', () => {
    expect(addedByOurEntry()).toEqual({ dlopen: [], packages: [] });
  });
});
