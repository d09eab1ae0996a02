// The test loop every integration test pays, through the public `datasync-sim/testing` API of the
// compiled package: startTestSimulator, upload a 3-record bib file, waitForOutcome, stop. Beside
// it, a bare ssh2 client's connect, put and close of the same file to the same simulator.
// Run: npm run bench:loop [-- warm-loops]
import { Client } from 'ssh2';
import { generateBibRecords } from '../oclc/marc/generate-bib-records.ts';
import { buildOnce, median, ROOT } from './support/serve-process.ts';

const loops = Number(process.argv[2] ?? 20);
buildOnce();
// What a test author imports: the compiled package, its processing worker included.
const testing = (await import(`${ROOT}dist/testing/index.js`)) as typeof import('../testing/index.ts');

const NAME = '1012676.pul.loop.mrc';
const PUT_NAME = '1012676.pul.put.mrc';
// Three generated records (seed 1), as a small export would send.
const FILE = Buffer.concat([...generateBibRecords({ count: 3, seed: 1 })].map((r) => r.bytes));

interface Loop {
  start: number;
  upload: number;
  outcome: number;
  stop: number;
  total: number;
  put: number;
}

async function oneLoop(): Promise<Loop> {
  const t0 = performance.now();
  const sim = await testing.startTestSimulator();
  const t1 = performance.now();
  await testing.uploadFile(sim, { user: 'fx_pul', password: 'pul-secret', data: FILE, name: NAME });
  const t2 = performance.now();
  const outcome = await testing.waitForOutcome(sim, NAME);
  const t3 = performance.now();
  if (outcome.state !== 'processed')
    throw new Error(`the file was ${outcome.state}: ${outcome.reason ?? ''}`);
  // The baseline against the same simulator, outside the loop's own timing; its file is
  // processed too, and waited for, so the simulator stops idle as a test's would.
  const put = await ssh2Put(sim.sftp.port, `metacoll/in/bib/${PUT_NAME}`);
  await testing.waitForOutcome(sim, PUT_NAME);
  const t4 = performance.now();
  await sim.stop();
  const t5 = performance.now();
  return {
    start: t1 - t0,
    upload: t2 - t1,
    outcome: t3 - t2,
    stop: t5 - t4,
    total: t3 - t0 + (t5 - t4),
    put,
  };
}

/** A bare ssh2 client: connect, open, write, close, end; timed until the connection closes. */
async function ssh2Put(port: number, path: string): Promise<number> {
  const start = performance.now();
  const client = new Client();
  await new Promise<void>((resolve, reject) => {
    client.once('ready', resolve).once('error', reject);
    client.connect({ host: '127.0.0.1', port, username: 'fx_pul', password: 'pul-secret' });
  });
  await new Promise<void>((resolve, reject) => {
    client.sftp((error, sftp) => {
      if (error) return reject(error);
      sftp.writeFile(path, FILE, (e) => (e ? reject(e) : resolve()));
    });
  });
  const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
  client.end();
  await closed;
  return performance.now() - start;
}

const first = await oneLoop();
const warm: Loop[] = [];
for (let i = 0; i < loops; i++) warm.push(await oneLoop());
const m = (key: keyof Loop): string => median(warm.map((l) => l[key])).toFixed(1);
const f = (key: keyof Loop): string => first[key].toFixed(1);
console.log(
  `warm loops: ${loops}, medians; the first loop in a fresh process: start ${f('start')} ms, upload ${f('upload')} ms, outcome ${f('outcome')} ms, stop ${f('stop')} ms`,
);
console.log(
  `loop: start ${m('start')} ms, upload ${m('upload')} ms, outcome ${m('outcome')} ms, stop ${m('stop')} ms, total ${m('total')} ms, first ${first.total.toFixed(1)} ms, ssh2 put ${m('put')} ms`,
);
