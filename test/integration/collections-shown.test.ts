import { describe, expect, it } from 'vitest';
import { startCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

describe('collection IDs are shown where users look first', () => {
  it('in the serve banner and in GET /api/health', async () => {
    using dir = tempDir();
    const cli = await startCli(['serve', '--sftp-port', '0', '--admin-port', '0'], /press Ctrl\+C/, {
      cwd: dir.path,
    });
    try {
      expect(cli.output()).toMatch(
        /PUL\s+fx_pul \(or pul\) \/ pul-demo\n\s+collections 1012676 bib, 1012677 lhr\n\s+wskeys pul-wskey \/ pul-wskey-secret\n/,
      );
      expect(cli.output()).toMatch(
        /metadata api http:\/\/\S+\/worldcat \(tokens from http:\/\/\S+\/oauth\/token\)\n/,
      );
      const admin = /admin listening on (\S+)/.exec(cli.output())?.[1] ?? '';
      const health = (await (await fetch(`${admin}/api/health`)).json()) as {
        institutions: { symbol: string; collections: { id: string; type: string }[] }[];
      };
      expect(health.institutions.find((i) => i.symbol === 'VND')?.collections).toEqual([
        { id: '1030040', type: 'bib' },
      ]);
    } finally {
      cli.child.kill('SIGTERM');
      await cli.exited;
    }
  });
});
