// A consumer's plain Node script: no loader, no TypeScript. Starts a simulator on free ports,
// uploads a MARC file with ssh2, waits for it to be processed, reads the holdings via the admin client.
import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { AdminClient, defineConfig, startSimulator } from 'datasync-sim';

const [marcFile] = process.argv.slice(2);
const sim = await startSimulator(
  defineConfig({
    dataDir: mkdtempSync(join(tmpdir(), 'consumer-')),
    sftp: { host: '127.0.0.1', port: 0 },
    admin: { host: '127.0.0.1', port: 0 },
    institutions: [
      { symbol: 'PUL', password: 'secret', collections: [{ id: '1012676', type: 'bib', default: true }] },
    ],
  }),
);
try {
  const name = '1012676.pul.consumer.mrc';
  const processed = sim.waitFor('file:processed', (f) => f.name === name, { timeoutMs: 60_000 });
  await new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    client
      .on('ready', () =>
        client.sftp((error, sftp) => {
          if (error) return reject(error);
          sftp.writeFile(`metacoll/in/bib/${name}`, readFileSync(marcFile), (e) => {
            client.end();
            return e ? reject(e) : resolve();
          });
        }),
      )
      .on('error', reject)
      .connect({ host: sim.sftp.host, port: sim.sftp.port, username: 'fx_pul', password: 'secret' });
  });
  await processed;
  const holdings = await new AdminClient(sim.adminUrl).holdings('PUL');
  console.log(JSON.stringify({ holdings }));
} finally {
  await sim.stop();
}
