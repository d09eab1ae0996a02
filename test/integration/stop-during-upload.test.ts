import { describe, expect, it } from 'vitest';
import { connectAs } from '../support/sftp-test-client.ts';
import { startCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';
import { startTestSimulator } from '../support/test-simulator.ts';

describe('stopping the simulator while an upload is open', () => {
  it('sim.stop() records the open upload as incomplete before the database closes', async () => {
    const sim = await startTestSimulator();
    const client = await connectAs(sim, 'fx_pul', 'pul-secret');
    const handle = await client.open('metacoll/in/bib/1012676.pul.open.mrc', 'w');
    await client.write(handle, Buffer.from('00000'), 0);
    const incomplete = sim.waitFor('upload:incomplete');
    await sim.stop();
    expect((await incomplete).name).toBe('1012676.pul.open.mrc');
    client.drop();
  });

  it('Ctrl+C during an upload stops serve cleanly, without an uncaught error', async () => {
    using dir = tempDir();
    const cli = await startCli(['serve', '--sftp-port', '0', '--admin-port', '0'], /press Ctrl\+C/, {
      cwd: dir.path,
    });
    const port = Number(/^sftp listening on 127\.0\.0\.1:(\d+)$/m.exec(cli.output())?.[1]);
    const client = await connectAs({ sftp: { host: '127.0.0.1', port } }, 'fx_pul', 'pul-demo');
    const handle = await client.open('metacoll/in/bib/1012676.pul.open.mrc', 'w');
    await client.write(handle, Buffer.from('00000'), 0);
    cli.child.kill('SIGINT');
    const code = await cli.exited;
    expect(cli.output()).not.toMatch(/TypeError|database connection is not open|at .+:\d+:\d+/);
    expect(code).toBe(0);
    client.drop();
  });
});
