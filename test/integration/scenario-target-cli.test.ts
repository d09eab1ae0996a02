import { describe, expect, it } from 'vitest';
import { runCli, startCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

describe('scenario run --target against npm start (the demo configuration)', () => {
  it('refuses to reset it without a terminal to ask on, saying what would be wiped; --yes runs the documented example', async () => {
    using dir = tempDir();
    const serve = await startCli(['serve', '--sftp-port', '0', '--admin-port', '0'], /press Ctrl\+C/, {
      cwd: dir.path,
    });
    try {
      const admin = /admin listening on (\S+)/.exec(serve.output())?.[1] ?? '';
      const help = await runCli(['scenario', 'run', '--help']);
      const example = /\$ (datasync-sim scenario run --target \S+ (\S+))/.exec(help.stdout);
      expect(example?.[1]).toBe(
        'datasync-sim scenario run --target http://127.0.0.1:8080 scenarios/suites/demo-vanishing-upload.yaml',
      );
      const suite = example?.[2] ?? '';

      const asked = await runCli(['scenario', 'run', '--target', admin, suite]);
      expect(asked.code).toBe(2);
      expect(asked.stderr).toBe(
        `datasync-sim: Failed to run scenarios against ${admin}: scenario run resets the simulator at ${admin} ` +
          'before each scenario: it forgets its 0 upload(s), holdings, LHRs, reports and journal (its configuration, ' +
          'host key and ports stay). Pass --yes to go ahead without being asked.\n',
      );

      for (let run = 0; run < 2; run++) {
        const result = await runCli(['scenario', 'run', '--target', admin, '--yes', suite]);
        expect(result.stdout).toContain('✓ on the demo simulator, a finished upload vanishes');
        expect(result.code).toBe(0);
      }
    } finally {
      serve.child.kill('SIGTERM');
      await serve.exited;
    }
  });
});
