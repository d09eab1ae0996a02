// Upload throughput through the mock server: many small files, then one large pipelined file.
// Run: npx tsx bench/upload-throughput.ts [files=200] [largeMiB=64]
import { connectAs } from '../test/support/sftp-test-client.ts';
import { startTestSimulator } from '../test/support/test-simulator.ts';

const files = Number(process.argv[2] ?? 200);
const largeMiB = Number(process.argv[3] ?? 64);

await using sim = await startTestSimulator();
await using client = await connectAs(sim, 'fx_pul', 'pul-secret');

const small = Buffer.alloc(16 * 1024, 0x41);
let start = performance.now();
for (let i = 0; i < files; i++) await client.put(`metacoll/in/bib/1012676.pul.bench${i}.mrc`, small);
let seconds = (performance.now() - start) / 1000;
console.log(
  `small uploads: ${files} files of 16 KiB in ${seconds.toFixed(2)} s = ${(files / seconds).toFixed(0)} files/s`,
);

const chunk = 32 * 1024;
const large = Buffer.alloc(largeMiB * 1024 * 1024, 0x42);
start = performance.now();
const handle = await client.open('metacoll/in/bib/1012676.pul.large.mrc', 'w');
const inFlight = 64;
for (let offset = 0; offset < large.length; offset += chunk * inFlight) {
  const writes: Promise<void>[] = [];
  for (let o = offset; o < Math.min(large.length, offset + chunk * inFlight); o += chunk) {
    writes.push(client.write(handle, large.subarray(o, o + chunk), o));
  }
  await Promise.all(writes);
}
await client.close(handle);
seconds = (performance.now() - start) / 1000;
console.log(
  `large upload: ${largeMiB} MiB pipelined (64 x 32 KiB in flight) in ${seconds.toFixed(2)} s = ${(largeMiB / seconds).toFixed(1)} MiB/s`,
);
const queued = sim.files.list({ state: 'queued' }).length;
console.log(`queued: ${queued} of ${files + 1}`);
